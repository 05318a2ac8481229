/**
 * The reminder push payload (docs/reminders.md §3) and the due occurrences of the in-app banner.
 * The service worker and the page read the same shape, so both parse it here; anything that
 * does not look like a reminder is ignored rather than trusted.
 */

export interface ReminderOccurrence {
  id: string;
  reminder_id: string;
  regimen_item_id: string | null;
  kind: string;
  title: string;
  due_at: string;
  local_time: string;
  /** The id of the dose "Taken" logs (uuid5 of the occurrence, made by the server). */
  dose_id: string | null;
}

export interface ReminderAction {
  action: string;
  title: string;
}

export interface ReminderPayload {
  type: "reminder";
  title: string;
  body: string;
  tag: string;
  occurrences: ReminderOccurrence[];
  actions: ReminderAction[];
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export function parseOccurrence(v: unknown): ReminderOccurrence | null {
  if (!isObj(v)) return null;
  const id = str(v.id);
  const reminderId = str(v.reminder_id);
  if (!id || !reminderId) return null;
  return {
    id,
    reminder_id: reminderId,
    regimen_item_id: str(v.regimen_item_id),
    kind: str(v.kind) ?? "custom",
    title: str(v.title) ?? "Reminder",
    due_at: str(v.due_at) ?? "",
    local_time: str(v.local_time) ?? "",
    dose_id: str(v.dose_id),
  };
}

export function parsePayload(v: unknown): ReminderPayload | null {
  if (!isObj(v) || v.type !== "reminder" || !Array.isArray(v.occurrences)) return null;
  const occurrences = v.occurrences.map(parseOccurrence).filter((o): o is ReminderOccurrence => o !== null);
  if (occurrences.length === 0) return null;
  const actions = (Array.isArray(v.actions) ? v.actions : [])
    .filter(isObj)
    .map((a) => ({ action: str(a.action) ?? "", title: str(a.title) ?? "" }))
    .filter((a) => a.action && a.title);
  return {
    type: "reminder",
    title: str(v.title) ?? occurrences.map((o) => o.title).join(", "),
    body: str(v.body) ?? "",
    tag: str(v.tag) ?? `fortify-reminder-${occurrences[0]?.id ?? ""}`,
    occurrences,
    actions,
  };
}

/** "Taken" for a dose, "Done" for anything else (the server's wording for the same action). */
export const takenLabel = (o: Pick<ReminderOccurrence, "dose_id" | "regimen_item_id">): string =>
  o.dose_id || o.regimen_item_id ? "Taken" : "Done";
