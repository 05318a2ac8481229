import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Store, keyOf, refusedFields } from "../storage/store";
import type { EntityName, Fields, RemoteRecord } from "../storage/store";
import {
  BACKOFF_BASE_MS,
  BACKOFF_MAX_MS,
  endedReason,
  REMINT_LIMIT,
  originalAnswer,
  SyncEngine,
  type OpAnswer,
  type PullPage,
  type ServerConflict,
  type SyncTransport,
  type TransportAnswer,
  type WireOp,
} from "./engine";

/** A small in-memory stand-in for /api/v1/sync with the server's rules (docs/sync.md). */
class FakeServer implements SyncTransport {
  version = 0;
  records = new Map<string, RemoteRecord>();
  answered = new Map<string, OpAnswer>();
  /** What each answered op_id changed (the server's fingerprint: entity, id, kind, fields). */
  contents = new Map<string, string>();
  /** Answer the next N ops `op_id_reused`, as if another device had used their op_ids. */
  reuseNext = 0;
  pushes: WireOp[][] = [];
  failNext = 0;
  /** Answer the next pull with 410 (cursor expired). */
  expireCursor = false;
  /** Apply the next push, then lose the answer (as if the connection dropped). */
  loseNextAnswer = false;
  rejectField: string | null = null;
  /** Every conflict recorded, unresolved ones first in `conflicts()` (newest first). */
  conflictList: ServerConflict[] = [];
  resolved = new Set<string>();
  /** The device whose write made each record's current version ("phone 2" for `write`). */
  writers = new Map<string, string>();
  private device = "phone 2";

  async push(device: string, ops: WireOp[]): Promise<TransportAnswer<{ results: OpAnswer[] }>> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new TypeError("Failed to fetch");
    }
    this.device = device;
    this.pushes.push(ops);
    const results = ops.map((op) => this.apply(op));
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new TypeError("connection reset");
    }
    return { status: 200, body: { results } };
  }

  private apply(op: WireOp): OpAnswer {
    const content = JSON.stringify([op.entity, op.id, op.kind, op.fields ?? null]);
    const first = this.answered.get(op.op_id);
    const known = first ? this.contents.get(op.op_id) : undefined;
    if (this.reuseNext > 0 || (known !== undefined && known !== content)) {
      this.reuseNext = Math.max(0, this.reuseNext - 1);
      const errors = [{ field: "op_id", rule: "op_id_reused", detail: "used before" }];
      return { op_id: op.op_id, status: "rejected", merged: false, problem: { status: 409, detail: "used before", errors } };
    }
    if (first) return { op_id: op.op_id, status: "duplicate", merged: false, original: first };
    this.contents.set(op.op_id, content);
    const key = keyOf(op.entity, op.id);
    const current = this.records.get(key);
    let answer: OpAnswer;
    if (this.rejectField && op.fields && this.rejectField in op.fields) {
      answer = { op_id: op.op_id, status: "rejected", merged: false, problem: { detail: "bad", field: this.rejectField } };
    } else if (op.kind === "delete") {
      this.version += 1;
      this.records.set(key, { entity: op.entity, id: op.id, version: this.version, deleted: true, fields: null });
      answer = { op_id: op.op_id, status: "applied", merged: false, version: this.version };
    } else if (current?.deleted) {
      answer = {
        op_id: op.op_id,
        status: "conflict",
        merged: false,
        record: current,
        conflicts: [this.conflict(op, "*", op.fields, null)],
      };
    } else {
      this.version += 1;
      const stale = current && op.base_version !== null && op.base_version !== current.version;
      const conflicts: ServerConflict[] = [];
      if (stale && current?.fields) {
        for (const [k, v] of Object.entries(op.fields ?? {})) {
          if (JSON.stringify(current.fields[k]) !== JSON.stringify(v)) {
            conflicts.push(this.conflict(op, k, current.fields[k], v));
          }
        }
      }
      const rec: RemoteRecord = {
        entity: op.entity,
        id: op.id,
        version: this.version,
        deleted: false,
        fields: { ...(current?.fields ?? {}), ...(op.fields ?? {}) },
      };
      this.records.set(key, rec);
      this.writers.set(key, this.device);
      answer = stale
        ? { op_id: op.op_id, status: "applied", version: this.version, merged: true, record: rec, conflicts }
        : { op_id: op.op_id, status: "applied", merged: false, version: this.version };
    }
    this.answered.set(op.op_id, answer);
    return answer;
  }

  private conflict(op: WireOp, field: string, losing: unknown, winning: unknown): ServerConflict {
    const row: ServerConflict = {
      id: crypto.randomUUID(),
      entity: op.entity,
      entity_id: op.id,
      field,
      losing_value: losing,
      winning_value: winning,
      losing_device: this.writers.get(keyOf(op.entity, op.id)) ?? "phone 2",
      winning_device: this.device,
      created_at: new Date().toISOString(),
    };
    this.conflictList.unshift(row);
    return row;
  }

  async conflicts(limit: number): Promise<TransportAnswer<{ items: ServerConflict[] }>> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new TypeError("Failed to fetch");
    }
    return { status: 200, body: { items: this.conflictList.filter((c) => !this.resolved.has(c.id)).slice(0, limit) } };
  }

  /** A write made by another device. */
  write(entity: EntityName, id: string, fields: Fields | null): RemoteRecord {
    this.version += 1;
    const key = keyOf(entity, id);
    const prev = this.records.get(key);
    const rec: RemoteRecord = {
      entity,
      id,
      version: this.version,
      deleted: fields === null,
      fields: fields === null ? null : { ...(prev?.fields ?? {}), ...fields },
    };
    this.records.set(key, rec);
    this.writers.set(key, "phone 2");
    return rec;
  }

  async pull(cursor: string | null, limit: number): Promise<TransportAnswer<PullPage>> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new TypeError("Failed to fetch");
    }
    if (this.expireCursor && cursor !== null) {
      this.expireCursor = false;
      return { status: 410 };
    }
    const after = cursor === null ? 0 : Number(cursor);
    const rows = [...this.records.values()]
      .filter((r) => r.version > after)
      .sort((a, b) => a.version - b.version);
    const page = rows.slice(0, limit);
    const last = page.at(-1)?.version ?? after;
    return { status: 200, body: { changes: page, cursor: String(last), has_more: rows.length > limit } };
  }
}

