/**
 * Web Push on this device (docs/reminders.md §3, "Subscribing").
 *
 * The permission prompt comes after the first medicine time or reminder is saved (the moment
 * the person sees why), never on first load; Settings → Reminders has a button for it too.
 * Subscribing: the server's VAPID key → `pushManager.subscribe` → `POST /push/subscriptions`
 * with `subscription.toJSON()`. The server's id for it is kept here so sign-out can delete it.
 * Where push is impossible (no support, iOS outside the home screen, permission refused) the
 * app says so and points to the calendar feed, which reminds through the phone's calendar.
 */
import { api, problemText } from "../api/client";

const ASKED_KEY = "fortify.push.asked";
const SUB_KEY = "fortify.push.subscription";
/**
 * The browser answered "denied" to our question. Some browsers block quietly (after dismissals,
 * or by a quiet-notifications setting): the request answers "denied" while
 * `Notification.permission` still reads "default", and the app offered "Turn on" again on every
 * visit, to be refused again without a word (newcomer walk). Kept until the permission reads
 * "granted" (she allowed it in the browser's settings, as the words say).
 */
const DENIED_KEY = "fortify.push.denied";

export type PushState = "unsupported" | "denied" | "prompt" | "off" | "on";

export interface EnableResult {
  state: PushState;
  message: string;
}

/**
 * How to unblock notifications, in the steps a phone's browser shows (Chrome on Android, Safari
 * on iPhone). In words, not the "ⓘ" symbol: many system fonts lack it, and the newcomer walk
 * saw an empty box where it should be.
 */
export const UNBLOCK_HINT = "To allow them: tap the padlock or the small “i” by the web address, then Notifications → Allow.";

/** The same for Fortify added to the home screen (said where there is room: Settings). */
export const UNBLOCK_APP_HINT = "On the home-screen app: your phone's Settings → Notifications → Fortify.";

/** What the app says when notifications are blocked: that they are, and how to allow them. */
export const BLOCKED_TEXT = `Notifications are blocked for Fortify in this browser's settings. ${UNBLOCK_HINT}`;

export const CALENDAR_HINT = "You can still be reminded through your phone's calendar: Settings → Reminders → Calendar link.";

interface StoredSub {
  id: string;
  endpoint: string;
}

function supported(): boolean {
  return typeof window !== "undefined" && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function storedSub(): StoredSub | null {
  try {
    const raw = localStorage.getItem(SUB_KEY);
    return raw ? (JSON.parse(raw) as StoredSub) : null;
  } catch {
    return null;
  }
}

function keep(sub: StoredSub | null): void {
  if (sub) localStorage.setItem(SUB_KEY, JSON.stringify(sub));
  else localStorage.removeItem(SUB_KEY);
}

/** base64url (the server's key format) → bytes, as `applicationServerKey` wants them. */
export function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const b64 = value.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(value.length / 4) * 4, "=");
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
  return out;
}

function sameKey(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (!a) return false;
  const x = new Uint8Array(a);
  return x.length === b.length && x.every((v, i) => v === b[i]);
}

export async function pushState(): Promise<PushState> {
  if (!supported()) return "unsupported";
  if (Notification.permission === "granted") localStorage.removeItem(DENIED_KEY);
  if (Notification.permission === "denied") return "denied";
  if (Notification.permission === "default") return localStorage.getItem(DENIED_KEY) ? "denied" : "prompt";
  try {
    const reg = await navigator.serviceWorker.getRegistration();
    const sub = await reg?.pushManager.getSubscription();
    return sub && storedSub()?.endpoint === sub.endpoint ? "on" : "off";
  } catch {
    return "off";
  }
}

function deviceName(): string {
  const ua = navigator.userAgent;
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iPhone" : /Mac/.test(ua) ? "Mac" : /Windows/.test(ua) ? "Windows" : "Linux";
  return `Notifications on ${os}`;
}

/** How long one step (the permission prompt, the push service, the server) may take. */
export const STEP_TIMEOUT_MS = 15_000;

class StepFailed extends Error {
  constructor(readonly said: string) {
    super(said);
  }
}

/** `work`, or a StepFailed saying `said` when it fails or is still pending after `ms`. */
async function step<T>(work: () => Promise<T>, said: string, ms = STEP_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepFailed(`${said} (no answer after ${Math.round(ms / 1000)} seconds)`)), ms);
  });
  try {
    return await Promise.race([work(), late]);
  } catch (e) {
    throw e instanceof StepFailed ? e : new StepFailed(said);
  } finally {
    clearTimeout(timer);
  }
}

/** The server's reason, to sit inside a sentence. */
function said(problem: unknown, fallback: string): string {
  return problemText(problem, fallback).replace(/\.$/, "");
}

function failed(why: string): EnableResult {
  return { state: "off", message: `Notifications could not be turned on: ${why}. ${CALENDAR_HINT}` };
}

