/**
 * The supplement form's words (the newcomer walk, issue #14): the amount's refusal clears as soon
 * as the amount is valid, and vitamin D's words (its units, its example) are said on the vitamin D
 * forms only.
 */
import { describe, expect, it } from "vitest";
import { amountHint, careTeamHint, shownRegimenProblem } from "../screens/onboarding/regimen";
import { FORMS } from "./regimenName";

const calcium = { form: "calcium_carbonate", kind: "supplement" as const, name: "", amount: "", strength: null, strengthTyped: "", times: ["08:00"], daily: true, days: [] };

describe("the amount's refusal", () => {
  it("is not shown before a Save was refused", () => {
    expect(shownRegimenProblem(false, calcium)).toBeNull();
  });

  it("asks for the amount after a refused Save, and clears once she types one", () => {
    expect(shownRegimenProblem(true, calcium)).toMatch(/Enter the amount/);
    expect(shownRegimenProblem(true, { ...calcium, amount: "5" })).toBeNull();
    expect(shownRegimenProblem(true, { ...calcium, amount: "500" })).toBeNull();
  });

  it("follows what she types: a wrong amount is named, then cleared", () => {
    expect(shownRegimenProblem(true, { ...calcium, amount: "0" })).toMatch(/above 0/);
    expect(shownRegimenProblem(true, { ...calcium, amount: "2,5" })).toBeNull();
  });
});

describe("vitamin D's words", () => {
  const VITAMIN_D = /vitamin D|\bIU\b|mcg|µg/;
  const withNutrient = FORMS.filter((f) => f.nutrient !== undefined);

  it("are under the amount and the care-team box on the vitamin D forms", () => {
    for (const f of withNutrient.filter((x) => x.nutrient === "vitamin_d_iu")) {
      expect(amountHint("supplement", f.nutrient ?? "")).toMatch(/1 mcg = 40 IU/);
      expect(careTeamHint(f.form)).toMatch(/vitamin D/);
    }
  });

  it("are nowhere on the other forms (calcium, fish oil, magnesium…)", () => {
    const others = withNutrient.filter((x) => x.nutrient !== "vitamin_d_iu" && x.nutrient !== "vitamin_k_mcg");
    expect(others.map((f) => f.form)).toEqual(expect.arrayContaining(["calcium_carbonate", "fish_oil"]));
    // The one deliberate mention: a calcium + D tablet's vitamin D is its own item (newcomer walk F5).
    const CALCIUM_D_TABLET = /A calcium \+ D tablet\? Add its vitamin D as its own item \(Vitamin D3, same times\)\./;
    expect(amountHint("supplement", "calcium_mg")).toMatch(CALCIUM_D_TABLET);
    for (const f of others) {
      const hint = amountHint("supplement", f.nutrient ?? "");
      if (f.nutrient !== "calcium_mg") expect(hint).not.toMatch(CALCIUM_D_TABLET);
      expect(hint.replace(CALCIUM_D_TABLET, "")).not.toMatch(VITAMIN_D);
      expect(careTeamHint(f.form) ?? "").not.toMatch(VITAMIN_D);
    }
    // Vitamin K is in mcg (its own unit, in brackets after the label), never vitamin D's words.
    expect(careTeamHint("vitamin_k2_mk7") ?? "").not.toMatch(/vitamin D|IU/);
    expect(careTeamHint("anastrozole")).toBeUndefined();
  });
});
