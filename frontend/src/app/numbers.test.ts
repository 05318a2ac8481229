import { describe, expect, it } from "vitest";
import { computeDayReport } from "../scoring";
import { componentAmount, componentProgressWords, fmtAmount, placesFor } from "./numbers";

describe("one rounding rule per unit", () => {
  it("writes IU, mg, mcg and minutes as whole numbers, half up", () => {
    expect(fmtAmount(12.3, "IU/day (7-day average)")).toBe("12");
    expect(fmtAmount(12.5, "IU/day (7-day average)")).toBe("13");
    expect(fmtAmount(999.6, "mg")).toBe("1000");
    expect(fmtAmount(30, "min")).toBe("30");
  });

  it("writes servings, BMI and ALA grams with one decimal and no trailing .0", () => {
    expect(fmtAmount(1.25, "servings")).toBe("1.3");
    expect(fmtAmount(2, "servings")).toBe("2");
    expect(fmtAmount(24.06, "BMI")).toBe("24.1");
    expect(fmtAmount(1.06, "g", "ala")).toBe("1.1");
    expect(fmtAmount(1.06, "g", "fiber")).toBe("1");
    expect(placesFor("mg/day (7-day average)")).toBe(0);
  });

  it("gives every component's value and target the same digits as its explanation", () => {
    const report = computeDayReport({
      day: "2026-12-02",
      profile: { sex: "female", height_cm: 165, time_zone: "UTC" },
      meals: [
        { id: "m", eaten_at: "2026-12-02T08:00:00Z", items: [{ food_name: "x", grams: 100, nutrients: { calcium_mg: 123.4, vitamin_d_iu: 86.1, ala_g: 1.06, fiber_g: 7.4, magnesium_mg: 55.5, epa_mg: 12.3, dha_mg: 4.4 }, servings: { polyphenol: 1.25 } }] },
      ],
      doses: [],
      workouts: [],
      symptoms: [],
      regimen: [],
      labs: [],
      measurements: [{ id: "w", measured_at: "2026-12-01T08:00:00Z", weight_kg: 61.37 }],
    });
    let checked = 0;
    for (const c of report.components) {
      if (c.excluded || c.value === null) continue;
      const numbers = c.explanation.match(/\d+(?:\.\d+)?/g) ?? [];
      if (numbers.length === 0) continue; // "No calcium supplement today": no number to match
      expect(numbers, `${c.key}: "${c.explanation}"`).toContain(fmtAmount(c.value, c.unit, c.key));
      if (c.target !== null) expect(numbers, `${c.key}: "${c.explanation}"`).toContain(fmtAmount(c.target, c.unit, c.key));
      checked += 1;
    }
    expect(checked).toBeGreaterThan(8);
  });
});

describe("a component's amount says one fact", () => {
  const base = { excluded: false, value: null, target: null, unit: "" };
  it("says a calcium sitting as an amount at one time and its credit, never as a share of 500 mg", () => {
    const half = { ...base, key: "calcium_sittings", credit: 0.5, value: 600, target: 500, unit: "mg" };
    expect(componentAmount(half)).toBe("600 mg at one time · half credit");
    expect(componentProgressWords(half)).toBe("half credit");
    expect(componentAmount({ ...half, credit: 1, value: 0 })).toBe("no calcium supplement · full credit");
    expect(componentAmount({ ...half, credit: 0, value: 800 })).toBe("800 mg at one time · no credit");
  });

  it("makes the unit agree with a target of one", () => {
    expect(componentAmount({ ...base, key: "mufa_foods", credit: 0, value: 0, target: 1, unit: "servings" })).toBe("0 of 1 serving");
    expect(componentAmount({ ...base, key: "polyphenol_foods", credit: 0.3, value: 1.5, target: 5, unit: "servings" })).toBe("1.5 of 5 servings");
    expect(componentAmount({ ...base, key: "symptom_check_in", credit: 0, value: 0, target: 1, unit: "check-ins" })).toBe("0 of 1 check-in");
  });

  it("agrees with the engine's explanation of a sitting of 600 mg", () => {
    const report = computeDayReport({
      day: "2026-11-20",
      profile: { sex: "female", height_cm: 165, time_zone: "UTC" },
      meals: [],
      doses: [{ id: "d", taken_at: "2026-11-20T08:00:00Z", kind: "supplement", units: 1, nutrients: { calcium_mg: 600 } }],
      workouts: [],
      symptoms: [],
      regimen: [],
      labs: [],
      measurements: [],
    });
    const c = report.components.find((x) => x.key === "calcium_sittings");
    expect(c?.explanation).toContain("600 mg (up to 500 mg at a time counts in full, up to 600 mg counts half");
    expect(c && componentAmount(c)).toBe("600 mg at one time · half credit");
  });
});
