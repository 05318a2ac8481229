import { describe, expect, it } from "vitest";
import type { StoredRecord } from "../storage/store";
import { editPath, entryTime, summary } from "./summary";

const symptom = (fields: Record<string, unknown>): StoredRecord => ({ key: "symptoms:s1", entity: "symptoms", id: "s1", fields, version: null, deleted: false, touched: 0 });

describe("summary of a joint-symptom entry", () => {
  it("says where it hurts", () => {
    expect(summary(symptom({ worst_pain_0_10: 5, morning_stiffness_minutes: 30, locations: ["hands", "knees"] }), () => undefined)).toBe(
      "Joint pain 5/10, stiffness 30 min · hands, knees",
    );
  });
  it("says nothing more when no place was chosen", () => {
    expect(summary(symptom({ worst_pain_0_10: 2, locations: [] }), () => undefined)).toBe("Joint pain 2/10");
  });
});

describe("editPath", () => {
  it("opens the kind's form for the entry, coming back to a History day when given", () => {
    expect(editPath("meals", "m1")).toBe("/log/meal?id=m1");
    expect(editPath("symptoms", "s1", "/history/2026-12-02")).toBe("/log/symptom?id=s1&back=%2Fhistory%2F2026-12-02");
  });
  it("has no form for a kind that is not logged", () => {
    expect(editPath("regimen", "r1")).toBeNull();
  });
});

describe("entryTime", () => {
  const rec = (entity: StoredRecord["entity"], fields: Record<string, unknown>): StoredRecord => ({ key: `${entity}:x`, entity, id: "x", fields, version: 1, deleted: false, touched: 0 });
  it("shows when an entry happened, in her zone", () => {
    expect(entryTime(rec("doses", { taken_at: "2026-12-04T10:42:00Z" }), "Europe/London")).toBe("10:42");
    expect(entryTime(rec("meals", { eaten_at: "2026-07-14T06:45:00-05:00" }), "America/Chicago")).toBe("06:45");
  });
  it("invents no time for a lab result, given by its date only (newcomer walk: '12:00' she never entered)", () => {
    expect(entryTime(rec("labs", { measured_at: "2026-12-04T12:00:00Z", kind: "vitamin_d_25oh", value: 30, unit: "ng/mL" }), "Europe/London")).toBe("");
  });
});
