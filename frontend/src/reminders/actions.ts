/**
 * "Taken" and "Snooze 30 min" on reminder occurrences, shared by the service worker (the
 * notification's buttons) and the page (the in-app banner). No DOM: the worker imports it.
 *
 * Taken: `POST …/occurrences/{id}/taken` logs the dose on the server with the occurrence's
 * `dose_id`. When the server cannot be reached, the same dose (same id) goes into IndexedDB
 * with its outbox op instead, all the doses of one tap in ONE transaction; the next sync push
 * stores it, and the server then counts the occurrence as taken. Either way it is one record,
 * so a second tap, or both paths, never make two doses.
 *
 * Snooze, and "Done" on a reminder without a dose, have nothing to write locally: offline, the
 * call is queued in the person's database and sent later (a late snooze is harmless).
 */
import type { EntityFields } from "../api/entities";
import type { Fields, Store } from "../storage/store";
import { doseFields, nowWithOffset } from "./dose";
import type { ReminderOccurrence } from "./payload";

export const SNOOZE_MINUTES = 30;
const QUEUE_KEY = "reminder_calls";
/** Queued calls older than this are dropped: the reminder they answer is long over. */
const QUEUE_MAX_AGE_MS = 12 * 60 * 60_000;

export interface ActionContext {
  token: string;
  /** The signed-in person's database; null when nobody is (then nothing is kept offline). */
  store: Store | null;
  fetch?: typeof fetch;
  now?: () => Date;
}

interface QueuedCall {
  occurrence_id: string;
  action: "taken" | "snooze";
  minutes?: number;
  at: number;
}

type CallResult = "ok" | "unreachable" | "refused" | "signed-out";

export interface TakenResult {
  /** Occurrences the server recorded now. */
  online: number;
  /** Doses written to the outbox because the server could not be reached. */
  savedOffline: string[];
  /** Calls kept for later (no dose to write, or nowhere to write it). */
  queued: number;
  signedOut: boolean;
}

async function call(ctx: ActionContext, path: string, body?: Fields): Promise<CallResult> {
  const doFetch = ctx.fetch ?? fetch;
  let r: Response;
  try {
    r = await doFetch(path, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${ctx.token}`,
        ...(body ? { "Content-Type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    return "unreachable";
  }
  if (r.ok) return "ok";
  if (r.status === 401) return "signed-out";
  if (r.status === 429 || r.status >= 500) return "unreachable";
  // 404 (gone) or 422: retrying would never succeed.
  return "refused";
}

const takenPath = (id: string) => `/api/v1/reminders/occurrences/${encodeURIComponent(id)}/taken`;
const snoozePath = (id: string) => `/api/v1/reminders/occurrences/${encodeURIComponent(id)}/snooze`;

async function queue(store: Store | null, calls: QueuedCall[]): Promise<number> {
  if (!store || calls.length === 0) return 0;
  await store.db.transaction("rw", store.db.meta, async () => {
    const row = await store.db.meta.get(QUEUE_KEY);
    const prev = Array.isArray(row?.value) ? (row.value as QueuedCall[]) : [];
    const seen = new Set(prev.map((c) => `${c.action}:${c.occurrence_id}`));
    const next = [...prev, ...calls.filter((c) => !seen.has(`${c.action}:${c.occurrence_id}`))];
    await store.db.meta.put({ key: QUEUE_KEY, value: next });
  });
  return calls.length;
}

/** The doses of `occurrences`, as Today would log them, for the outbox. */
async function offlineDoses(store: Store, occurrences: ReminderOccurrence[], now: Date): Promise<{ id: string; fields: EntityFields["doses"] }[]> {
  const takenAt = nowWithOffset(now);
  const rows: { id: string; fields: EntityFields["doses"] }[] = [];
  for (const o of occurrences) {
    if (!o.dose_id || !o.regimen_item_id) continue;
    const item = await store.get("regimen", o.regimen_item_id);
    const fields: EntityFields["doses"] =
      item?.fields && !item.deleted
        ? doseFields(item, Number(item.fields.default_units ?? 1) || 1, takenAt)
        : // The item is not on this device yet: the server completes the rest from the item.
          { regimen_item_id: o.regimen_item_id, taken_at: takenAt, units: 1 };
    rows.push({ id: o.dose_id, fields });
  }
  return rows;
}

export async function markTaken(occurrences: ReminderOccurrence[], ctx: ActionContext): Promise<TakenResult> {
  const result: TakenResult = { online: 0, savedOffline: [], queued: 0, signedOut: false };
  const unreachable: ReminderOccurrence[] = [];
  for (const o of occurrences) {
    const r = await call(ctx, takenPath(o.id));
    if (r === "ok") result.online += 1;
    else if (r === "unreachable") unreachable.push(o);
    else if (r === "signed-out") result.signedOut = true;
  }
  if (unreachable.length === 0) return result;
  const now = (ctx.now ?? (() => new Date()))();
  const withDose = unreachable.filter((o) => o.dose_id && o.regimen_item_id);
  const withoutDose = unreachable.filter((o) => !(o.dose_id && o.regimen_item_id));
  if (ctx.store && withDose.length > 0) {
    result.savedOffline = await ctx.store.createOnce("doses", await offlineDoses(ctx.store, withDose, now));
  }
  result.queued = await queue(
    ctx.store,
    withoutDose.map((o) => ({ occurrence_id: o.id, action: "taken", at: now.getTime() })),
  );
  return result;
}

export async function snooze(occurrences: ReminderOccurrence[], ctx: ActionContext, minutes = SNOOZE_MINUTES): Promise<{ online: number; queued: number }> {
  let online = 0;
  const later: QueuedCall[] = [];
  const at = (ctx.now ?? (() => new Date()))().getTime();
  for (const o of occurrences) {
    const r = await call(ctx, snoozePath(o.id), { minutes });
    if (r === "ok") online += 1;
    else if (r === "unreachable") later.push({ occurrence_id: o.id, action: "snooze", minutes, at });
  }
  return { online, queued: await queue(ctx.store, later) };
}

/** Sends the calls kept while offline; what still cannot get through stays queued. */
export async function retryQueued(ctx: ActionContext): Promise<number> {
  const store = ctx.store;
  if (!store) return 0;
  const row = await store.db.meta.get(QUEUE_KEY);
  const calls = Array.isArray(row?.value) ? (row.value as QueuedCall[]) : [];
  if (calls.length === 0) return 0;
  const now = (ctx.now ?? (() => new Date()))().getTime();
  const done = new Set<QueuedCall>();
  for (const c of calls) {
    if (now - c.at > QUEUE_MAX_AGE_MS) {
      done.add(c);
      continue;
    }
    const r =
      c.action === "taken"
        ? await call(ctx, takenPath(c.occurrence_id))
        : await call(ctx, snoozePath(c.occurrence_id), { minutes: c.minutes ?? SNOOZE_MINUTES });
    if (r === "unreachable" || r === "signed-out") break;
    done.add(c);
  }
  if (done.size === 0) return 0;
  await store.db.transaction("rw", store.db.meta, async () => {
    const fresh = await store.db.meta.get(QUEUE_KEY);
    const current = Array.isArray(fresh?.value) ? (fresh.value as QueuedCall[]) : [];
    const sent = new Set([...done].map((c) => `${c.action}:${c.occurrence_id}`));
    await store.db.meta.put({ key: QUEUE_KEY, value: current.filter((c) => !sent.has(`${c.action}:${c.occurrence_id}`)) });
  });
  return done.size;
}