/** A fake clock: timers are collected and fired by hand. */
function fakeTimers() {
  const timers: { fn: () => void; ms: number }[] = [];
  return {
    timers,
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms };
      timers.push(t);
      return () => {
        const i = timers.indexOf(t);
        if (i >= 0) timers.splice(i, 1);
      };
    },
  };
}

let n = 0;
let store: Store;
let server: FakeServer;
let clock: ReturnType<typeof fakeTimers>;
let engine: SyncEngine;

beforeEach(() => {
  n += 1;
  store = Store.open(`test-${n}`);
  server = new FakeServer();
  clock = fakeTimers();
  engine = new SyncEngine(store, server, { setTimer: clock.setTimer, random: () => 0 });
});

afterEach(async () => {
  await engine.whenIdle();
  engine.stop();
  store.db.close();
});

const meal = (name: string) => ({ eaten_at: "2026-11-27T08:00:00+00:00", name, items: [] });

describe("the outbox", () => {
  it("pushes local writes in the order they were made, each with its own op id", async () => {
    await store.save("meals", "a", meal("breakfast"));
    await store.save("doses", "b", { taken_at: "2026-11-27T08:00:00+00:00", units: 1 });
    await store.save("meals", "a", { name: "big breakfast" });
    await store.remove("doses", "b");
    await engine.syncNow();
    const sent = server.pushes.flat();
    expect(sent.map((o) => [o.entity, o.kind])).toEqual([
      ["meals", "upsert"],
      ["doses", "upsert"],
      ["meals", "upsert"],
      ["doses", "delete"],
    ]);
    expect(new Set(sent.map((o) => o.op_id)).size).toBe(4);
    // The edit carries only the changed field.
    expect(sent[2]?.fields).toEqual({ name: "big breakfast" });
    expect(await store.db.outbox.count()).toBe(0);
    expect(engine.getStatus()).toMatchObject({ phase: "idle", pending: 0, attention: 0 });
    const rec = await store.get("meals", "a");
    expect(rec?.fields?.name).toBe("big breakfast");
    expect(rec?.version).toBe(server.records.get("meals:a")?.version);
    expect(await store.get("doses", "b")).toBeUndefined();
  });

  it("queues nothing for an edit that changes nothing", async () => {
    await store.save("meals", "a", meal("x"));
    await store.save("meals", "a", { name: "x" });
    expect(await store.db.outbox.count()).toBe(1);
  });

  it("keeps the record and its op together when written in one go (nothing is lost on reload)", async () => {
    await store.save("meals", "a", meal("x"));
    store.db.close();
    const reopened = Store.open(store.db.name);
    expect((await reopened.get("meals", "a"))?.fields?.name).toBe("x");
    expect(await reopened.db.outbox.count()).toBe(1);
    reopened.db.close();
  });

  it("withdraws a queued delete on undo, and re-creates a copy when it already reached the server", async () => {
    await store.save("meals", "a", meal("x"));
    await store.remove("meals", "a");
    expect(await store.undoRemove("meals", "a")).toBe("a");
    expect((await store.list("meals")).length).toBe(1);
    await store.remove("meals", "a");
    await engine.syncNow();
    expect(server.records.get("meals:a")?.deleted).toBe(true);
    // The tombstone is gone locally after the ack, so undo must be given the fields: it is
    // handled by the UI before sync; here we check the copy path with a fresh local tombstone.
    await store.save("meals", "b", meal("y"));
    await engine.syncNow();
    await store.remove("meals", "b");
    await store.db.outbox.clear(); // as if the delete had been pushed already
    const copy = await store.undoRemove("meals", "b");
    expect(copy).not.toBe("b");
    await engine.syncNow();
    expect(server.records.get(`meals:${copy}`)?.fields?.name).toBe("y");
  });
});

