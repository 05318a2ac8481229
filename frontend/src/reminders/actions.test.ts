import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../storage/store";
import { markTaken, retryQueued, snooze } from "./actions";
import { parsePayload, type ReminderOccurrence } from "./payload";

const ITEM = "a3f0c1d2-0000-4000-8000-000000000001";
const DOSE = "5e2a0000-0000-5000-8000-000000000002";

function occurrence(over: Partial<ReminderOccurrence> = {}): ReminderOccurrence {
  return {
    id: "0b9c0000-0000-4000-8000-000000000003",
    reminder_id: "6d1e0000-0000-4000-8000-000000000004",
    regimen_item_id: ITEM,
    kind: "dose",
    title: "Calcium 500",
    due_at: "2026-11-27T08:00:00Z",
    local_time: "08:00",
    dose_id: DOSE,
    ...over,
  };
}

/** A fetch that answers from a script: "offline" throws like a dropped connection. */
function fakeFetch(answers: (number | "offline")[], calls: string[]): typeof fetch {
  return async (input: RequestInfo | URL) => {
    calls.push(String(input));
    const next = answers.shift() ?? 200;
    if (next === "offline") throw new TypeError("Failed to fetch");
    return new Response("{}", { status: next });
  };
}

let store: Store;
let n = 0;

beforeEach(async () => {
  n += 1;
  store = Store.open(`reminders-test-${n}`);
  await store.db.records.put({
    key: `regimen:${ITEM}`,
    entity: "regimen",
    id: ITEM,
    fields: { name: "Calcium 500", kind: "supplement", form: "calcium_carbonate", default_units: 2, nutrients_per_unit: { calcium_mg: 500 } },
    version: 3,
    deleted: false,
    touched: 0,
  });
});

afterEach(async () => {
  store.db.close();
});

describe("Taken", () => {
  it("online: one POST per occurrence, nothing written locally", async () => {
    const calls: string[] = [];
    const r = await markTaken([occurrence()], { token: "t", store, fetch: fakeFetch([200], calls) });
    expect(r.online).toBe(1);
    expect(calls).toEqual([`/api/v1/reminders/occurrences/${occurrence().id}/taken`]);
    expect(await store.db.outbox.count()).toBe(0);
  });

  it("offline: the dose with the server's dose_id and its outbox op, once however often it is tapped", async () => {
    const ctx = { token: "t", store, fetch: fakeFetch(["offline", "offline", 503], []) };
    const first = await markTaken([occurrence()], ctx);
    expect(first.savedOffline).toEqual([DOSE]);
    await markTaken([occurrence()], ctx);
    await markTaken([occurrence()], ctx);
    const ops = await store.db.outbox.toArray();
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ entity: "doses", id: DOSE, kind: "upsert", base_version: null });
    expect(ops[0]?.fields).toMatchObject({ regimen_item_id: ITEM, units: 2, kind: "supplement", nutrients: { calcium_mg: 1000 } });
    expect((await store.get("doses", DOSE))?.fields?.taken_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  });

  it("offline, no dose (a workout's Done): the call is queued and sent later", async () => {
    const done = occurrence({ regimen_item_id: null, dose_id: null, kind: "workout" });
    const r = await markTaken([done], { token: "t", store, fetch: fakeFetch(["offline"], []) });
    expect(r.queued).toBe(1);
    expect(await store.db.outbox.count()).toBe(0);
    const calls: string[] = [];
    expect(await retryQueued({ token: "t", store, fetch: fakeFetch([200], calls) })).toBe(1);
    expect(calls).toEqual([`/api/v1/reminders/occurrences/${done.id}/taken`]);
    expect(await retryQueued({ token: "t", store, fetch: fakeFetch([200], []) })).toBe(0);
  });
});

describe("Snooze", () => {
  it("offline: kept and retried; a 404 later drops it", async () => {
    expect((await snooze([occurrence()], { token: "t", store, fetch: fakeFetch(["offline"], []) })).queued).toBe(1);
    expect(await retryQueued({ token: "t", store, fetch: fakeFetch(["offline"], []) })).toBe(0);
    expect(await retryQueued({ token: "t", store, fetch: fakeFetch([404], []) })).toBe(1);
    expect(await retryQueued({ token: "t", store, fetch: fakeFetch([200], []) })).toBe(0);
  });
});

describe("payload", () => {
  it("reads the server's payload and refuses anything else", () => {
    const p = parsePayload({
      type: "reminder",
      title: "Calcium 500",
      body: "Time for your 08:00 dose.",
      tag: "fortify-reminder-x",
      occurrences: [occurrence()],
      actions: [{ action: "taken", title: "Taken" }, { action: "snooze", title: "Snooze 30 min" }],
    });
    expect(p?.occurrences[0]?.dose_id).toBe(DOSE);
    expect(p?.actions.map((a) => a.action)).toEqual(["taken", "snooze"]);
    expect(parsePayload({ type: "other" })).toBeNull();
    expect(parsePayload({ type: "reminder", occurrences: [] })).toBeNull();
    expect(parsePayload("nonsense")).toBeNull();
  });
});
