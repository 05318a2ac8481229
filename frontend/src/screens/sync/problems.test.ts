import { describe, expect, it } from "vitest";
import type { RejectedOp } from "../../storage/store";
import { conflictText, lostEditNotice, refusalText, type Conflict } from "./problems";

function refused(entity: RejectedOp["entity"], fields: Record<string, unknown>, errors: { field: string; rule: string; detail: string }[]): RejectedOp {
  return { op_id: "op", key: `${entity}:x`, entity, id: "x", kind: "upsert", fields, problem: { status: 422, detail: errors[0]?.detail ?? "", errors }, at: 0 };
}

describe("a refused change in her words and units (issue #14 §4a)", () => {
  const cheese = refused("meals", { name: "Lunch", eaten_at: "2026-07-14T12:00:00-05:00", items: [{ food_name: "Cheddar cheese", grams: 50_000 }] }, [
    { field: "fields.items[0].grams", rule: "less_than_equal", detail: "Input should be less than or equal to 5000" },
  ]);

  it("names the food, the amount and the limit in ounces with the metric beside", () => {
    expect(refusalText(cheese, "us")).toBe("Cheddar cheese: 1764 oz is more than the 176 oz (5 kg) one food can be.");
  });

  it("in metric, kilograms", () => {
    expect(refusalText(cheese, "metric")).toBe("Cheddar cheese: 50 kg is more than the 5 kg one food can be.");
  });

  it("a weight below the least, in pounds", () => {
    const r = refused("measurements", { measured_at: "2026-07-14T07:00:00-05:00", weight_kg: 9 }, [
      { field: "weight_kg", rule: "greater_than_equal", detail: "Input should be greater than or equal to 20" },
    ]);
    expect(refusalText(r, "us")).toBe("Weight: 20 lb is less than 44 lb (20 kg), the least a weight can be.");
  });

  it("a problem with no limit keeps the field's plain name, with grammar", () => {
    const r = refused("meals", { items: [] }, [{ field: "items", rule: "too_short", detail: "List should have at least 1 item after validation" }]);
    expect(refusalText(r, "us")).toBe("Meal: the foods were not accepted (List should have at least 1 item after validation).");
    const tz = refused("profile", { time_zone: "Mars/Base" }, [{ field: "time_zone", rule: "zone", detail: "not an IANA time zone" }]);
    expect(refusalText(tz, "us")).toBe("Your profile: the time zone was not accepted (not a time zone).");
  });
});

describe("a conflict in her units, with where each value came from (issue #14 §5)", () => {
  const c: Conflict = {
    id: "c",
    key: "measurements:m",
    entity: "measurements",
    entity_id: "m",
    field: "weight_kg",
    winning_value: 68.039,
    losing_value: 70.307,
    winning_device: "phone-1",
    losing_device: "laptop-9",
    created_at: "2026-07-14T12:05:00Z",
  };

  it("shows pounds, the field's name, which device and when", () => {
    const text = conflictText(c, "us", "phone-1");
    expect(text).toMatch(/^Weight: kept 150\.0 lb \(from this phone\); the other change, 155\.0 lb \(from another device\), was set aside on 14 Jul, \d\d:05\.$/);
    expect(text).not.toContain("68.039");
  });

  it("says a weight typed in pounds to 0.1 lb, so 150.0 and 149.5 never read alike", () => {
    const lb = { ...c, field: "weight_lb", winning_value: 150, losing_value: 149.5 };
    expect(conflictText(lb, "us", "phone-1")).toMatch(/^Weight: kept 150\.0 lb \(from this phone\); the other change, 149\.5 lb/);
  });

  it("says two numbers exactly when her units would round them alike", () => {
    const close = { ...c, winning_value: 68.03, losing_value: 68.02 };
    const text = conflictText(close, "metric", "phone-1");
    expect(text).toContain("68.0 kg (exactly 68.03)");
    expect(text).toContain("68.0 kg (exactly 68.02)");
  });

  it("says an edit against a deletion as what happened, naming the phones", () => {
    const whole = { ...c, field: "*", winning_value: null, losing_value: { name: "Lunch" }, winning_device: "laptop-9", losing_device: "phone-1" };
    expect(conflictText(whole, "us", "phone-1")).toMatch(/^The whole entry was deleted on another device, and the change made to it on this phone was set aside on 14 Jul/);
    const kept = { ...whole, winning_value: { name: "Lunch" }, losing_value: null, winning_device: "phone-1", losing_device: "laptop-9" };
    expect(conflictText(kept, "us", "phone-1")).toMatch(/^The entry was changed on this phone, and deleting it on another device was set aside on .*: it is still there\.$/);
  });

  it("says nothing of devices the server did not name", () => {
    expect(conflictText({ ...c, winning_device: null, losing_device: null }, "metric", "phone-1")).toMatch(/^Weight: kept 68\.0 kg; the other change, 70\.3 kg, was set aside/);
  });
});

describe("the notice on the phone whose change lost (issue #14 leftover 1)", () => {
  const lost: Conflict = {
    id: "c2", key: "symptoms:s", entity: "symptoms", entity_id: "s", field: "worst_pain_0_10",
    losing_value: 5, winning_value: 7, losing_device: "phone-1", winning_device: "phone-2", created_at: "2026-07-14T16:05:00Z",
  };

  it("names the entry and both values, this phone's as the one set aside", () => {
    expect(lostEditNotice([lost], "metric", "phone-1")).toMatch(/^Joint symptoms entry: changed on another device after this phone\. Worst pain: kept 7 \(from another device\); the other change, 5 \(from this phone\), was set aside on 14 Jul, \d\d:05\.$/);
  });

  it("counts several, and says them in her units", () => {
    const weight: Conflict = { ...lost, id: "c3", entity: "measurements", field: "weight_kg", losing_value: 70.3, winning_value: 68 };
    expect(lostEditNotice([weight], "us", "phone-1")).toContain("kept 149.9 lb (from another device); the other change, 155.0 lb (from this phone)");
    expect(lostEditNotice([lost, weight], "metric", "phone-1")).toBe("2 of your changes were replaced by changes from another device. Sync lists them; you can put yours back.");
  });
});
