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
import { api } from "../api/client";

const ASKED_KEY = "fortify.push.asked";
const SUB_KEY = "fortify.push.subscription";

export type PushState = "unsupported" | "denied" | "prompt" | "off" | "on";

export interface EnableResult {
  state: PushState;
  message: string;
}

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
  if (Notification.permission === "denied") return "denied";
  if (Notification.permission === "default") return "prompt";
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

/** Asks for permission (when not yet given), subscribes and registers with the server. */
export async function enablePush(): Promise<EnableResult> {
  if (!supported()) {
    return { state: "unsupported", message: `This browser can't show Fortify's notifications (on iPhone, add Fortify to the home screen first). ${CALENDAR_HINT}` };
  }
  localStorage.setItem(ASKED_KEY, "1");
  let permission = Notification.permission;
  if (permission === "default") {
    try {
      permission = await Notification.requestPermission();
    } catch {
      permission = "denied";
    }
  }
  if (permission !== "granted") {
    return { state: permission === "denied" ? "denied" : "prompt", message: `Notifications are turned off for Fortify. ${CALENDAR_HINT}` };
  }
  try {
    const keyAnswer = await api.GET("/api/v1/push/vapid-public-key");
    if (!keyAnswer.data) throw new Error("no key");
    const key = base64UrlToBytes(keyAnswer.data.public_key);
    const reg = await navigator.serviceWorker.ready;
    let sub = await reg.pushManager.getSubscription();
    // A subscription made for another server key (the server's keys changed) cannot be used.
    if (sub && !sameKey(sub.options.applicationServerKey, key)) {
      await sub.unsubscribe();
      sub = null;
    }
    sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    const json = sub.toJSON();
    const saved = await api.POST("/api/v1/push/subscriptions", {
      body: {
        endpoint: json.endpoint ?? sub.endpoint,
        keys: { p256dh: json.keys?.p256dh ?? "", auth: json.keys?.auth ?? "" },
        expirationTime: json.expirationTime ?? null,
        device_name: deviceName(),
      },
    });
    if (!saved.data) throw new Error("not saved");
    keep({ id: saved.data.id, endpoint: sub.endpoint });
    return { state: "on", message: "Notifications are on: reminders arrive on this device." };
  } catch {
    return { state: "off", message: `Notifications could not be turned on here (no connection, or this browser has no push service). ${CALENDAR_HINT}` };
  }
}

/**
 * After a medicine time or reminder is saved: the first time, ask; once allowed, make sure
 * this device is subscribed. Returns a message only when there is something to tell.
 */
export async function offerPush(): Promise<string | null> {
  if (!supported()) {
    // Said once (an iPhone's Safari tab, say): after that, Settings → Reminders explains it.
    if (localStorage.getItem(ASKED_KEY)) return null;
    localStorage.setItem(ASKED_KEY, "1");
    return (await enablePush()).message;
  }
  const state = await pushState();
  if (state === "on" || state === "denied") return null;
  if (state === "prompt" && localStorage.getItem(ASKED_KEY)) return null;
  const result = await enablePush();
  return result.state === "on" ? result.message : state === "prompt" ? result.message : null;
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
