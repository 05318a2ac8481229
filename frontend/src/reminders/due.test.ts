import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The poll asks the server through `api.GET`; each call is counted, and answers as scripted.
const calls: string[] = [];
let answer: "ok" | "offline" = "ok";
vi.mock("../api/client", () => ({
  api: {
    GET: async (path: string) => {
      calls.push(path);
      if (answer === "offline") throw new TypeError("Failed to fetch");
      return { data: [], response: new Response("[]", { status: 200 }) };
    },
  },
}));
// Signed in, with an empty store: nothing queued, no dose logged here.
vi.mock("../app/runtime", () => ({
  runtime: () => ({ session: { token: "fts_test" }, store: { get: async () => undefined, db: { meta: { get: async () => undefined } } } }),
  onRuntimeChange: () => () => undefined,
}));

const { DUE_POLL_MAX_MS, DUE_POLL_MS, pollDelay, refreshDue, snoozeDue, snoozedUntil, snoozeWords, startPolling } = await import("./due");

const online = { onLine: true };
const win = new EventTarget();

beforeEach(() => {
  vi.useFakeTimers();
  calls.length = 0;
  answer = "ok";
  online.onLine = true;
  vi.stubGlobal("navigator", online);
  vi.stubGlobal("window", win);
  vi.stubGlobal("document", Object.assign(new EventTarget(), { visibilityState: "visible" }));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Lets the poll's awaits settle (fake timers do not run promise callbacks). */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe("the reminders due poll", () => {
  it("waits a minute, then twice as long after each failure, at most 15 minutes", () => {
    expect(pollDelay(0)).toBe(DUE_POLL_MS);
    expect(pollDelay(1)).toBe(2 * DUE_POLL_MS);
    expect(pollDelay(2)).toBe(4 * DUE_POLL_MS);
    expect(pollDelay(4)).toBe(DUE_POLL_MAX_MS);
    expect(pollDelay(1000)).toBe(DUE_POLL_MAX_MS);
  });

  it("asks nothing offline: a request could only fail (and the browser logs every failed one)", async () => {
    online.onLine = false;
    expect(await refreshDue()).toBe(false);
    expect(calls).toEqual([]);
    online.onLine = true;
    expect(await refreshDue()).toBe(true);
    expect(calls).toEqual(["/api/v1/reminders/due"]);
  });

  it("polls once a minute, not again on each screen change, backs off on failures, and asks at once when back online", async () => {
    let stop = startPolling();
    await settle();
    expect(calls.length).toBe(1);
    // A screen change: the banner remounts, the poll restarts; no second request so soon.
    stop();
    stop = startPolling();
    await settle();
    expect(calls.length).toBe(1);
    await vi.advanceTimersByTimeAsync(DUE_POLL_MS);
    expect(calls.length).toBe(2);
    // The server cannot be reached: the next tries wait 2 and then 4 minutes, not one second.
    answer = "offline";
    await vi.advanceTimersByTimeAsync(DUE_POLL_MS);
    expect(calls.length).toBe(3);
    await vi.advanceTimersByTimeAsync(2 * DUE_POLL_MS - 1);
    expect(calls.length).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.length).toBe(4);
    // Offline: ten minutes pass without a single request.
    online.onLine = false;
    await vi.advanceTimersByTimeAsync(10 * DUE_POLL_MS);
    expect(calls.length).toBe(4);
    // Back online: asked at once, and a minute apart again after a success.
    online.onLine = true;
    answer = "ok";
    win.dispatchEvent(new Event("online"));
    await settle();
    expect(calls.length).toBe(5);
    await vi.advanceTimersByTimeAsync(DUE_POLL_MS);
    expect(calls.length).toBe(6);
    stop();
    await vi.advanceTimersByTimeAsync(10 * DUE_POLL_MS);
    expect(calls.length).toBe(6);
  });
});

describe("a snooze says when the reminder comes again (newcomer walk: it vanished without a word)", () => {
  const occurrence = { id: "o1", reminder_id: "r1", regimen_item_id: "anastrozole", kind: "dose", title: "Anastrozole", due_at: "2026-12-04T08:00:00Z", local_time: "08:00", dose_id: "d1" };

  it("keeps when the snoozed dose's reminder comes again, for Today's card, until then", async () => {
    const sent: string[] = [];
    vi.stubGlobal("fetch", async (url: string) => {
      sent.push(url);
      return new Response(null, { status: 204 });
    });
    const now = Date.parse("2026-12-04T10:15:00Z");
    const done = await snoozeDue([occurrence], 30, now);
    expect(done).toEqual({ until: now + 30 * 60_000, queued: false });
    expect(sent).toEqual(["/api/v1/reminders/occurrences/o1/snooze"]);
    expect(snoozedUntil("anastrozole", now)).toBe(now + 30 * 60_000);
    expect(snoozedUntil("anastrozole", now + 31 * 60_000)).toBeNull();
    expect(snoozedUntil("calcium", now)).toBeNull();
  });

  it("in words, saying when it was only kept on this phone", () => {
    expect(snoozeWords("10:45", 30, false)).toBe("Snoozed: reminder again at 10:45 (in 30 min).");
    expect(snoozeWords("10:45", 30, true)).toBe("Snoozed: reminder again at 10:45 (in 30 min). The server hears of it when you are back online.");
  });
});
