import { describe, expect, it } from "vitest";
import { eatenGrams, initialVitaminDUnit, vitaminDIu, vitaminDOther, vitaminDShown } from "./customFood";

describe("vitamin D on a food's label (mcg or IU; stored in IU)", () => {
  it("stores a label's mcg as IU (1 mcg = 40 IU)", () => {
    expect(vitaminDIu("10", "mcg")).toBe(400);
    expect(vitaminDIu("2.5", "mcg")).toBe(100);
    expect(vitaminDIu("400", "iu")).toBe(400);
  });

  it("stores nothing for an empty box, and refuses what is not a number", () => {
    expect(vitaminDIu("", "mcg")).toBeNull();
    expect(vitaminDIu("ten", "mcg")).toBeNull();
  });

  it("says what the amount comes to in the other unit", () => {
    expect(vitaminDOther("10", "mcg")).toBe("= 400 IU");
    expect(vitaminDOther("100", "iu")).toBe("= 2.5 mcg");
    expect(vitaminDOther("", "iu")).toBe("");
  });

  it("shows a stored amount in mcg when it is a whole hundredth of a mcg, else in IU as stored", () => {
    expect(initialVitaminDUnit(undefined)).toBe("mcg");
    expect(initialVitaminDUnit(400)).toBe("mcg");
    expect(vitaminDShown(400, "mcg")).toBe("10");
    expect(initialVitaminDUnit(86.1)).toBe("iu");
    expect(vitaminDShown(86.1, "iu")).toBe("86.1");
  });

  it("saves an unchanged amount as it was", () => {
    for (const iu of [0, 1, 40, 86.1, 100, 123.45, 1000]) {
      const unit = initialVitaminDUnit(iu);
      expect(vitaminDIu(vitaminDShown(iu, unit), unit)).toBeCloseTo(iu, 9);
    }
  });
});

describe("what she ate of her own food (newcomer walk: US units mixed g and oz and refused \"1 cup\")", () => {
  it("per serving, in servings of the label's size: blank is one, halves and more", () => {
    // "Serving size 1 cup (240 g)": one cup is one serving.
    expect(eatenGrams("serving", 240, "")).toBe(240);
    expect(eatenGrams("serving", 240, "1")).toBe(240);
    expect(eatenGrams("serving", 240, "0.5")).toBe(120);
    expect(eatenGrams("serving", 30, "1.5")).toBe(45);
    expect(eatenGrams("serving", 240, "0")).toBeNull();
    expect(eatenGrams("serving", 240, "cup")).toBeNull();
    expect(eatenGrams("serving", null, "1")).toBeNull();
  });
  it("per 100 g, by weight: blank is 100 g", () => {
    expect(eatenGrams("100g", null, "")).toBe(100);
    expect(eatenGrams("100g", null, "56.7")).toBe(56.7);
    expect(eatenGrams("100g", null, "-1")).toBeNull();
  });
});