/**
 * Asks for permission (when not yet given), subscribes and registers with the server. Every
 * way it can fail (refused, prompt dismissed, no push service, a step that never answers, the
 * server refusing) comes back as a message in words with the calendar-link fallback: a button
 * that greys out and comes back saying nothing is a failure she never hears about.
 */
export async function enablePush(timeoutMs = STEP_TIMEOUT_MS): Promise<EnableResult> {
  if (!supported()) {
    return { state: "unsupported", message: `This browser can't show Fortify's notifications (on iPhone, add Fortify to the home screen first). ${CALENDAR_HINT}` };
  }
  localStorage.setItem(ASKED_KEY, "1");
  let permission = Notification.permission;
  if (permission === "default") {
    try {
      // A prompt left unanswered must not keep the button greyed out for ever.
      permission = await step(() => Notification.requestPermission(), "the browser did not ask for permission", 4 * timeoutMs);
    } catch {
      permission = "default";
    }
  }
  if (permission === "denied") {
    localStorage.setItem(DENIED_KEY, "1");
    return { state: "denied", message: `${BLOCKED_TEXT} ${CALENDAR_HINT}` };
  }
  localStorage.removeItem(DENIED_KEY);
  if (permission !== "granted") {
    return { state: "prompt", message: `Notifications were not allowed (the question was closed without an answer). Press "Turn on notifications" to be asked again. ${CALENDAR_HINT}` };
  }
  try {
    const keyAnswer = await step(() => api.GET("/api/v1/push/vapid-public-key"), "the server could not be reached", timeoutMs);
    if (!keyAnswer.data) throw new StepFailed(`the server refused (${said(keyAnswer.error, "it has no notification key")})`);
    const key = base64UrlToBytes(keyAnswer.data.public_key);
    const reg = await step(() => navigator.serviceWorker.ready, "the app's offline helper is not running in this browser", timeoutMs);
    let sub = await step(() => reg.pushManager.getSubscription(), "this browser has no push service", timeoutMs);
    // A subscription made for another server key (the server's keys changed) cannot be used.
    if (sub && !sameKey(sub.options.applicationServerKey, key)) {
      await sub.unsubscribe().catch(() => false);
      sub = null;
    }
    const made = sub ?? (await step(() => reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }), "this browser's push service did not sign this device up", timeoutMs));
    const json = made.toJSON();
    const saved = await step(
      () =>
        api.POST("/api/v1/push/subscriptions", {
          body: {
            endpoint: json.endpoint ?? made.endpoint,
            keys: { p256dh: json.keys?.p256dh ?? "", auth: json.keys?.auth ?? "" },
            expirationTime: json.expirationTime ?? null,
            device_name: deviceName(),
          },
        }),
      "the server could not be reached",
      timeoutMs,
    );
    if (!saved.data) throw new StepFailed(`the server refused (${said(saved.error, "no reason given")})`);
    keep({ id: saved.data.id, endpoint: made.endpoint });
    return { state: "on", message: "Notifications are on: reminders arrive on this device." };
  } catch (e) {
    return failed(e instanceof StepFailed ? e.said : "something went wrong");
  }
}

/**
 * After a medicine time or reminder is saved: once notifications are allowed on this device,
 * make sure it is subscribed (no question asked). It never asks for permission itself, and
 * never tells her notifications are blocked when she did not ask for them (a dark "blocked"
 * toast after "Add anastrozole" read as an error): the offer is made in words, with a button
 * she taps (`ReminderOffer` beside her medicines; Settings → Reminders). Returns a message
 * only when there is something to tell.
 */
export async function offerPush(): Promise<string | null> {
  if (!supported()) return null;
  if ((await pushState()) !== "off") return null;
  const result = await enablePush();
  return result.state === "on" ? result.message : null;
}

/** Whether to offer reminders on this device: it can show them, she has not been asked, and they are not on. */
export async function shouldOfferPush(): Promise<boolean> {
  if (!supported() || localStorage.getItem(ASKED_KEY)) return false;
  return (await pushState()) === "prompt";
}

/** Sign-out: this device stops receiving the person's reminders. */
export async function disablePush(): Promise<void> {
  const sub = storedSub();
  keep(null);
  if (sub) {
    try {
      await api.DELETE("/api/v1/push/subscriptions/{subscription_id}", { params: { path: { subscription_id: sub.id } } });
    } catch {
      // Offline: the unsubscribe below makes the push service answer 410, and the server then
      // deletes the subscription itself.
    }
  }
  if (!supported()) return;
  try {
    const reg = await navigator.serviceWorker.getRegistration();
    await (await reg?.pushManager.getSubscription())?.unsubscribe();
  } catch {
    // Nothing subscribed, or the browser refused: nothing more to do.
  }
}
