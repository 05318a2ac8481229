import { describe, expect, it } from "vitest";
import type { StoredRecord } from "../storage/store";
import { asPastMeal, filterPastMeals, pastMeals, repeatFields, repeatWords, resizeItem } from "./meals";

const porridge = { food_id: "p", food_name: "Porridge", grams: 250, nutrients: { calcium_mg: 30 } };
const berries = { food_id: "b", food_name: "Blueberries", grams: 80, nutrients: {} };

function meal(id: string, name: string, eaten_at: string, items: object[], deleted = false): StoredRecord {
  return { key: `meals:${id}`, entity: "meals", id, fields: { name, eaten_at, items }, version: null, deleted, touched: 0 } as StoredRecord;
}

const NOW = "2026-12-02T09:30:00+00:00";

describe("pastMeals", () => {
  const meals = [
    meal("1", "Breakfast", "2026-12-01T08:00:00+00:00", [porridge, berries]),
    meal("2", "Breakfast", "2026-11-30T08:00:00+00:00", [porridge, berries]),
    meal("3", "Lunch", "2026-12-01T12:30:00+00:00", [berries]),
    meal("4", "Snack", "2026-11-28T15:00:00+00:00", []),
    meal("5", "Dinner", "2026-11-29T19:00:00+00:00", [porridge], true),
    meal("6", "Dinner", "2026-12-03T19:00:00+00:00", [porridge]),
  ];

  it("lists each distinct past meal once, newest first, with its day in words", () => {
    const got = pastMeals(meals, NOW, "UTC");
    expect(got.map((m) => [m.id, m.name, m.when])).toEqual([
      ["3", "Lunch", "yesterday"],
      ["1", "Breakfast", "yesterday"],
    ]);
    expect(got[1]?.foods).toBe("Porridge; Blueberries");
  });

  it("uses the person's zone for 'yesterday'", () => {
    const late = [meal("1", "Dinner", "2026-12-01T23:30:00+00:00", [porridge])];
    expect(pastMeals(late, NOW, "UTC")[0]?.when).toBe("yesterday");
    expect(pastMeals(late, NOW, "Asia/Tokyo")[0]?.when).toBe("today");
  });

  it("names older days by date", () => {
    const old = [meal("1", "Breakfast", "2026-11-23T08:00:00+00:00", [porridge])];
    expect(pastMeals(old, NOW, "UTC")[0]?.when).toBe("Mon 23 Nov");
  });
});

describe("repeatFields", () => {
  it("copies the name and foods, eaten at the new time, sharing nothing with the original", () => {
    const [past] = pastMeals([meal("1", "Breakfast", "2026-12-01T08:00:00+00:00", [porridge])], NOW, "UTC");
    const fields = repeatFields(past!, NOW);
    expect(fields).toEqual({ name: "Breakfast", eaten_at: NOW, items: [porridge] });
    (fields.items as { grams: number }[])[0]!.grams = 1;
    expect(past!.items[0]).toEqual(porridge);
  });
});

describe("repeatWords", () => {
  it("says the time Log again took and how to change it (newcomer walk: one tap, no choice of time)", () => {
    expect(repeatWords("Breakfast", "10:42")).toBe("Breakfast logged again. Eaten now (10:42): tap Edit on it to change the time.");
  });
});

describe("any past meal, not only the last three", () => {
  const many = Array.from({ length: 12 }, (_, i) =>
    meal(String(i), i % 2 ? "Lunch" : "Breakfast", `2026-11-${String(10 + i).padStart(2, "0")}T08:00:00+00:00`, [i === 0 ? { ...porridge, grams: 999 } : { ...berries, grams: 10 + i }]),
  );

  it("lists every distinct past meal unless asked for fewer", () => {
    expect(pastMeals(many, NOW, "UTC")).toHaveLength(12);
    expect(pastMeals(many, NOW, "UTC", 3)).toHaveLength(3);
  });

  it("finds the oldest meal by its food, whatever the words' order and case", () => {
    const all = pastMeals(many, NOW, "UTC");
    expect(filterPastMeals(all, "porridge").map((m) => m.id)).toEqual(["0"]);
    expect(filterPastMeals(all, "BLUEBERRIES lunch").every((m) => m.name === "Lunch" && m.foods === "Blueberries")).toBe(true);
    expect(filterPastMeals(all, "lunch blue")).toHaveLength(6);
    expect(filterPastMeals(all, "salmon")).toEqual([]);
    expect(filterPastMeals(all, "  ")).toHaveLength(12);
  });

  it("turns one logged meal into a meal to repeat, and refuses one with no foods", () => {
    const m = asPastMeal(meal("9", "Dinner", "2026-11-20T19:00:00+00:00", [porridge]), NOW, "UTC");
    expect(m && [m.name, m.foods, m.when]).toEqual(["Dinner", "Porridge", "Fri 20 Nov"]);
    expect(asPastMeal(meal("8", "Snack", "2026-11-20T19:00:00+00:00", []), NOW, "UTC")).toBeNull();
    expect(asPastMeal(meal("7", "Snack", "2026-11-20T19:00:00+00:00", [porridge], true), NOW, "UTC")).toBeNull();
  });
});

describe("changing the amount of a food already in a meal (issue #14 §3)", () => {
  it("scales the item's nutrients and servings from its own values", () => {
    const cheese = { food_id: "c", food_name: "Cheddar", grams: 28, nutrients: { calcium_mg: 201.6, protein_g: 7 }, servings: { dairy: 0.933 } };
    const more = resizeItem(cheese, 56);
    expect(more).toEqual({ food_id: "c", food_name: "Cheddar", grams: 56, nutrients: { calcium_mg: 403.2, protein_g: 14 }, servings: { dairy: 1.866 } });
    // The item in the meal is not changed in place (the form keeps its old state until saved).
    expect(cheese.grams).toBe(28);
  });

  it("an item of no weight takes the new amount and keeps what it had", () => {
    expect(resizeItem({ food_name: "Tea", grams: 0, nutrients: { calcium_mg: 5 } }, 200)).toEqual({ food_name: "Tea", grams: 200, nutrients: { calcium_mg: 5 } });
  });
});
