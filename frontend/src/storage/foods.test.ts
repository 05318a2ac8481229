import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { customFoodFields, customFoodInput } from "../app/foods";
import { foodRowOf } from "./foods";
import { Store } from "./store";

let store: Store;
let n = 0;

beforeEach(() => {
  n += 1;
  store = Store.open(`foods-test-${n}`);
});

afterEach(() => {
  store.db.close();
});

const kefir = customFoodFields({ name: "Kefir", servingGrams: 250, nutrients: { calcium_mg: 300, vitamin_d_iu: 100 } });

async function calcium(id: string): Promise<number | undefined> {
  const row = (await store.db.foods.get(id)) as { nutrients_per_100g?: Record<string, number> } | undefined;
  return row?.nutrients_per_100g?.calcium_mg;
}

describe("foods of the person's own", () => {
  it("round-trips the form's values through the stored fields", () => {
    expect(customFoodInput(kefir)).toEqual({ name: "Kefir", servingGrams: 250, nutrients: { calcium_mg: 300, vitamin_d_iu: 100 } });
    const odd = customFoodFields({ name: "Bar", servingGrams: 7, nutrients: { calcium_mg: 12.34 } });
    expect(customFoodInput(odd).nutrients.calcium_mg).toBe(12.34);
    // Saving the prefilled form unchanged gives the very same fields: nothing is queued.
    expect(customFoodFields(customFoodInput(odd))).toEqual(odd);
    expect(customFoodInput({ name: "Per 100", nutrients_per_100g: { calcium_mg: 50 }, portions: [] }).servingGrams).toBeNull();
  });

  it("an edit changes the pack row at once and queues only the changed fields", async () => {
    await store.foods.saveCustomFood("k", kefir, foodRowOf("k", kefir));
    await store.db.outbox.clear();
    const edited = customFoodFields({ name: "Kefir", servingGrams: 250, nutrients: { calcium_mg: 375, vitamin_d_iu: 100 } });
    await store.save("custom_foods", "k", edited);
    expect(await calcium("k")).toBe(150);
    const ops = await store.db.outbox.toArray();
    expect(ops.map((o) => Object.keys(o.fields ?? {}))).toEqual([["nutrients_per_100g"]]);
  });

  it("a delete takes the food out of the pack; Undo puts it back (a copy once the server has the delete)", async () => {
    await store.foods.saveCustomFood("k", kefir, foodRowOf("k", kefir));
    await store.foods.setFavourite("k", true);
    await store.remove("custom_foods", "k");
    expect(await store.db.foods.get("k")).toBeUndefined();
    expect(await store.undoRemove("custom_foods", "k")).toBe("k");
    expect(await calcium("k")).toBe(120);
    expect((await store.db.foods.get("k"))?.favourite).toBe(true);

    // The server has the create and then the delete: Undo makes a new food.
    const [create] = await store.pendingOps(10);
    await store.ackApplied(create!, 1, null);
    await store.remove("custom_foods", "k");
    const del = (await store.pendingOps(10)).find((o) => o.kind === "delete" && o.id === "k");
    await store.ackApplied(del!, 2, null);
    // The answered delete took the tombstone with it: the caller's copy of the fields is used.
    const copy = await store.undoRemove("custom_foods", "k", kefir);
    expect(copy).not.toBe("k");
    expect(await store.db.foods.get("k")).toBeUndefined();
    expect(await calcium(copy)).toBe(120);
    const ops = await store.pendingOps(10);
    expect(ops.at(-1)).toMatchObject({ id: copy, kind: "upsert", base_version: null });
  });

  it("a pack refresh keeps queued edits and deletes of the person's foods", async () => {
    const other = customFoodFields({ name: "Oat milk", servingGrams: null, nutrients: { calcium_mg: 120 } });
    await store.foods.saveCustomFood("k", kefir, foodRowOf("k", kefir));
    await store.foods.saveCustomFood("o", other, foodRowOf("o", other));
    await store.save("custom_foods", "k", customFoodFields({ name: "Kefir", servingGrams: 250, nutrients: { calcium_mg: 500 } }));
    await store.remove("custom_foods", "o");
    // The server's pack, made before it heard of either change.
    await store.foods.replaceFoods([foodRowOf("k", kefir), foodRowOf("o", other), { id: "cat", name: "Milk" }]);
    expect(await calcium("k")).toBe(200);
    expect(await store.db.foods.get("o")).toBeUndefined();
    expect(await store.db.foods.get("cat")).toBeDefined();
  });
});
