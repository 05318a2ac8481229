import { describe, expect, it } from "vitest";
import { ENTRY_LIMITS, TARGET_LIMITS } from "../scoring/tables.gen";
import { checkAmount, doseChecks, doseNutrientChecks, durationWords, gramsCheck, labCheck, stiffnessCheck, targetCheck, weightCheck, workoutMinutesCheck, worstOf } from "./limits";

describe("the table of entry limits on the phone", () => {
  it("asks about 24 hours of yoga, in her words, and refuses more than a day", () => {
    expect(workoutMinutesCheck(24 * 60, "Yoga")).toEqual({ kind: "ask", message: "Are you sure? 24 hours of yoga is far more than usual." });
    expect(workoutMinutesCheck(45, "Yoga")).toEqual({ kind: "ok" });
    expect(workoutMinutesCheck(1441, "Yoga").kind).toBe("refuse");
    expect(workoutMinutesCheck(0, "Yoga").kind).toBe("refuse");
    expect(workoutMinutesCheck(Number.NaN, "Yoga")).toEqual({ kind: "refuse", message: "Type the number only, for example 30." });
    expect(stiffnessCheck(Number.NaN)).toEqual({ kind: "refuse", message: "Type the number only, for example 20." });
  });

  it("asks about 5 kg of cheese and refuses 50 kg", () => {
    expect(gramsCheck(5000, "cheddar")).toEqual({ kind: "ask", message: "Are you sure? 5000 g of cheddar is far more than usual." });
    expect(gramsCheck(50_000, "cheddar")).toEqual({ kind: "refuse", message: "50000 g of cheddar is not possible: enter from 0 to 5000 g." });
    expect(gramsCheck(0, "cheddar").kind).toBe("refuse");
    // "about 4" is no number: she is told what to type, in the unit she types in (F8).
    expect(gramsCheck(Number.NaN, "yogurt", true)).toEqual({ kind: "refuse", message: "Type the number only, for example 4." });
    expect(gramsCheck(150, "cheddar")).toEqual({ kind: "ok" });
    // US units: she typed ounces, so she is answered in ounces (and pounds), never grams.
    expect(gramsCheck(50_009, "cheddar", true)).toEqual({ kind: "refuse", message: "1764 oz (110.3 lb) of cheddar is not possible: one food can be at most 176 oz (11 lb)." });
  });

  it("asks about 30 000 IU of vitamin D in one tablet, refuses more than the API takes", () => {
    expect(doseNutrientChecks({ vitamin_d_iu: 30_000 }, "in one tablet or dose")).toEqual([
      { kind: "ask", message: "Are you sure? 30000 IU of vitamin D in one tablet or dose is far more than usual." },
    ]);
    expect(worstOf(doseNutrientChecks({ vitamin_d_iu: 1000, calcium_mg: 500 }))).toEqual({ kind: "ok" });
    expect(worstOf(doseNutrientChecks({ vitamin_d_iu: 200_000 })).kind).toBe("refuse");
  });

  it("asks about a dose's amount only when more tablets made it unusual", () => {
    // One 50 000 IU tablet was asked about when the item was saved: a weekly dose is not asked again.
    expect(worstOf(doseChecks(1, { vitamin_d_iu: 50_000 }))).toEqual({ kind: "ok" });
    expect(worstOf(doseChecks(3, { vitamin_d_iu: 10_000 }))).toEqual({ kind: "ask", message: "Are you sure? 30000 IU of vitamin D in one dose is far more than usual." });
    // Two 600 mg calcium tablets: asked about, and why (the protocol's calcium sitting).
    expect(worstOf(doseChecks(2, { calcium_mg: 600 }))).toEqual({
      kind: "ask",
      message: "Are you sure? 1200 mg of calcium in one dose is far more than usual. Calcium is absorbed best in small amounts: about 500 mg or less at a time.",
    });
    expect(worstOf(doseChecks(10, {})).kind).toBe("ask");
    expect(worstOf(doseChecks(21, {})).kind).toBe("refuse");
    expect(worstOf(doseChecks(0, {})).kind).toBe("refuse"); // above 0: no dose of nothing
  });

  it("weights: the old form's range is now the usual one; only the impossible is refused", () => {
    expect(weightCheck(68, false)).toEqual({ kind: "ok" });
    expect(weightCheck(25, false)).toEqual({ kind: "ask", message: "Are you sure? A weight of 25 kg is far less than usual." });
    expect(weightCheck(260, false).kind).toBe("ask");
    expect(weightCheck(19, false).kind).toBe("refuse");
    expect(weightCheck(150, true)).toEqual({ kind: "ok" });
    expect(weightCheck(600, true).kind).toBe("ask");
    expect(weightCheck(900, true).kind).toBe("refuse");
  });

  it("lab results are checked in the test's canonical unit and refused in the unit she typed", () => {
    expect(labCheck("vitamin_d_25oh", "nmol/L", "75", "vitamin D")).toEqual({ kind: "ok" });
    expect(labCheck("vitamin_d_25oh", "ng/mL", "180", "vitamin D")).toEqual({ kind: "ask", message: "Are you sure? 180 ng/mL of vitamin D is far more than usual." });
    expect(labCheck("vitamin_d_25oh", "ng/mL", "400", "vitamin D")).toEqual({
      kind: "refuse",
      message: "400 ng/mL is outside what this test can show. Check the number and the unit on your letter.",
    });
    expect(labCheck("dxa_t_score", "T-score", "-6", "T-score").kind).toBe("ask");
    expect(labCheck("total_cholesterol", "mmol/L", "5.2", "cholesterol")).toEqual({ kind: "ok" });
    expect(labCheck("total_cholesterol", "mmol/L", "", "cholesterol")).toEqual({ kind: "refuse", message: "Enter the result as a number." });
    // Words in the box: the box's own refusal, which askFirst leaves to the box (said once).
    expect(labCheck("total_cholesterol", "mmol/L", "high", "cholesterol")).toEqual({ kind: "refuse", message: "Type the number only, for example 2." });
  });

  it("morning stiffness and the words for durations", () => {
    expect(stiffnessCheck(30)).toEqual({ kind: "ok" });
    expect(stiffnessCheck(600)).toEqual({ kind: "ask", message: "Are you sure? 10 hours of morning stiffness is far more than usual." });
    expect(stiffnessCheck(2000).kind).toBe("refuse");
    expect(durationWords(90)).toBe("1 hour 30 minutes");
    expect(durationWords(1)).toBe("1 minute");
    expect(durationWords(0)).toBe("0 minutes");
  });

  it("every row asks inside its hard range and refuses just outside it", () => {
    for (const [key, row] of Object.entries(ENTRY_LIMITS) as [keyof typeof ENTRY_LIMITS, (typeof ENTRY_LIMITS)[keyof typeof ENTRY_LIMITS]][]) {
      expect(checkAmount(key, row.hard_max + 1, "x").kind, key).toBe("refuse");
      expect(checkAmount(key, row.hard_min - 1, "x").kind, key).toBe("refuse");
      if (row.usual_max < row.hard_max) expect(checkAmount(key, row.hard_max, "x").kind, key).toBe("ask");
      expect(checkAmount(key, (row.usual_min + row.usual_max) / 2, "x").kind, key).toBe("ok");
    }
  });
});

