import { describe, expect, it } from "vitest";
import { effectiveTargets, TARGET_KEYS } from "../../scoring";
import { fmtTargetNumber, headlineTargets, inputUnit, TARGET_GROUPS, TARGET_NAME, targetAmount, targetLine } from "./targetWords";

describe("targets in plain words", () => {
  it("says each kind of unit as people do, with the right plural", () => {
    expect(targetAmount({ value: 1200, unit: "mg/day" })).toBe("1,200 mg a day");
    expect(targetAmount({ value: 1000, unit: "IU/day (7-day average)" })).toBe("1,000 IU a day on average over the week");
    expect(targetAmount({ value: 1, unit: "servings/day" })).toBe("1 serving a day");
    expect(targetAmount({ value: 5, unit: "servings/day" })).toBe("5 servings a day");
    expect(targetAmount({ value: 150, unit: "minutes in 7 days" })).toBe("150 minutes a week");
    expect(targetAmount({ value: 1, unit: "days in 7 days" })).toBe("1 day a week");
    expect(targetAmount({ value: 2, unit: "days in 7 days" })).toBe("2 days a week");
    expect(targetAmount({ value: 1.1, unit: "g/day" })).toBe("1.1 g a day");
  });

  it("never shows the protocol's wording, a doubled parenthesis, '1 servings' or a key", () => {
    for (const sex of ["female", "male", null] as const) {
      for (const t of effectiveTargets({ sex, cleared_for_high_impact: true, target_overrides: { mufa_servings: { value: 1, set_by_care_team: false } } })) {
        const line = targetLine(t);
        expect(line).not.toMatch(/in 7 days|7-day average|protocol|default|\(\(|\)\s*\(|\b1 servings\b|\b1 days\b|_/);
        expect((line.match(/\(/g) ?? []).length).toBeLessThanOrEqual(1);
      }
    }
  });

  it("names every target and puts each in exactly one group", () => {
    const grouped = TARGET_GROUPS.flatMap((g) => g.keys);
    expect([...grouped].sort()).toEqual([...TARGET_KEYS].sort());
    for (const k of TARGET_KEYS) expect(TARGET_NAME[k]).toBeTruthy();
    for (const g of TARGET_GROUPS) for (const h of g.headline) expect(g.keys).toContain(h);
  });

  it("keeps the summary short, and high-impact out of it until she is cleared", () => {
    const targets = effectiveTargets({ sex: "female", cleared_for_high_impact: false, target_overrides: {} });
    const shown = TARGET_GROUPS.flatMap((g) => headlineTargets(g, targets, false));
    expect(shown.length).toBeLessThanOrEqual(10);
    expect(shown.map((t) => t.key)).not.toContain("high_impact_days");
    expect(targetLine(shown[0]!)).toBe("Calcium: 1,200 mg a day");
  });

  it("writes numbers without noise and the input's unit with its plural", () => {
    expect(fmtTargetNumber(1.1)).toBe("1.1");
    expect(fmtTargetNumber(320)).toBe("320");
    expect(fmtTargetNumber(2.0000001)).toBe("2");
    expect(inputUnit("servings/day", 1)).toBe("serving");
    expect(inputUnit("minutes in 7 days")).toBe("minutes");
    expect(inputUnit("IU/day (7-day average)")).toBe("IU");
  });
});
