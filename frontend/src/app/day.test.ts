/**
 * The phone's engine gets the same inputs as the server's: a regimen item's creation time and
 * earliest dose (its start, PROTOCOL.md §1), whatever the window of doses a day report reads.
 */
import { describe, expect, it } from "vitest";
import type { StoredRecord } from "../storage/store";
import { dayInput, type LocalData, localPatterns, localReport, regimenItems } from "./day";

const ANASTROZOLE = {
  name: "Anastrozole 1 mg",
  kind: "medicine",
  form: "anastrozole",
  nutrients_per_unit: {},
  servings_per_unit: {},
  default_units: 1,
  schedule_times: ["08:00"],
  prescribed_daily: true,
  active: true,
};

function record(entity: StoredRecord["entity"], id: string, fields: Record<string, unknown>, touched = 0): StoredRecord {
  return { key: `${entity}:${id}`, entity, id, fields, version: touched ? null : 1, deleted: false, touched };
}

function data(parts: Partial<LocalData>): LocalData {
  return {
    profile: record("profile", "me", { time_zone: "UTC" }),
    meals: [],
    doses: [],
    workouts: [],
    symptoms: [],
    labs: [],
    measurements: [],
    regimen: [],
    ...parts,
  };
}

const flagKeys = (d: LocalData, day: string) => (localReport(d, day)?.flags ?? []).map((f) => f.key);

describe("regimen inputs", () => {
  it("an item added on this phone today is not missed yesterday (sign-up day)", () => {
    const touched = Date.parse("2026-03-10T07:30:00Z");
    const d = data({ regimen: [record("regimen", "a", ANASTROZOLE, touched)] });
    expect(flagKeys(d, "2026-03-10")).not.toContain("medication_missed");
    expect(localReport(d, "2026-03-10")?.adherence[0]?.days_7).toBeNull();
  });

  it("an item pulled with the server's creation time starts then", () => {
    const d = data({ regimen: [record("regimen", "a", { ...ANASTROZOLE, created_at: "2026-03-05T08:00:00+00:00" })] });
    expect(flagKeys(d, "2026-03-10")).toContain("medication_missed");
  });

  it("the earliest dose counts even when it is older than the report's window", () => {
    const d = data({
      regimen: [record("regimen", "a", { ...ANASTROZOLE, created_at: "2026-03-10T08:00:00+00:00" })],
      doses: [record("doses", "d1", { regimen_item_id: "a", taken_at: "2025-10-01T08:00:00+00:00" })],
    });
    expect(regimenItems(d)[0]?.earliest_dose_at).toBe("2025-10-01T08:00:00+00:00");
    const input = dayInput(d, "2026-03-10");
    expect(input.doses).toHaveLength(0); // outside the 91 days the report reads
    expect(flagKeys(d, "2026-03-10")).toContain("medication_missed"); // started 2025-10-01
  });

  it("passes set_by_care_team through to the engine", () => {
    const d = data({
      regimen: [record("regimen", "v", { ...ANASTROZOLE, form: "vitamin_d3", kind: "supplement", prescribed_daily: false, set_by_care_team: true, created_at: "2026-01-01T08:00:00+00:00" })],
      doses: [record("doses", "d1", { regimen_item_id: "v", taken_at: "2026-03-07T08:00:00+00:00", nutrients: { vitamin_d_iu: 50000 } })],
    });
    expect(regimenItems(d)[0]?.set_by_care_team).toBe(true);
    expect(flagKeys(d, "2026-03-10")).not.toContain("vitamin_d_above_ul");
  });
});

describe("local patterns", () => {
  it("counts check-ins after exercise and rest days offline", () => {
    const d = data({
      workouts: [record("workouts", "w", { activity: "walking", started_at: "2026-03-09T07:00:00+00:00", minutes: 20, intensity: "moderate" })],
      symptoms: [
        record("symptoms", "s1", { measured_at: "2026-03-10T09:00:00+00:00", worst_pain_0_10: 3 }),
        record("symptoms", "s2", { measured_at: "2026-03-09T09:00:00+00:00", worst_pain_0_10: 5 }),
      ],
    });
    const p = localPatterns(d, "2026-03-10")?.pain_after_exercise;
    expect(p?.shown).toBe(false);
    expect([p?.after_exercise_days, p?.after_rest_days]).toEqual([1, 1]);
    expect(p?.days_needed).toEqual({ after_exercise: 6, after_rest: 6 });
  });
});