describe("retries", () => {
  it("backs off exponentially with jitter, capped at five minutes", () => {
    expect(engine.backoff(1)).toBe(BACKOFF_BASE_MS);
    expect(engine.backoff(2)).toBe(BACKOFF_BASE_MS * 2);
    expect(engine.backoff(3)).toBe(BACKOFF_BASE_MS * 4);
    expect(engine.backoff(30)).toBe(BACKOFF_MAX_MS);
    const jittered = new SyncEngine(store, server, { random: () => 1 });
    expect(jittered.backoff(1)).toBe(BACKOFF_BASE_MS * 0.75);
  });

  it("keeps the outbox when the network fails and retries on the scheduled timer", async () => {
    await store.save("meals", "a", meal("x"));
    server.failNext = 2;
    await engine.syncNow();
    expect(engine.getStatus().phase).toBe("retrying");
    expect(engine.getStatus().pending).toBe(1);
    expect(clock.timers.map((t) => t.ms)).toEqual([BACKOFF_BASE_MS]);
    clock.timers.shift()?.fn();
    await engine.whenIdle();
    expect(clock.timers.map((t) => t.ms)).toEqual([BACKOFF_BASE_MS * 2]);
    clock.timers.shift()?.fn();
    await engine.whenIdle();
    expect(engine.getStatus()).toMatchObject({ phase: "idle", pending: 0 });
    expect(server.records.get("meals:a")?.fields?.name).toBe("x");
    expect(clock.timers).toEqual([]);
  });

  it("offline, a trigger sends nothing and leaves the backoff as it is; back online, it sends", async () => {
    vi.stubGlobal("navigator", { onLine: false });
    try {
      await store.save("meals", "a", meal("offline lunch"));
      await engine.syncNow();
      await engine.syncNow(); // moving to another screen, a write, a return to the app
      await engine.syncNow();
      expect(server.pushes).toEqual([]);
      expect(engine.getStatus()).toMatchObject({ phase: "offline", pending: 1, retryInMs: BACKOFF_BASE_MS });
      expect(clock.timers.map((t) => t.ms)).toEqual([BACKOFF_BASE_MS]); // one retry, not shortened
      clock.timers.shift()!.fn(); // the backoff runs out, still offline: the next wait is longer
      await engine.whenIdle();
      expect(server.pushes).toEqual([]);
      expect(clock.timers.map((t) => t.ms)).toEqual([BACKOFF_BASE_MS * 2]);
      vi.stubGlobal("navigator", { onLine: true });
      await engine.syncNow(); // the runtime's `online` trigger
      expect(server.pushes.flat().map((o) => o.id)).toEqual(["a"]);
      expect(engine.getStatus()).toMatchObject({ phase: "idle", pending: 0 });
      expect(clock.timers).toEqual([]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("treats a 5xx like a lost network and a 401 as signed out", async () => {
    await store.save("meals", "a", meal("x"));
    const five = new SyncEngine(store, { ...server, push: async () => ({ status: 503 }), pull: server.pull.bind(server) });
    await five.syncNow();
    await five.whenIdle();
    expect(five.getStatus().phase).toBe("retrying");
    five.stop();
    const gone = new SyncEngine(store, { push: async () => ({ status: 401 }), pull: server.pull.bind(server) });
    await gone.syncNow();
    expect(gone.getStatus().phase).toBe("signed-out");
    expect(await store.db.outbox.count()).toBe(1);
  });

  it("waits the Retry-After of a 429 (her other push still running), keeps the outbox, then sends it", async () => {
    await store.save("meals", "a", meal("x"));
    let refused = false;
    const busy: SyncTransport = {
      ...server,
      pull: server.pull.bind(server),
      push: async (deviceId, ops) => {
        if (refused) return server.push(deviceId, ops);
        refused = true;
        return { status: 429, retryAfterSeconds: 7 };
      },
    };
    const one = new SyncEngine(store, busy, { setTimer: clock.setTimer, random: () => 0 });
    await one.syncNow();
    await one.whenIdle();
    expect(one.getStatus()).toMatchObject({ phase: "retrying", pending: 1, retryInMs: 7000 });
    expect(clock.timers.map((t) => t.ms)).toEqual([7000]); // the server's wait, not the 2 s backoff
    expect(await store.db.outbox.count()).toBe(1);
    clock.timers.shift()!.fn();
    await one.whenIdle();
    expect(server.pushes.flat().map((o) => o.id)).toEqual(["a"]);
    expect(one.getStatus()).toMatchObject({ phase: "idle", pending: 0 });
    one.stop();
  });

  it("keeps the reason the server gives for a 401, and the outbox", async () => {
    await store.save("meals", "a", meal("x"));
    const problem = { status: 401, errors: [{ field: "authorization", rule: "password_changed", detail: "…" }] };
    const gone = new SyncEngine(store, { push: async () => ({ status: 401, problem }), pull: server.pull.bind(server) });
    await gone.syncNow();
    expect(gone.getStatus()).toMatchObject({ phase: "signed-out", signedOutReason: "password_changed", pending: 1 });
    expect(await store.db.outbox.count()).toBe(1);
  });

  it("handles a duplicate answer (the first answer was lost) as the original answer", async () => {
    await store.save("meals", "a", meal("x"));
    server.loseNextAnswer = true;
    await engine.syncNow();
    expect(server.records.get("meals:a")).toBeDefined(); // applied, answer lost
    expect(await store.db.outbox.count()).toBe(1);
    clock.timers.shift()?.fn();
    await engine.whenIdle();
    const retried = server.pushes.at(-1);
    expect(retried?.[0]?.op_id).toBe(server.pushes[0]?.[0]?.op_id);
    expect(await store.db.outbox.count()).toBe(0);
    expect(server.version).toBe(1); // applied once
    expect((await store.get("meals", "a"))?.version).toBe(1);
  });
});

describe("pull", () => {
  it("brings other devices' changes and deletes, page by page, from the stored cursor", async () => {
    for (let i = 0; i < 1203; i++) server.write("symptoms", `s${i}`, { worst_pain_0_10: i % 11 });
    await engine.syncNow();
    expect((await store.list("symptoms")).length).toBe(1203);
    expect(await store.getMeta("cursor")).toBe("1203");
    server.write("symptoms", "s1", null);
    await engine.syncNow();
    expect((await store.list("symptoms")).length).toBe(1202);
  });

  it("lays queued local edits over pulled records until they are answered", async () => {
    server.write("meals", "a", meal("server"));
    await engine.syncNow();
    await store.save("meals", "a", { name: "mine" });
    server.write("meals", "a", { note: "from phone 2" });
    // Pull without pushing (as if a push failed): the local edit stays on top.
    await store.applyPage((await server.pull(null, 10)).body!.changes, "x");
    const rec = await store.get("meals", "a");
    expect(rec?.fields).toMatchObject({ name: "mine", note: "from phone 2" });
  });

  it("resyncs from the start on 410, keeping the outbox and dropping what the server lost", async () => {
    server.write("meals", "a", meal("a"));
    server.write("meals", "b", meal("b"));
    await engine.syncNow();
    // The server purged b's tombstone long ago; this device never heard of the delete.
    server.records.delete("meals:b");
    server.expireCursor = true;
    server.failNext = 1; // the push of the local meal fails once, so it is queued during the resync
    await store.save("meals", "c", meal("c"));
    await engine.syncNow();
    expect(await store.db.outbox.count()).toBe(1);
    clock.timers.shift()?.fn();
    await engine.whenIdle();
    const names = (await store.list("meals")).map((r) => r.fields?.name).sort();
    expect(names).toEqual(["a", "c"]);
    expect(server.records.get("meals:c")).toBeDefined();
  });

  it("keeps queued changes through a 410 resync even when the push is not reached", async () => {
    server.write("meals", "a", meal("a"));
    await engine.syncNow();
    await store.save("meals", "mine", meal("offline"));
    server.expireCursor = true;
    // Pull only (push skipped): the unsynced record must survive the "drop unseen" step.
    const failingPush: SyncTransport = { push: async () => ({ status: 503 }), pull: server.pull.bind(server) };
    const e2 = new SyncEngine(store, failingPush, { setTimer: clock.setTimer });
    // The private pull alone (bracket access reaches it without a cast).
    await e2["pull"]();
    expect((await store.list("meals")).map((r) => r.id).sort()).toEqual(["a", "mine"]);
    expect(await store.db.outbox.count()).toBe(1);
  });
});

describe("conflicts and rejections", () => {
  it("keeps both values when two devices edit the same field: the server's wins, the lost one is listed", async () => {
    server.write("symptoms", "s", { measured_at: "2026-11-27T08:00:00+00:00", worst_pain_0_10: 3 });
    await engine.syncNow();
    server.write("symptoms", "s", { worst_pain_0_10: 5 }); // phone 2, first
    await store.save("symptoms", "s", { worst_pain_0_10: 7 }); // this phone, stale base
    await engine.syncNow();
    const conflicts = await store.db.conflicts.toArray();
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ field: "worst_pain_0_10", key: "symptoms:s" });
    expect(engine.getStatus().attention).toBe(1);
    expect((await store.states()).get("symptoms:s")).toBe("attention");
    await store.removeConflict(conflicts[0]!.id);
    expect((await store.states()).get("symptoms:s")).toBeUndefined();
  });

  it("tells the phone whose edit lost (it only sees the winner in a pull), once, and drops what was resolved elsewhere", async () => {
    server.write("symptoms", "s", { measured_at: "2026-11-27T08:00:00+00:00", worst_pain_0_10: 3 });
    await engine.syncNow();
    const otherStore = Store.open(`test-${n}-other`);
    const other = new SyncEngine(otherStore, server, { setTimer: clock.setTimer, random: () => 0 });
    try {
      await other.syncNow();
      const told: { values: unknown[]; device: string }[] = [];
      engine.onLostEdits((rows, device) => told.push({ values: rows.map((r) => r.losing_value), device }));
      const otherTold: unknown[] = [];
      other.onLostEdits((rows) => otherTold.push(rows));
      await store.save("symptoms", "s", { worst_pain_0_10: 5 }); // this phone, first: it will lose
      await engine.syncNow();
      await otherStore.save("symptoms", "s", { worst_pain_0_10: 7 }); // the other phone, on the old base
      await other.syncNow();
      expect(await otherStore.db.conflicts.count()).toBe(1); // the winner hears of it in its push answer
      expect(otherTold).toEqual([]); // and is not told its edit lost: it did not
      expect(told).toEqual([]);
      await engine.syncNow();
      const mine = await store.db.conflicts.toArray();
      expect(mine).toHaveLength(1);
      const myDevice = await store.deviceId();
      expect(mine[0]).toMatchObject({ field: "worst_pain_0_10", losing_value: 5, winning_value: 7, losing_device: myDevice, key: "symptoms:s" });
      expect(told).toEqual([{ values: [5], device: myDevice }]);
      expect(engine.getStatus().attention).toBe(1);
      expect((await store.get("symptoms", "s"))?.fields?.worst_pain_0_10).toBe(7);
      // Told once: a later change read with the same list says nothing new.
      server.write("meals", "m", meal("lunch"));
      await engine.syncNow();
      expect(told).toHaveLength(1);
      // Kept on the other phone: the next list without it takes it off this one.
      server.resolved.add(mine[0]!.id);
      server.write("meals", "m", { name: "late lunch" });
      await engine.syncNow();
      expect(await store.db.conflicts.count()).toBe(0);
      expect(engine.getStatus().attention).toBe(0);
    } finally {
      await other.whenIdle();
      other.stop();
      otherStore.db.close();
    }
  });

  it("reads the conflict list again after a failed read, and not on a cycle that pulled nothing", async () => {
    let reads = 0;
    const counting: SyncTransport = {
      push: server.push.bind(server),
      pull: server.pull.bind(server),
      conflicts: (limit) => {
        reads += 1;
        return server.conflicts(limit);
      },
    };
    const e = new SyncEngine(store, counting, { setTimer: clock.setTimer, random: () => 0 });
    await e.syncNow();
    expect(reads).toBe(1); // the first cycle reads it
    await e.syncNow();
    expect(reads).toBe(1); // nothing new pulled: nothing to read
    server.write("meals", "m", meal("x"));
    // The pull succeeds, the list read fails: it is read on the retry.
    const pull = counting.pull;
    counting.pull = async (cursor, limit) => {
      const page = await pull(cursor, limit);
      server.failNext = 1;
      return page;
    };
    await e.syncNow();
    expect(e.getStatus().phase).not.toBe("idle");
    counting.pull = pull;
    await e.syncNow();
    expect(reads).toBe(3);
    expect(e.getStatus().phase).toBe("idle");
    e.stop();
  });

  it("never overwrites silently a value hidden behind a queued edit whose answer was lost", async () => {
    server.write("meals", "a", meal("x"));
    await engine.syncNow();
    const base = (await store.get("meals", "a"))?.version;
    await store.save("meals", "a", { name: "phone-1" });
    server.loseNextAnswer = true;
    await engine.syncNow(); // applied on the server; the phone never hears so
    server.write("meals", "a", { name: "phone-2 wrote this" }); // phone 2 replaces phone-1
    // A pull before the retry (the service worker's engine): the queued edit stays on top, so
    // the person never sees phone 2's value ...
    await store.applyPage((await server.pull(null, 10)).body!.changes, "x");
    expect((await store.get("meals", "a"))?.fields?.name).toBe("phone-1");
    // ... and an edit now is made on the version under the queued edit, not the pulled one.
    await store.save("meals", "a", { name: "phone-1 again" });
    const ops = await store.db.outbox.orderBy("seq").toArray();
    expect(ops.map((o) => o.base_version)).toEqual([base, base]);
    clock.timers.shift()?.fn();
    await engine.whenIdle();
    expect(server.records.get("meals:a")?.fields?.name).toBe("phone-1 again");
    const losing = (await store.db.conflicts.toArray()).map((c) => c.losing_value);
    expect(losing).toContain("phone-2 wrote this");
  });

  it("takes the server's tombstone when an edited record was deleted elsewhere, and lists the edit", async () => {
    server.write("meals", "a", meal("a"));
    await engine.syncNow();
    server.write("meals", "a", null);
    await store.save("meals", "a", { name: "renamed" });
    await engine.syncNow();
    expect(await store.list("meals")).toEqual([]);
    expect(await store.db.conflicts.count()).toBe(1);
  });

  it("moves a rejected op to 'needs attention' and lets the person discard it", async () => {
    server.rejectField = "note";
    await store.save("meals", "a", { ...meal("a"), note: "refused" });
    await store.save("meals", "ok", meal("fine"));
    await engine.syncNow();
    expect(await store.db.rejected.count()).toBe(1);
    expect(server.records.has("meals:ok")).toBe(true);
    expect(engine.getStatus()).toMatchObject({ pending: 0, attention: 1 });
    const [row] = await store.db.rejected.toArray();
    await store.discardRejected(row!.op_id);
    expect(await store.get("meals", "a")).toBeUndefined();
    expect(await store.db.rejected.count()).toBe(0);
  });

  it("a refused create is told apart from a refused edit (discarding it would delete the entry)", async () => {
    server.write("meals", "old", meal("old"));
    await engine.syncNow();
    server.rejectField = "note";
    await store.save("meals", "new", { ...meal("new"), note: "refused" });
    await store.save("meals", "old", { note: "refused too" });
    await engine.syncNow();
    const rows = await store.db.rejected.toArray();
    const byId = Object.fromEntries(await Promise.all(rows.map(async (r) => [r.id, await store.isRefusedCreate(r)] as const)));
    expect(byId).toEqual({ new: true, old: false });
  });

  it("saving a refused create again from its form sends it whole and settles the refusal", async () => {
    server.rejectField = "note";
    await store.save("meals", "a", { ...meal("a"), note: "refused" });
    await engine.syncNow();
    expect(await store.db.rejected.count()).toBe(1);
    // "Edit" on the Sync screen keeps the entry; the form saves it with the field fixed.
    server.rejectField = null;
    await store.save("meals", "a", { ...meal("a"), note: "fixed" });
    await store.settleRefusedCreate("meals", "a");
    expect(await store.db.rejected.count()).toBe(0);
    await engine.syncNow();
    expect(server.records.get("meals:a")?.fields).toEqual({ ...meal("a"), note: "fixed" });
    expect(engine.getStatus()).toMatchObject({ pending: 0, attention: 0 });
  });

  it("an edit of a refused change is a new change: it goes under a new op id (the server would refuse the old one)", async () => {
    server.rejectField = "note";
    server.write("meals", "old", meal("old"));
    await engine.syncNow();
    await store.save("meals", "new", { ...meal("new"), note: "refused" });
    await store.save("meals", "old", { note: "refused too" });
    await engine.syncNow();
    const refused = new Set((await store.db.rejected.toArray()).map((r) => r.op_id));
    expect(refused.size).toBe(2);
    server.rejectField = null;
    // "Edit" on the Sync screen: a create is saved whole again from its form; an edit is
    // discarded (its other fields re-queued) and made again in the form.
    await store.save("meals", "new", { ...meal("new"), note: "fixed" });
    await store.settleRefusedCreate("meals", "new");
    const old = (await store.db.rejected.toArray()).find((r) => r.id === "old");
    await store.discardRejected(old!.op_id);
    await store.save("meals", "old", { note: "fixed too" });
    const sent = server.pushes.length;
    await engine.syncNow();
    const resent = server.pushes.slice(sent).flat();
    expect(resent.map((op) => op.id).sort()).toEqual(["new", "old"]);
    for (const op of resent) expect(refused.has(op.op_id)).toBe(false);
    expect(server.records.get("meals:new")?.fields?.note).toBe("fixed");
    expect(server.records.get("meals:old")?.fields?.note).toBe("fixed too");
    expect(engine.getStatus()).toMatchObject({ pending: 0, attention: 0 });
  });

  it("an op id the server had answered for another change is sent again under a new one, never shown to the person", async () => {
    await store.save("meals", "a", meal("a"));
    await store.save("meals", "b", meal("b"));
    server.reuseNext = 1;
    await engine.syncNow();
    const [first, second] = server.pushes;
    expect(first!.map((op) => op.id)).toEqual(["a", "b"]);
    expect(second!.map((op) => op.id)).toEqual(["a"]);
    expect(second![0]!.op_id).not.toBe(first![0]!.op_id);
    expect(second![0]!.fields).toEqual(first![0]!.fields);
    expect(server.records.get("meals:a")?.fields?.name).toBe("a");
    expect(await store.db.rejected.count()).toBe(0);
    expect(engine.getStatus()).toMatchObject({ pending: 0, attention: 0 });
  });

  it("a server that always says the op id was reused gets the op shown as refused, not an endless loop", async () => {
    await store.save("meals", "a", meal("a"));
    server.reuseNext = REMINT_LIMIT + 1;
    await engine.syncNow();
    expect(server.pushes).toHaveLength(REMINT_LIMIT + 1);
    expect(new Set(server.pushes.map((p) => p[0]!.op_id)).size).toBe(REMINT_LIMIT + 1);
    expect(engine.getStatus()).toMatchObject({ pending: 0, attention: 1 });
  });

  it("a true retry (same op id, same change) is still a duplicate", async () => {
    await store.save("meals", "a", meal("a"));
    server.loseNextAnswer = true;
    await engine.syncNow();
    await engine.syncNow();
    const [first, retry] = server.pushes;
    expect(retry![0]!.op_id).toBe(first![0]!.op_id);
    expect(server.version).toBe(1);
    expect(engine.getStatus()).toMatchObject({ pending: 0, attention: 0 });
  });

  it("discarding a refused profile change restores the server's time zone and keeps sex and birth year", async () => {
    server.write("profile", "me", { sex: null, birth_year: null, time_zone: "UTC" });
    await engine.syncNow();
    server.rejectField = "time_zone";
    await store.save("profile", "me", { sex: "female", birth_year: 1962, time_zone: "New York" });
    await engine.syncNow();
    const [row] = await store.db.rejected.toArray();
    expect(refusedFields(row!)).toEqual(["time_zone"]);
    await store.discardRejected(row!.op_id);
    await engine.syncNow();
    expect((await store.get("profile", "me"))?.fields).toEqual({ sex: "female", birth_year: 1962, time_zone: "UTC" });
    expect(server.records.get("profile:me")?.fields).toEqual({ sex: "female", birth_year: 1962, time_zone: "UTC" });
    expect(engine.getStatus()).toMatchObject({ pending: 0, attention: 0 });
  });

  it("discarding a refused first profile save never deletes the profile", async () => {
    server.write("profile", "me", { sex: null, time_zone: "UTC" });
    server.rejectField = "time_zone";
    await store.save("profile", "me", { sex: "female", time_zone: "New York" });
    await engine.syncNow();
    const [row] = await store.db.rejected.toArray();
    await store.discardRejected(row!.op_id);
    await engine.syncNow();
    expect((await store.get("profile", "me"))?.fields).toEqual({ sex: "female", time_zone: "UTC" });
  });
});

describe("cycles", () => {
  it("never overlaps: a trigger during a cycle runs one more cycle after it", async () => {
    await store.save("meals", "a", meal("x"));
    const first = engine.syncNow();
    await store.save("meals", "b", meal("y"));
    const second = engine.syncNow();
    await first;
    await second;
    await engine.whenIdle();
    expect(server.records.has("meals:b")).toBe(true);
  });
});

describe("answers read without casts", () => {
  it("takes a duplicate's stored first answer as it was, and anything else as a plain applied", () => {
    const first = { op_id: "a", status: "conflict", merged: false, record: null };
    expect(originalAnswer(first)).toBe(first);
    expect(originalAnswer({ op_id: "a", status: "gone" })).toEqual({ status: "applied" });
    expect(originalAnswer(null)).toEqual({ status: "applied" });
  });

  it("finds why a 401 ended the session only where the problem names the authorization", () => {
    expect(endedReason({ errors: [{ field: "authorization", rule: "revoked" }] })).toBe("revoked");
    expect(endedReason({ errors: [{ field: "password", rule: "revoked" }] })).toBeNull();
    expect(endedReason({ errors: "revoked" })).toBeNull();
    expect(endedReason(undefined)).toBeNull();
  });
});

describe("two contexts on one database", () => {
  /** A FIFO stand-in for the Web Locks API (one lock name is all the engine uses). */
  function fakeLocks() {
    let tail: Promise<unknown> = Promise.resolve();
    return {
      request<T>(_name: string, work: () => Promise<T>): Promise<T> {
        const run = tail.then(work);
        tail = run.catch(() => undefined);
        return run;
      },
    };
  }

  /** Logs each exchange's start and end, with a turn of the event loop in between. */
  function logged(inner: SyncTransport, who: string, log: string[]): SyncTransport {
    const wrap =
      <A extends unknown[], R>(what: string, fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        log.push(`${who} ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
        const answer = await fn(...args);
        log.push(`${who} ${what} done`);
        return answer;
      };
    return { push: wrap("push", inner.push.bind(inner)), pull: wrap("pull", inner.pull.bind(inner)) };
  }

  it("never interleaves two cycles (a tab and the service worker take turns by a Web Lock)", async () => {
    vi.stubGlobal("navigator", { onLine: true, locks: fakeLocks() });
    try {
      await store.save("meals", "m1", meal("oats"));
      const log: string[] = [];
      const tab = new SyncEngine(store, logged(server, "tab", log), { setTimer: clock.setTimer });
      const worker = new SyncEngine(store, logged(server, "worker", log), { setTimer: clock.setTimer });
      await Promise.all([tab.syncNow(), worker.syncNow()]);
      const owners = log.map((line) => line.split(" ")[0]);
      // One context's whole cycle, then the other's: the owner changes exactly once.
      const switches = owners.filter((who, i) => i > 0 && who !== owners[i - 1]).length;
      expect(switches).toBe(1);
      expect(server.pushes.flat().map((op) => op.id)).toEqual(["m1"]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
