import { describe, expect, it } from "vitest";
import { foodDisplayName, fullNameIfDifferent } from "./foodName";

describe("foodDisplayName", () => {
  it.each([
    ["Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and vitamin D", "Milk, reduced fat, 2%"],
    ["Milk, reduced fat, fluid, 2% milkfat, without added vitamin A and vitamin D", "Milk, reduced fat, 2%"],
    ["Milk, reduced fat, fluid, 2% milkfat, with added nonfat milk solids and vitamin A and vitamin D", "Milk, reduced fat, 2%, with added nonfat milk solids and vitamin A and vitamin D"],
    ["Apple juice, frozen concentrate, unsweetened, diluted with 3 volume water without added ascorbic acid", "Apple juice, frozen concentrate, unsweetened, diluted with 3 volume water without added ascorbic acid"],
    ["Milk, lowfat, fluid, 1% milkfat, with added vitamin A and vitamin D", "Milk, lowfat, 1%"],
    ['Beef, top sirloin, steak, separable lean only, trimmed to 0" fat, choice, cooked, broiled', "Beef, top sirloin, steak, lean, cooked"],
    ["Chicken, broilers or fryers, drumstick, meat and skin, cooked, rotisserie, original seasoning", "Chicken, drumstick, meat and skin, cooked, rotisserie"],
    ["Beverages, coconut milk, sweetened, fortified with calcium, vitamins A, B12, D2", "Beverages, coconut milk, sweetened"],
    ["Toaster pastries, fruit, toasted (include apple, blueberry, cherry, strawberry)", "Toaster pastries, fruit, toasted"],
    ["Snacks, granola bar, GENERAL MILLS, NATURE VALLEY, CHEWY TRAIL MIX", "Snacks, granola bar, General Mills, Nature Valley, Chewy Trail Mix"],
    ["Gelatin desserts, dry mix, reduced calorie, with aspartame, added phosphorus, potassium, sodium, vitamin C", "Gelatin desserts, dry mix, reduced calorie, with aspartame"],
    ["Beans, kidney, all types, mature seeds, cooked, boiled, without salt", "Beans, kidney, all types, cooked, boiled"],
  ])("%s → %s", (usda, shown) => {
    expect(foodDisplayName(usda)).toBe(shown);
  });

  it("leaves short names (curated foods, her own) as they are", () => {
    for (const name of ["Greek yogurt, plain", "Oatmeal bread", "Broccoli, raw", "Oats", "My granola", "Custard-apple, (bullock's-heart), raw"]) {
      expect(foodDisplayName(name)).toBe(name);
    }
  });

  it("never returns an empty name, and keeps the full one available when it differs", () => {
    expect(foodDisplayName("fluid")).toBe("fluid");
    expect(fullNameIfDifferent("Oats")).toBeNull();
    expect(fullNameIfDifferent("Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and vitamin D")).toBe("Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and vitamin D");
  });
});
