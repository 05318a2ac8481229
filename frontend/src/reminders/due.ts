/**
 * The in-app reminders (the banner): what is due now, while the app is open.
 *
 * Polls `GET /api/v1/reminders/due` every minute, when the page becomes visible and when the
 * browser comes online, and takes the reminders the service worker hands over when the app
 * is the focused window (then no system notification is shown). Offline it asks nothing (the
 * browser's "online" event brings the next poll), and after failures it waits longer each
 * time (`pollDelay`): a failed request is logged by the browser itself, and an offline phone
 * used to log one a second (every screen change started a new poll). "Taken" and "Snooze" use the
 * same actions as the notification's buttons (./actions.ts), outbox included.
 *
 * A plain module with subscribers: the banner is on every screen, and screens come and go, but
 * there is one poll per page.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import { navigate } from "../app/router";
import { onRuntimeChange, runtime } from "../app/runtime";
import { markTaken, retryQueued, snooze, SNOOZE_MINUTES, type ActionContext } from "./actions";
import { parseOccurrence, parsePayload, type ReminderOccurrence } from "./payload";

export const DUE_POLL_MS = 60_000;
/** The longest wait between polls after failures. */
export const DUE_POLL_MAX_MS = 15 * 60_000;
/** A screen change remounts the banner: no new request this soon after the last one. */
export const DUE_MIN_GAP_MS = 20_000;

/** The wait before the next poll after `failures` failed ones in a row: 1, 2, 4… minutes, at most 15. */
export function pollDelay(failures: number): number {
  return Math.min(DUE_POLL_MAX_MS, DUE_POLL_MS * 2 ** Math.max(0, Math.min(failures, 10)));
}

let due: ReminderOccurrence[] = [];
/** Acted on here (or in the notification) and not to be shown again, whatever a poll says. */
const acted = new Set<string>();
const listeners = new Set<(list: ReminderOccurrence[]) => void>();
let stopPolling: (() => void) | null = null;

function publish(list: ReminderOccurrence[]): void {
  due = list.filter((o) => !acted.has(o.id));
  for (const fn of listeners) fn(due);
}

/** Drops occurrences whose dose is already on this device (logged offline, not yet synced). */
async function withoutLocalDoses(list: ReminderOccurrence[]): Promise<ReminderOccurrence[]> {
  const rt = runtime();
  if (!rt) return list;
  const out: ReminderOccurrence[] = [];
  for (const o of list) {
    if (o.dose_id && (await rt.store.get("doses", o.dose_id))) continue;
    out.push(o);
  }
  return out;
}

/** Asks the server what is due. Returns false when it could not be asked (offline, a failure). */
export async function refreshDue(): Promise<boolean> {
  const rt = runtime();
  if (!rt) {
    publish([]);
    return true;
  }
  if (!navigator.onLine) {
    // Offline: no request (it could only fail); keep showing what was due, minus what was acted on.
    publish(await withoutLocalDoses(due));
    return false;
  }
  await retryQueued(context()).catch(() => 0);
  try {
    const r = await api.GET("/api/v1/reminders/due");
    if (!r.data) return r.response.ok;
    const list = (r.data as unknown[]).map(parseOccurrence).filter((o): o is ReminderOccurrence => o !== null);
    publish(await withoutLocalDoses(list));
    return true;
  } catch {
    // The server could not be reached: as offline.
    publish(await withoutLocalDoses(due));
    return false;
  }
}

function context(): ActionContext {
  const rt = runtime();
  return { token: rt?.session.token ?? "", store: rt?.store ?? null };
}

function onMessage(event: MessageEvent): void {
  const data: unknown = event.data;
  if (!data || typeof data !== "object") return;
  const type = (data as { type?: unknown }).type;
  if (type === "REMINDER") {
    const payload = parsePayload((data as { payload?: unknown }).payload);
    if (!payload) return;
    const known = new Set(due.map((o) => o.id));
    publish([...due, ...payload.occurrences.filter((o) => !known.has(o.id))]);
  } else if (type === "REMINDER_DONE") {
    const ids = (data as { occurrence_ids?: unknown }).occurrence_ids;
    if (Array.isArray(ids)) for (const id of ids) if (typeof id === "string") acted.add(id);
    publish(due);
  } else if (type === "OPEN") {
    const path = (data as { path?: unknown }).path;
    if (typeof path === "string" && path.startsWith("/") && !path.startsWith("//")) navigate(path);
  }
}

/** Failed polls in a row, and when the last poll began: kept across screens (and remounts). */
let failures = 0;
let lastPollAt = -Infinity;

