import { describe, expect, it } from "vitest";
import type { LocalData } from "./day";
import { localReport } from "./day";
import { beforeFirstDay, firstDay } from "./firstDay";
import type { StoredRecord } from "../storage/store";

const BASE = { id: "x", version: null, deleted: false, touched: 1 };
const rec = (entity: StoredRecord["entity"], fields: Record<string, unknown>): StoredRecord => ({ ...BASE, key: `${entity}:x`, entity, fields });

function data(createdAt: string | null, meals: string[] = [], zone = "Europe/London"): LocalData {
  return {
    profile: rec("profile", { time_zone: zone, sex: "female", ...(createdAt ? { created_at: createdAt } : {}) }),
    meals: meals.map((t) => rec("meals", { eaten_at: t, name: "Lunch", items: [] })),
    doses: [],
    workouts: [],
    symptoms: [],
    labs: [],
    measurements: [],
    regimen: [],
  };
}

describe("the first day", () => {
  it("is the local day the account was made, in the profile's zone", () => {
    // 03:00 UTC on 21 Nov is still 20 Nov in New York.
    expect(firstDay(data("2026-11-21T03:00:00+00:00"), "Europe/London")).toBe("2026-11-21");
    expect(firstDay(data("2026-11-21T03:00:00+00:00"), "America/New_York")).toBe("2026-11-20");
  });

  it("moves back to the first entry typed in after the fact, but not for a lab", () => {
    const d = data("2026-11-21T03:00:00+00:00", ["2026-11-10T12:00:00+00:00"]);
    d.labs = [rec("labs", { measured_at: "2019-01-01T09:00:00+00:00", kind: "vitamin_d_25oh", value: 30, unit: "ng/mL" })];
    expect(firstDay(d, "Europe/London")).toBe("2026-11-10");
  });

  it("holds no day back while the account's creation is not known yet", () => {
    expect(firstDay(data(null, ["2026-11-10T12:00:00+00:00"]), "Europe/London")).toBeNull();
  });

  it("gives no score to a day before it and a score from it on", () => {
    const d = data("2026-11-21T03:00:00+00:00");
    expect(beforeFirstDay(d, "2026-11-20", "Europe/London")).toBe(true);
    expect(localReport(d, "2026-11-20")).toBeNull();
    expect(localReport(d, "2026-11-21")?.overall).toBeTypeOf("number");
  });
});
