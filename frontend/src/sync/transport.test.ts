import "fake-indexeddb/auto";
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import type { paths } from "../api/schema";
import { customFoodFields, customFoodRow } from "../app/foods";
import { Store } from "../storage/store";
import { SyncEngine, type SyncTransport, type WireOp } from "./engine";
import { makeTransport } from "./transport";

interface Call {
  method: string;
  path: string;
  body: unknown;
}

let transport: SyncTransport = makeTransport(createClient<paths>({ baseUrl: "http://test" }));

/** Points the transport at a scripted server; `reply` answers each request in turn. */
function fakeFetch(reply: (call: Call) => { status: number; body?: unknown; headers?: Record<string, string> }): Call[] {
  const calls: Call[] = [];
  const fetch = async (input: Request): Promise<Response> => {
    const text = await input.text();
    const call = { method: input.method, path: new URL(input.url).pathname, body: text ? (JSON.parse(text) as unknown) : null };
    calls.push(call);
    const { status, body, headers } = reply(call);
    return new Response(body === undefined || status === 204 ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
  };
  transport = makeTransport(createClient<paths>({ baseUrl: "http://test", fetch }));
  return calls;
}

describe("store: own foods and favourites, offline first", () => {
  it("a custom food is searchable at once and sent through the outbox; favourites toggle locally and survive a pack refresh", async () => {
    const store = Store.open(`t-foods-${Math.random()}`);
    const fields = customFoodFields({ name: "Grandma's kefir", servingGrams: 250, nutrients: { calcium_mg: 300, vitamin_d_iu: 100 } });
    expect(fields.nutrients_per_100g).toEqual({ calcium_mg: 120, vitamin_d_iu: 40 });
    expect(fields.portions).toEqual([{ label: "1 serving", grams: 250 }]);
    const id = "11111111-2222-4333-8444-555555555555";
    await store.foods.saveCustomFood(id, fields, customFoodRow(id, fields));
    expect((await store.db.foods.get(id))?.name).toBe("Grandma's kefir");
    expect((await store.pendingOps(10)).map((o) => o.entity)).toEqual(["custom_foods"]);

    await store.db.foods.put({ id: "yogurt", name: "Yogurt", favourite: true });
    await store.foods.setFavourite("yogurt", false);
    await store.foods.setFavourite(id, true);
    expect((await store.db.foods.get("yogurt"))?.favourite).toBe(false);
    expect((await store.db.foods.get(id))?.favourite).toBe(true);
    expect((await store.pendingOps(10)).map((o) => `${o.entity}:${o.kind}`)).toEqual(["custom_foods:upsert", "favourites:delete", "favourites:upsert"]);

    // The server's pack does not know either change yet: the local ones win.
    await store.foods.replaceFoods([{ id: "yogurt", name: "Yogurt", favourite: true }]);
    expect((await store.db.foods.get("yogurt"))?.favourite).toBe(false);
    expect((await store.db.foods.get(id))?.favourite).toBe(true);
    store.db.close();
  });

  it("the engine sends them through sync/push in the order they were made, then keeps pulled ones in the pack", async () => {
    const store = Store.open(`t-engine-${Math.random()}`);
    const id = "21111111-2222-4333-8444-555555555555";
    const fields = customFoodFields({ name: "Oat bar", servingGrams: null, nutrients: { fiber_g: 6 } });
    await store.foods.saveCustomFood(id, fields, customFoodRow(id, fields));
    await store.foods.setFavourite(id, true);
    await store.save("meals", "m1", { name: "Snack", items: [{ food_id: id, food_name: "Oat bar", grams: 40 }] });
    const other = "31111111-2222-4333-8444-555555555555";
    const pulled = [
      { entity: "custom_foods", id: other, version: 8, deleted: false, fields: { name: "Seed loaf", nutrients_per_100g: { calcium_mg: 90, fiber_g: null }, portions: [{ label: "1 slice", grams: 40 }] } },
      { entity: "favourites", id: other, version: 9, deleted: false, fields: {} },
    ];
    const calls = fakeFetch((c) => {
      if (c.path === "/api/v1/sync/pull") return { status: 200, body: { changes: pulled, cursor: "9", has_more: false } };
      const ops = (c.body as { operations: WireOp[] }).operations;
      return { status: 200, body: { results: ops.map((o, i) => ({ op_id: o.op_id, status: "applied", version: 4 + i })) } };
    });
    await store.setMeta("cursor", "3");
    await new SyncEngine(store, transport).syncNow();
    const pushed = (calls[0]?.body as { operations: WireOp[] }).operations;
    expect(pushed.map((o) => `${o.entity}:${JSON.stringify(o.fields)}`)).toEqual([
      `custom_foods:${JSON.stringify(fields)}`,
      "favourites:{}",
      `meals:${JSON.stringify({ name: "Snack", items: [{ food_id: id, food_name: "Oat bar", grams: 40 }] })}`,
    ]);
    expect(await store.counts()).toEqual({ pending: 0, attention: 0 });
    // Made on another device: searchable here, starred, with a null (unknown) nutrient left out.
    expect(await store.db.foods.get(other)).toMatchObject({ name: "Seed loaf", source: "user", favourite: true, nutrients_per_100g: { calcium_mg: 90 }, portions: [["1 slice", 40]] });
    store.db.close();
  });
});

describe("engine: 'synced' is only said after a real sync", () => {
  it("starts not synced, learns an earlier visit's sync from IndexedDB, and takes the app's hint", async () => {
    const store = Store.open(`t-ever-${Math.random()}`);
    const fresh = new SyncEngine(store, transport);
    expect(fresh.getStatus().everSynced).toBe(false);
    await fresh.refreshCounts();
    expect(fresh.getStatus().everSynced).toBe(false);
    fakeFetch(() => ({ status: 200, body: { changes: [], cursor: "1", has_more: false } }));
    await new SyncEngine(store, transport).syncNow();
    const later = new SyncEngine(store, transport);
    await later.refreshCounts();
    expect(later.getStatus().everSynced).toBe(true);
    expect(new SyncEngine(store, transport, { everSynced: true }).getStatus().everSynced).toBe(true);
    store.db.close();
  });
});

describe("engine: a push refused while an import of this person's data runs", () => {
  it("keeps the outbox, says retrying, waits the server's Retry-After and then sends it", async () => {
    const store = Store.open(`t-import-${Math.random()}`);
    await store.save("meals", "m1", { name: "Lunch", items: [{ food_name: "Kefir", grams: 200 }] });
    let importing = true;
    const calls = fakeFetch((c) => {
      if (importing) {
        const problem = { type: "https://fortify.invalid/problems/import_running", title: "An import is running", status: 503, detail: "An import of your data is running.", errors: [{ field: "account", rule: "import_running", detail: "" }] };
        return { status: 503, body: problem, headers: { "content-type": "application/problem+json", "Retry-After": "30" } };
      }
      if (c.path === "/api/v1/sync/pull") return { status: 200, body: { changes: [], cursor: "5", has_more: false } };
      if (c.path === "/api/v1/sync/conflicts") return { status: 200, body: { items: [] } };
      const ops = (c.body as { operations: WireOp[] }).operations;
      return { status: 200, body: { results: ops.map((o) => ({ op_id: o.op_id, status: "applied", version: 5 })) } };
    });
    const timers: { fn: () => void; ms: number }[] = [];
    const engine = new SyncEngine(store, transport, {
      random: () => 0,
      setTimer: (fn, ms) => {
        timers.push({ fn, ms });
        return () => undefined;
      },
    });
    await engine.syncNow();
    expect(engine.getStatus()).toMatchObject({ phase: "retrying", retryInMs: 30_000, pending: 1, attention: 0 });
    expect(timers.map((t) => t.ms)).toEqual([30_000]);
    expect(await store.db.outbox.count()).toBe(1);
    importing = false;
    timers.shift()?.fn();
    await engine.whenIdle();
    expect(engine.getStatus()).toMatchObject({ phase: "idle", pending: 0, attention: 0 });
    expect(calls.filter((c) => c.path === "/api/v1/sync/push")).toHaveLength(2);
    store.db.close();
  });
});