/** Starts the poll (exported for its test); returns its stop. One runs per page, while a banner shows. */
export function startPolling(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void poll(true), pollDelay(failures));
  };
  const poll = async (force: boolean) => {
    if (!force && Date.now() - lastPollAt < DUE_MIN_GAP_MS) {
      schedule();
      return;
    }
    lastPollAt = Date.now();
    failures = (await refreshDue()) ? 0 : failures + 1;
    schedule();
  };
  const kick = () => void poll(false);
  const onVisible = () => {
    if (document.visibilityState === "visible") kick();
  };
  // Back online: ask at once, whatever the wait was.
  const onOnline = () => {
    failures = 0;
    void poll(true);
  };
  document.addEventListener("visibilitychange", onVisible);
  window.addEventListener("online", onOnline);
  navigator.serviceWorker?.addEventListener("message", onMessage);
  kick();
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener("visibilitychange", onVisible);
    window.removeEventListener("online", onOnline);
    navigator.serviceWorker?.removeEventListener("message", onMessage);
  };
}

/** The reminders due now; polling runs while at least one component uses this. */
export function useDueReminders(): ReminderOccurrence[] {
  const [list, setList] = useState<ReminderOccurrence[]>(due);
  useEffect(() => {
    listeners.add(setList);
    setList(due);
    stopPolling ??= startPolling();
    return () => {
      listeners.delete(setList);
      if (listeners.size === 0) {
        stopPolling?.();
        stopPolling = null;
      }
    };
  }, []);
  return list;
}

function hide(occurrences: ReminderOccurrence[]): void {
  for (const o of occurrences) acted.add(o.id);
  publish(due);
}

/** "Taken" (or "Done") from the banner. Returns true when it was kept on this device only. */
export async function takeDue(occurrences: ReminderOccurrence[]): Promise<boolean> {
  const rt = runtime();
  if (!rt) return false;
  hide(occurrences);
  const result = await markTaken(occurrences, context());
  if (result.savedOffline.length > 0) await rt.changed();
  // The server logged the dose: pull it so Today counts it.
  if (result.online > 0) void rt.engine.syncNow();
  return result.savedOffline.length > 0 || result.queued > 0;
}

/**
 * Snoozed on this phone: the regimen item (or, for a reminder with no dose, the reminder) →
 * when the reminder comes again (ms). A snooze used to vanish without a word: the banner went
 * and nothing said it would come back (newcomer walk); now the banner says when, and Today's
 * dose card says "Snoozed · reminder at 10:45" until then.
 */
const snoozed = new Map<string, number>();
const snoozeListeners = new Set<() => void>();

/** The key a snooze is kept under: the regimen item it reminds of, else the reminder. */
export const snoozeKey = (o: Pick<ReminderOccurrence, "regimen_item_id" | "reminder_id">): string => o.regimen_item_id ?? o.reminder_id;

/** Notes that the reminders of `occurrences` come again at `until` (ms since the epoch). */
export function noteSnoozed(occurrences: readonly ReminderOccurrence[], until: number): void {
  for (const o of occurrences) snoozed.set(snoozeKey(o), until);
  for (const fn of snoozeListeners) fn();
}

/** When the snoozed reminder of `key` (a regimen item id) comes again (ms), or null when it is not snoozed (any more). */
export function snoozedUntil(key: string, now: number = Date.now()): number | null {
  const until = snoozed.get(key);
  return until !== undefined && until > now ? until : null;
}

/** `snoozedUntil`, re-rendered when a snooze is noted. */
export function useSnoozes(): (key: string, now?: number) => number | null {
  const [, setTick] = useState(0);
  useEffect(() => {
    const bump = () => setTick((n) => n + 1);
    snoozeListeners.add(bump);
    return () => void snoozeListeners.delete(bump);
  }, []);
  return snoozedUntil;
}

/** What the banner says after a snooze: "Snoozed: reminder again at 10:45 (in 30 min)." */
export function snoozeWords(againWall: string, minutes: number, queued: boolean): string {
  return `Snoozed: reminder again at ${againWall} (in ${minutes} min).${queued ? " The server hears of it when you are back online." : ""}`;
}

/** "Snooze" from the banner. Returns when the reminder comes again (ms) and whether it was only queued here (offline). */
export async function snoozeDue(occurrences: ReminderOccurrence[], minutes: number = SNOOZE_MINUTES, now: number = Date.now()): Promise<{ until: number; queued: boolean } | null> {
  if (!runtime()) return null;
  hide(occurrences);
  const until = now + minutes * 60_000;
  noteSnoozed(occurrences, until);
  const result = await snooze(occurrences, context(), minutes);
  return { until, queued: result.queued > 0 };
}

// Another person (or nobody) is signed in now: nothing of the previous one may stay on screen.
onRuntimeChange(() => {
  acted.clear();
  snoozed.clear();
  publish([]);
  if (listeners.size > 0) void refreshDue();
});
