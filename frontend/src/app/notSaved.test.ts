/** A refused new entry counts nowhere on the phone (issue #14 §4b): Today, History, Trends agree. */
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { Store } from "../storage/store";
import { loadAll, localReport } from "./day";
import { entriesOn } from "../screens/today/Today";

const DAY = "2026-07-14";
const AT = "2026-07-14T12:00:00-05:00";
const cheese = (grams: number) => ({ food_name: "Cheddar cheese", grams, nutrients: { calcium_mg: (grams * 720) / 100 } });

describe("a new entry the server refused", () => {
  it("is listed as not saved and left out of every count until she fixes it", async () => {
    const store = Store.open(`not-saved-${Date.now()}`);
    await store.save("profile", "me", { time_zone: "America/Chicago", unit_system: "us", sex: "female" });
    await store.save("meals", "ok", { name: "Breakfast", eaten_at: AT, items: [cheese(30)] });
    await store.save("meals", "huge", { name: "Lunch", eaten_at: AT, items: [cheese(50_000)] });
    const before = localReport(await loadAll(store), DAY);
    const ops = await store.pendingOps(10);
    const huge = ops.find((o) => o.id === "huge")!;
    await store.reject(huge, { status: 422, errors: [{ field: "fields.items[0].grams", rule: "less_than_equal", detail: "Input should be less than or equal to 5000" }] });

    const data = await loadAll(store);
    expect(data.meals.map((m) => m.id)).toEqual(["ok"]);
    expect(data.notSaved?.map((m) => m.id)).toEqual(["huge"]);
    // The lists still show it, so she can find and fix it...
    expect(entriesOn(data, DAY, "America/Chicago").map((r) => r.id).sort()).toEqual(["huge", "ok"]);
    expect((await store.states()).get("meals:huge")).toBe("not-saved");
    // ...but the day's calcium is the breakfast's alone (History and Trends read this report).
    const after = localReport(data, DAY);
    const calcium = (r: typeof after) => r?.components.find((c) => c.key === "calcium_total")?.credit;
    expect(calcium(before)).toBeGreaterThan(calcium(after)!);
    store.db.close();
  });
});