describe("targetCheck (TARGET_LIMITS)", () => {
  it("refuses calcium 99999 mg a day, asks about 2000, passes 1000", () => {
    const refused = targetCheck("calcium_mg", 99999, "Calcium");
    expect(refused.kind).toBe("refuse");
    expect(refused.kind === "refuse" && refused.message).toBe(`A calcium target of 99999 mg a day is not possible: enter from ${TARGET_LIMITS.calcium_mg.hard_min} to ${TARGET_LIMITS.calcium_mg.hard_max} mg a day.`);
    const asked = targetCheck("calcium_mg", TARGET_LIMITS.calcium_mg.usual_max + 500, "Calcium");
    expect(asked.kind).toBe("ask");
    expect(asked.kind === "ask" && asked.message).toMatch(/^Are you sure\? .* ask your care team before you set it\.$/);
    expect(targetCheck("calcium_mg", 1000, "Calcium").kind).toBe("ok");
  });
  it("has a row for every target, holding its usual range inside its hard range", () => {
    for (const row of Object.values(TARGET_LIMITS)) {
      expect(row.hard_min).toBeLessThanOrEqual(row.usual_min);
      expect(row.usual_max).toBeLessThanOrEqual(row.hard_max);
    }
    expect(targetCheck("weight_bearing_minutes", 5, "Weight-bearing exercise").kind).toBe("refuse");
  });
});
