/** One order for every list of entries (issue #14: "Logged today" was not in time order). */
import { describe, expect, it } from "vitest";
import type { StoredRecord } from "../storage/store";
import { byEntryTime, type LocalData } from "./day";
import { entriesOn } from "../screens/today/Today";

function rec(entity: StoredRecord["entity"], id: string, fields: Record<string, unknown>, touched = 0): StoredRecord {
  return { key: `${entity}:${id}`, entity, id, fields, version: 1, deleted: false, touched };
}

// Her morning in Chicago (UTC-5 in July): forms write her offset, a dose taken from Today's
// button writes the phone's (UTC). As text, "12:23:00+00:00" sorts before "11:45:00-05:00".
const breakfast = rec("meals", "m1", { eaten_at: "2026-07-14T06:45:00-05:00", items: [] });
const walk = rec("workouts", "w1", { started_at: "2026-07-14T07:22:00-05:00", minutes: 30 });
const weight = rec("measurements", "x1", { measured_at: "2026-07-14T07:24:00-05:00", weight_kg: 68 });
const dose = rec("doses", "d1", { taken_at: "2026-07-14T12:23:00+00:00", regimen_item_id: "r", units: 1 });
const lunch = rec("meals", "m2", { eaten_at: "2026-07-14T13:23:00-05:00", items: [] });

describe("entries are listed by their time, then by creation", () => {
  it("compares times as instants, whatever offset each was written with", () => {
    const sorted = [lunch, dose, weight, breakfast, walk].sort(byEntryTime).map((r) => r.id);
    expect(sorted).toEqual(["m1", "w1", "d1", "x1", "m2"]);
  });

  it("two entries at the same moment keep the order they were created in", () => {
    const first = rec("symptoms", "zz", { measured_at: "2026-07-14T07:00:00-05:00", created_at: "2026-07-14T12:00:05Z" });
    const second = rec("doses", "aa", { taken_at: "2026-07-14T12:00:00Z", created_at: "2026-07-14T12:00:09Z" });
    expect([second, first].sort(byEntryTime).map((r) => r.id)).toEqual(["zz", "aa"]);
    // Not yet synced: when this phone wrote it.
    const a = rec("meals", "b", { eaten_at: "2026-07-14T07:00:00-05:00" }, 2000);
    const b = rec("meals", "a", { eaten_at: "2026-07-14T07:00:00-05:00" }, 1000);
    expect([a, b].sort(byEntryTime).map((r) => r.id)).toEqual(["a", "b"]);
  });

  it("Today lists her day in that order", () => {
    const data: LocalData = {
      profile: undefined,
      meals: [lunch, breakfast],
      doses: [dose],
      workouts: [walk],
      symptoms: [],
      labs: [],
      measurements: [weight],
      regimen: [],
    };
    expect(entriesOn(data, "2026-07-14", "America/Chicago").map((r) => r.id)).toEqual(["m1", "w1", "d1", "x1", "m2"]);
  });
});
