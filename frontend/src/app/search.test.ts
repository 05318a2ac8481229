/**
 * The phone's offline search against the server's: the same normaliser (every curated name and
 * synonym, normalised by the server, in tests/catalog/search_normalised.json) and the same
 * search-quality queries (tests/catalog/search_quality.json) over the offline pack's foods.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { searchFoods, withPersonal } from "./foodSearch";
import { packFoodOf, type PackFood } from "./foods";
import { foodKinds, normalise, processedForms, ratio, wratio } from "./search";

const read = (path: string) => JSON.parse(readFileSync(fileURLToPath(new URL(path, import.meta.url)), "utf8"));
const QUALITY = read("../../../tests/catalog/search_quality.json") as { queries: { query: string; expected: string }[] };
const NORMALISED = read("../../../tests/catalog/search_normalised.json") as Record<string, string>;
const CURATED = read("../../../backend/fortify/catalog/data/curated_foods.json") as {
  foods: { key: string; name: string; synonyms: string[]; food_group: string }[];
};

/** The curated foods as the offline pack lists them. */
const PACK: PackFood[] = CURATED.foods.map((f) => ({
  id: `curated:${f.key}`,
  name: f.name,
  source: "curated",
  source_id: f.key,
  food_group: f.food_group,
  synonyms: f.synonyms,
}));

const top = (query: string, foods = PACK, n = 3) => searchFoods(foods, query, n).map((f) => f.source_id);

describe("the normaliser", () => {
  it("normalises every curated name and synonym as the server does", () => {
    const differ = Object.entries(NORMALISED).filter(([text, server]) => normalise(text) !== server);
    expect(differ).toEqual([]);
    expect(Object.keys(NORMALISED).length).toBeGreaterThan(500);
  });
});

describe("the search-quality queries, offline", () => {
  it("has the server's whole query set", () => {
    expect(QUALITY.queries.length).toBeGreaterThanOrEqual(40);
  });
  it.each(QUALITY.queries)("$query finds $expected in the top three", ({ query, expected }) => {
    expect(top(query)).toContain(expected);
  });
});

describe("multi-word queries (issue 14)", () => {
  const usda = (id: string, name: string): PackFood => ({ id: `usda:${id}`, name, source: "usda", source_id: id, food_group: "", synonyms: [] });
  const WITH_USDA = [
    ...PACK,
    usda("19146", "Candies, milk chocolate coated coffee beans"),
    usda("14209", "Beverages, coffee, ready to drink, milk based, sweetened"),
    usda("01211", "Milk, whole, 3.25% milkfat, with added vitamin D"),
    usda("01256", "Yogurt, Greek, plain, whole milk"),
    usda("08121", "Cereals, oats, regular and quick, not fortified, dry"),
  ];
  const names = (query: string) => searchFoods(WITH_USDA, query, 10).map((f) => f.name);

  it("ranks a coffee drink with milk before a candy that merely holds both words", () => {
    const found = names("coffee with milk");
    const candy = found.indexOf("Candies, milk chocolate coated coffee beans");
    expect(candy).toBeGreaterThanOrEqual(0);
    expect(found.indexOf("Beverages, coffee, ready to drink, milk based, sweetened")).toBeLessThan(candy);
  });
  it.each([
    ["milk", "Whole milk (3.25%)"],
    ["greek yogurt", "Greek yogurt, plain, whole milk"],
    ["oatmeal", "Porridge (oatmeal), cooked with water"],
  ])("lists the everyday food first for %s", (query, first) => {
    expect(names(query)[0]).toBe(first);
  });
});

describe("the food's kind (the newcomer walk, issue #14)", () => {
  it("is the last word of the name's first part, brackets left out", () => {
    expect(foodKinds("Whole milk (3.25%)")).toEqual(new Set(["milk"]));
    expect(foodKinds("Milk, whole, 3.25% milkfat, with added vitamin D")).toEqual(new Set(["milk"]));
    expect(foodKinds("Milk chocolate")).toEqual(new Set([normalise("chocolate")]));
    expect(foodKinds("Candies, milk chocolate coated coffee beans")).toEqual(new Set([normalise("candies")]));
    expect(foodKinds("Hot chocolate (made with milk)")).toEqual(new Set([normalise("chocolate")]));
    expect(foodKinds("Porridge (oatmeal), cooked with water")).toEqual(new Set([normalise("porridge"), normalise("oatmeal")]));
  });

  it("lists the milks for 'milk' before milk chocolate", () => {
    const found = searchFoods(PACK, "milk", 20).map((f) => f.name);
    const chocolate = found.indexOf("Milk chocolate");
    const milks = found.filter((n) => foodKinds(n).has("milk"));
    expect(found[0]).toBe("Whole milk (3.25%)");
    expect(milks.length).toBeGreaterThanOrEqual(5);
    expect(found.slice(0, 5).every((n) => foodKinds(n).has("milk"))).toBe(true);
    if (chocolate >= 0) expect(milks.every((n) => found.indexOf(n) < chocolate)).toBe(true);
  });

  it("lists the plain milks for 'milk' before evaporated, condensed or dry milk, unless the query names the form", () => {
    const found = searchFoods(PACK, "milk", 20).map((f) => f.name);
    const plain = ["Whole milk (3.25%)", "Reduced-fat milk (2%)", "Low-fat milk (1%)", "Skim milk (fat-free)"];
    const processed = found.filter((n) => processedForms(n).size > 0);
    expect(plain.every((n) => found.includes(n))).toBe(true);
    expect(processed).toContain("Evaporated milk");
    expect(Math.max(...plain.map((n) => found.indexOf(n)))).toBeLessThan(Math.min(...processed.map((n) => found.indexOf(n))));
    expect(searchFoods(PACK, "evaporated milk", 5)[0]?.name).toBe("Evaporated milk");
    expect(processedForms("Milk, dry, nonfat, regular")).toEqual(new Set([normalise("dry")]));
  });

  it.each([
    ["cheese", "Pizza, cheese"],
    ["egg", "Egg noodles, cooked"],
    ["rice", "Rice noodles, cooked"],
    ["chocolate", "Chocolate chip cookie"],
  ])("lists the foods that are %s before %s", (query, other) => {
    const found = searchFoods(PACK, query, 30).map((f) => f.name);
    const at = found.indexOf(other);
    const ofKind = found.filter((n) => foodKinds(n).has(normalise(query)));
    expect(at).toBeGreaterThan(0);
    expect(ofKind.length).toBeGreaterThanOrEqual(2);
    expect(ofKind.every((n) => found.indexOf(n) < at)).toBe(true);
  });
});

