import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { Store } from "../storage/store";
import type { EntityFields, WireOp } from "./entities";

// The type checks here are the point: `npm run typecheck` (tsc over src/, tests included) fails
// when a `@ts-expect-error` line stops being an error, i.e. when a bad payload would compile.
describe("writes typed by the API", () => {
  it("takes a record the server accepts and refuses, at compile time, what it would refuse at push", async () => {
    const store = Store.open(`entities-test-${Math.random()}`);
    const weight: EntityFields["measurements"] = { measured_at: "2026-11-27T08:00:00+01:00", weight_kg: 70, weight_lb: null };
    await store.save("measurements", "w", weight);
    // @ts-expect-error: weight is a number, not text
    await store.save("measurements", "w2", { weight_kg: "70" });
    // @ts-expect-error: no such field on a meal
    await store.save("meals", "m", { name: "Lunch", grams: 10 });
    // @ts-expect-error: not an entity sync carries
    await store.save("users", "u", {});
    // @ts-expect-error: a lab kind the server does not know
    const lab: EntityFields["labs"] = { measured_at: "2026-11-27T08:00:00+01:00", kind: "vitamin_x", value: 1, unit: "ng/mL" };
    const ops = await store.pendingOps(10);
    expect(ops.map((o) => o.entity)).toEqual(["measurements", "measurements", "meals", "users"]);
    expect(ops[0]?.fields).toEqual(weight);
    expect(lab.kind).toBe("vitamin_x");
    store.db.close();
  });

  it("puts every outbox operation on the wire as the API's Operation", () => {
    // @ts-expect-error: an operation kind the server does not know
    const op: WireOp = { op_id: "a", entity: "meals", id: "m", kind: "replace", base_version: null };
    expect(op.kind).toBe("replace");
  });
});
