/**
 * Turning on notifications: every failure comes back in words with the calendar-link fallback
 * (issue #14: the button greyed out and came back saying nothing).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const GET = vi.fn();
const POST = vi.fn();
vi.mock("../api/client", async (original) => ({ ...(await original<typeof import("../api/client")>()), api: { GET, POST, DELETE: vi.fn() } }));

const { enablePush, pushState, shouldOfferPush, CALENDAR_HINT, UNBLOCK_HINT } = await import("./push");

const KEY = "BPrz9xkIJMB9W9ukpwUZ1sD9xzjJ1q2_Fxy_4SKdR7V4xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".slice(0, 87);

function browser(opts: { permission?: NotificationPermission; answer?: NotificationPermission | "never"; subscribe: () => Promise<unknown> }) {
  const store = new Map<string, string>();
  const pushManager = { getSubscription: vi.fn(async () => null), subscribe: vi.fn(opts.subscribe) };
  const requestPermission = vi.fn(() => (opts.answer === "never" ? new Promise<NotificationPermission>(() => undefined) : Promise.resolve(opts.answer ?? "granted")));
  vi.stubGlobal("Notification", { permission: opts.permission ?? "granted", requestPermission });
  vi.stubGlobal("PushManager", class {});
  vi.stubGlobal("window", { PushManager: class {}, Notification: {} });
  vi.stubGlobal("navigator", { userAgent: "Android", serviceWorker: { ready: Promise.resolve({ pushManager }) } });
  vi.stubGlobal("localStorage", {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  });
  return { pushManager, requestPermission, store };
}

const aSubscription = { endpoint: "https://push.example/1", options: { applicationServerKey: null }, toJSON: () => ({ endpoint: "https://push.example/1", keys: { p256dh: "p", auth: "a" } }) };

describe("enablePush says every failure in words", () => {
  beforeEach(() => {
    GET.mockResolvedValue({ data: { public_key: KEY } });
    POST.mockResolvedValue({ data: { id: "s1" } });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    GET.mockReset();
    POST.mockReset();
  });

  it("a subscribe error (no push service)", async () => {
    browser({ subscribe: () => Promise.reject(new DOMException("Registration failed - push service not available", "AbortError")) });
    const result = await enablePush();
    expect(result.state).toBe("off");
    expect(result.message).toBe(`Notifications could not be turned on: this browser's push service did not sign this device up. ${CALENDAR_HINT}`);
  });

  it("a push service that never answers", async () => {
    vi.useFakeTimers();
    const { pushManager } = browser({ subscribe: () => new Promise(() => undefined) });
    const pending = enablePush(1_000);
    await vi.advanceTimersByTimeAsync(1_001);
    const result = await pending;
    expect(pushManager.subscribe).toHaveBeenCalledOnce();
    expect(result.message).toMatch(/^Notifications could not be turned on: this browser's push service did not sign this device up \(no answer after 1 seconds\)\. /);
    expect(result.message).toContain(CALENDAR_HINT);
  });

  it("the server refusing the subscription, with its reason", async () => {
    browser({ subscribe: async () => aSubscription });
    POST.mockResolvedValue({ error: { status: 422, errors: [{ field: "endpoint", rule: "https", detail: "The push endpoint must use https." }] } });
    const result = await enablePush();
    expect(result.state).toBe("off");
    expect(result.message).toBe(`Notifications could not be turned on: the server refused (The push endpoint must use https). ${CALENDAR_HINT}`);
  });

  it("a prompt closed without an answer, and a permission refused", async () => {
    browser({ permission: "default", answer: "default", subscribe: async () => aSubscription });
    const closed = await enablePush();
    expect(closed.state).toBe("prompt");
    expect(closed.message).toContain("not allowed");
    expect(closed.message).toContain(CALENDAR_HINT);
    browser({ permission: "default", answer: "denied", subscribe: async () => aSubscription });
    const refused = await enablePush();
    expect(refused.state).toBe("denied");
    expect(refused.message).toContain("blocked");
    expect(refused.message).toContain(CALENDAR_HINT);
  });

  it("a permission refused quietly stays refused: not offered again, told how to allow it (newcomer walk)", async () => {
    // The request answers "denied" while Notification.permission still reads "default".
    const { store } = browser({ permission: "default", answer: "denied", subscribe: async () => aSubscription });
    const refused = await enablePush();
    expect(refused.message).toContain(UNBLOCK_HINT);
    expect(await pushState()).toBe("denied");
    expect(await shouldOfferPush()).toBe(false);
    // She allowed them in the browser's settings: the app offers to turn them on again.
    vi.stubGlobal("Notification", { permission: "granted", requestPermission: vi.fn() });
    vi.stubGlobal("navigator", { userAgent: "Android", serviceWorker: { ready: Promise.resolve({}), getRegistration: async () => undefined } });
    expect(await pushState()).toBe("off");
    expect(store.has("fortify.push.denied")).toBe(false);
  });

  it("and says so when it works", async () => {
    const { store } = browser({ subscribe: async () => aSubscription });
    const result = await enablePush();
    expect(result).toEqual({ state: "on", message: "Notifications are on: reminders arrive on this device." });
    expect(JSON.parse(store.get("fortify.push.subscription") ?? "{}")).toEqual({ id: "s1", endpoint: "https://push.example/1" });
  });
});