describe("the issue's queries", () => {
  it("finds broccoli for 'brocoli'", () => {
    expect(top("brocoli", PACK, 1)).toEqual(["broccoli_raw"]);
  });
  it("ranks porridge before oatmeal bread for 'oatmeal'", () => {
    const found = searchFoods(PACK, "oatmeal", 10).map((f) => f.name);
    expect(found[0]).toBe("Porridge (oatmeal), cooked with water");
    expect(found).toContain("Oatmeal bread");
  });
  it("finds coffee for 'coffee with milk'", () => {
    expect(top("coffee with milk", PACK, 3)).toContain("coffee_brewed");
  });
});

describe("personal foods", () => {
  it("ranks a favourite first among comparable matches", () => {
    expect(top("salmon", PACK, 1)).not.toEqual(["salmon_sockeye_cooked"]);
    const withFavourite = PACK.map((f) => (f.source_id === "salmon_sockeye_cooked" ? { ...f, favourite: true } : f));
    expect(top("salmon", withFavourite, 1)).toEqual(["salmon_sockeye_cooked"]);
  });
  it("ranks a recently eaten food first", () => {
    const kale = PACK.find((f) => f.source_id === "kale_cooked")!;
    expect(searchFoods(PACK, "kale", 1, [kale.id])[0]?.id).toBe(kale.id);
  });
  it("finds her own food with a typo, first", () => {
    const mine: PackFood = { id: "mine", name: "Grandma's porridge", source: "user", synonyms: ["sunday oats"] };
    expect(searchFoods([...PACK, mine], "porrige", 1)[0]?.id).toBe("mine");
  });
  it("does not let a weak own match beat a strong catalog match", () => {
    const spread: PackFood = { id: "spread", name: "Milk chocolate hazelnut spread", source: "user" };
    expect(searchFoods([...PACK, spread], "whole milk", 1)[0]?.source_id).toBe("whole_milk");
  });
  it("finds nothing for nonsense", () => {
    expect(top("qzxv")).toEqual([]);
  });
});

describe("the scorers (rapidfuzz's values)", () => {
  it.each([
    ["this is a test", "this is a test!", 96.55],
    ["fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear", 90.91],
    ["brocoli", "broccoli", 93.33],
  ])("ratio(%s, %s) = %d", (a, b, want) => {
    expect(ratio(a, b)).toBeCloseTo(want, 1);
  });
  it.each([
    ["fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear", 95],
    ["new york mets", "new york mets vs atlanta braves", 90],
    ["oatmeal", "porridg oatmeal cook water", 90],
  ])("wratio(%s, %s) = %d", (a, b, want) => {
    expect(wratio(a, b)).toBeCloseTo(want, 1);
  });
});

describe("the server's answer with what only the phone knows", () => {
  const usda = packFoodOf({
    id: "usda:01009",
    name: "Cheese, cheddar",
    source: "usda",
    source_id: "01009",
    food_group: "Dairy and Egg Products",
    portions: [{ label: "1 cup, diced", grams: 132 }],
    nutrients_per_100g: { calcium_mg: 721, vitamin_d_iu: null },
  });

  it("turns a server food into the pack's shape, unknown nutrients left out", () => {
    expect(usda.portions).toEqual([["1 cup, diced", 132]]);
    expect(usda.nutrients_per_100g).toEqual({ calcium_mg: 721 });
  });

  it("puts a favourite starred on the phone first, then the server's results, once each", () => {
    const parmesan = PACK.find((f) => f.source_id === "parmesan")!;
    const cheddar = PACK.find((f) => f.source_id === "cheddar")!;
    const pack = PACK.map((f) => (f.id === parmesan.id ? { ...f, favourite: true } : f));
    const merged = withPersonal([cheddar, usda, parmesan], pack, "cheese");
    expect(merged.map((f) => f.id)).toEqual([parmesan.id, cheddar.id, usda.id]);
    expect(withPersonal([cheddar, usda], PACK, "cheese").map((f) => f.id)).toEqual([cheddar.id, usda.id]);
  });

  it("leaves out a food of her own that she deleted on the phone before the server heard", () => {
    const mine: PackFood = { id: "mine", name: "Goat cheese spread", source: "user" };
    expect(withPersonal([mine, usda], PACK, "cheese").map((f) => f.id)).toEqual([usda.id]);
    expect(withPersonal([mine, usda], [...PACK, mine], "cheese").map((f) => f.id)).toContain("mine");
  });
});
