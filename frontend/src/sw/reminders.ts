/**
 * The service worker's reminder half (docs/reminders.md §3): shows the push payload as a
 * notification with "Taken" / "Snooze 30 min", and acts on the buttons.
 *
 * The worker runs with no page open, so it finds the signed-in person in the IndexedDB mirror
 * of the session (storage/session.ts) and opens that person's database through the same
 * storage module the page uses: an offline "Taken" is the page's kind of local write (the dose
 * and its outbox op in one transaction), pushed by the next sync.
 */
/// <reference lib="webworker" />
import { markTaken, retryQueued, snooze, type ActionContext } from "../reminders/actions";
import { parsePayload, type ReminderAction, type ReminderPayload } from "../reminders/payload";
import { personDbName, readDeviceSession } from "../storage/session";
import { Store } from "../storage/store";
import { SYNC_TAG } from "./background-sync";

/** What Chromium and Firefox accept; TypeScript's lib lists fewer options than browsers take. */
interface ReminderNotificationOptions extends NotificationOptions {
  actions?: ReminderAction[];
  renotify?: boolean;
}

/** Messages to the app's windows (read by src/reminders/due.ts and app/runtime.ts). */
export type ReminderMessage =
  | { type: "REMINDER"; payload: ReminderPayload }
  | { type: "REMINDER_DONE"; occurrence_ids: string[] }
  | { type: "OPEN"; path: string }
  | { type: "SYNC_NOW" };

async function withContext<T>(fn: (ctx: ActionContext) => Promise<T>): Promise<T | null> {
  const session = await readDeviceSession();
  if (!session) return null;
  const store = Store.open(personDbName(session.email));
  try {
    return await fn({ token: session.token, store });
  } finally {
    // Never keep the person's database open in the worker: a newer page version must be able
    // to upgrade it, and another person may sign in on this phone.
    store.db.close();
  }
}

async function windows(sw: ServiceWorkerGlobalScope): Promise<readonly WindowClient[]> {
  return sw.clients.matchAll({ type: "window", includeUncontrolled: true });
}

async function tell(sw: ServiceWorkerGlobalScope, message: ReminderMessage): Promise<void> {
  for (const w of await windows(sw)) w.postMessage(message);
}

/**
 * Notification clicks that tests dispatch themselves (browsers have no automation for them)
 * are untrusted events, and `waitUntil` throws on those; the work still runs.
 */
function keepAlive(event: ExtendableEvent, work: Promise<unknown>): void {
  const settled = work.catch((error: unknown) => console.error("reminder action failed", error));
  try {
    event.waitUntil(settled);
  } catch {
    // Untrusted event: nothing to extend.
  }
}

async function show(sw: ServiceWorkerGlobalScope, payload: ReminderPayload | null): Promise<void> {
  if (!payload) {
    // A push must show something (userVisibleOnly); an unreadable one still says where to look.
    await sw.registration.showNotification("Fortify", { body: "You have a reminder. Open Fortify to see it.", tag: "fortify-reminder" });
    return;
  }
  const focused = (await windows(sw)).filter((w) => w.focused && w.visibilityState === "visible");
  if (focused.length > 0) {
    // The person is looking at the app: its banner shows the reminder, no system notification.
    for (const w of focused) w.postMessage({ type: "REMINDER", payload } satisfies ReminderMessage);
    return;
  }
  const options: ReminderNotificationOptions = {
    body: payload.body,
    tag: payload.tag,
    // Same tag = the same reminder sent again (a retry or a snooze): alert again, replace it.
    renotify: true,
    requireInteraction: false,
    data: payload,
    actions: payload.actions,
    icon: "/icons/icon-192.png",
  };
  await sw.registration.showNotification(payload.title, options);
}

async function openToday(sw: ServiceWorkerGlobalScope): Promise<void> {
  const own = (await windows(sw)).find((w) => new URL(w.url).origin === sw.location.origin);
  if (own) {
    await own.focus();
    own.postMessage({ type: "OPEN", path: "/today" } satisfies ReminderMessage);
    return;
  }
  await sw.clients.openWindow("/today");
}

async function taken(sw: ServiceWorkerGlobalScope, payload: ReminderPayload): Promise<void> {
  const result = await withContext((ctx) => markTaken(payload.occurrences, ctx));
  if (!result) return;
  await tell(sw, { type: "REMINDER_DONE", occurrence_ids: payload.occurrences.map((o) => o.id) });
  // Online: the page pulls the server's dose. Offline: the page pushes the outbox when it can.
  await tell(sw, { type: "SYNC_NOW" });
  if (result.savedOffline.length > 0 || result.queued > 0) await registerSync(sw);
}

async function snoozed(sw: ServiceWorkerGlobalScope, payload: ReminderPayload): Promise<void> {
  const result = await withContext((ctx) => snooze(payload.occurrences, ctx));
  await tell(sw, { type: "REMINDER_DONE", occurrence_ids: payload.occurrences.map((o) => o.id) });
  if (result && result.queued > 0) await registerSync(sw);
}

async function registerSync(sw: ServiceWorkerGlobalScope): Promise<void> {
  const sync = (sw.registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }).sync;
  try {
    await sync?.register(SYNC_TAG);
  } catch {
    // No Background Sync (Firefox, Safari): the page syncs when it next opens.
  }
}

/** Sends snoozes and "Done"s kept while offline, whenever the worker wakes up anyway. */
export function retryReminderCalls(): Promise<unknown> {
  return withContext((ctx) => retryQueued(ctx)).catch(() => null);
}

export function installReminders(sw: ServiceWorkerGlobalScope): void {
  sw.addEventListener("push", (event: PushEvent) => {
    let payload: ReminderPayload | null;
    try {
      payload = parsePayload(event.data?.json());
    } catch {
      payload = null;
    }
    event.waitUntil(Promise.all([show(sw, payload), retryReminderCalls()]));
  });

  sw.addEventListener("notificationclick", (event: NotificationEvent) => {
    const payload = parsePayload(event.notification.data);
    event.notification.close();
    if (!payload || (event.action !== "taken" && event.action !== "snooze")) {
      keepAlive(event, openToday(sw));
      return;
    }
    keepAlive(event, event.action === "taken" ? taken(sw, payload) : snoozed(sw, payload));
  });
}
