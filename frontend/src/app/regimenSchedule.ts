/**
 * Which days a medicine is taken on, and its strength when only the name can carry it.
 *
 * A regimen item has times and days (`schedule_days`, null = every day); its implicit dose
 * reminder fires on them. The PWA writes the days on the item and on its dose reminder's
 * `days_of_week` (docs/reminders.md: a dose reminder with `times: null` follows the item's
 * times, and a reminder written under the item's implicit id replaces the default), so a
 * reminder edited elsewhere and an item made through the API both say the same days. An item
 * taken on Monday and Thursday is the item plus that reminder, written together (the outbox
 * sends the item first), and Today reads them to list the dose only on those days.
 */
import type { EntityFields } from "../api/entities";
import type { StoredRecord } from "../storage/store";

/** Monday first, as the server's `days_of_week` counts them (0 = Monday … 6 = Sunday). */
export const WEEKDAYS: readonly (readonly [short: string, long: string])[] = [
  ["Mon", "Monday"],
  ["Tue", "Tuesday"],
  ["Wed", "Wednesday"],
  ["Thu", "Thursday"],
  ["Fri", "Friday"],
  ["Sat", "Saturday"],
  ["Sun", "Sunday"],
];

/** The namespace of the implicit dose reminders' ids (backend reminders/effective.py). */
export const IMPLICIT_NAMESPACE = "6f2b1a8e-2d3c-4f0a-9a51-7c1e0b6d4e21";

/** RFC 4122 version-5 UUID (SHA-1 of namespace + name), as Python's `uuid.uuid5`. */
export async function uuid5(namespace: string, name: string): Promise<string> {
  const ns = namespace.replace(/-/g, "");
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(16 + nameBytes.length);
  for (let i = 0; i < 16; i++) input[i] = parseInt(ns.slice(2 * i, 2 * i + 2), 16);
  input.set(nameBytes, 16);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-1", input)).slice(0, 16);
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id the server gives a regimen item's implicit dose reminder. */
export function implicitReminderId(itemId: string): Promise<string> {
  return uuid5(IMPLICIT_NAMESPACE, itemId);
}

/** 0 = Monday … 6 = Sunday, of a local day "YYYY-MM-DD" (noon UTC: no zone can move the date). */
export function weekdayOf(day: string): number {
  return (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7;
}

/** The dose reminders that name an item. */
export function remindersOf(itemId: string, reminders: readonly StoredRecord[]): StoredRecord[] {
  return reminders.filter((r) => r.fields?.kind === "dose" && r.fields.regimen_item_id === itemId);
}

/** An item's own `schedule_days` (what its implicit reminder fires on), or null for every day. */
export function ownDays(value: unknown): number[] | null {
  if (!Array.isArray(value)) return null;
  const days = [...new Set(value.filter((d): d is number => Number.isInteger(d) && d >= 0 && d <= 6))].sort((a, b) => a - b);
  return days.length === 0 || days.length >= 7 ? null : days;
}

/**
 * The days an item is taken on, sorted; null = every day. A stored dose reminder naming the item
 * says (one that fires every day makes the item due every day); with none, the item's own
 * `schedule_days` (`own`), which its implicit reminder follows on the server too.
 */
export function itemDays(itemId: string, reminders: readonly StoredRecord[], own: unknown = null): number[] | null {
  const named = remindersOf(itemId, reminders);
  if (named.length === 0) return ownDays(own);
  const days = new Set<number>();
  for (const r of named) {
    const d = r.fields?.days_of_week;
    if (!Array.isArray(d) || d.length === 0) return null;
    for (const x of d) if (typeof x === "number") days.add(x);
  }
  return days.size >= 7 ? null : [...days].sort((a, b) => a - b);
}

/** Whether an item's doses are due on a local day. */
export function dueOn(itemId: string, reminders: readonly StoredRecord[], day: string, own: unknown = null): boolean {
  const days = itemDays(itemId, reminders, own);
  return days === null || days.includes(weekdayOf(day));
}

/** "Mon, Thu"; "every day" for null or all seven. */
export function daysWords(days: readonly number[] | null): string {
  if (days === null || days.length >= 7) return "every day";
  return [...days].sort((a, b) => a - b).map((d) => WEEKDAYS[d]?.[0] ?? "?").join(", ");
}

/**
 * The reminder writes that make an item's reminders fire on `days` (null = every day), with the
 * item's name as their title: every stored dose reminder naming it is edited (its own switch,
 * snooze and note kept); when none does and the item is not every day, one is made under the
 * implicit id, so the every-day default never fires for it. An item taken every day with no
 * stored reminder keeps its implicit one: nothing to write.
 */
export async function reminderWrites(
  itemId: string,
  title: string,
  hasTimes: boolean,
  days: readonly number[] | null,
  reminders: readonly StoredRecord[],
): Promise<{ id: string; fields: Partial<EntityFields["reminders"]> }[]> {
  const daysOfWeek = days === null || days.length >= 7 ? null : [...new Set(days)].sort((a, b) => a - b);
  const named = remindersOf(itemId, reminders);
  if (named.length > 0) return named.map((r) => ({ id: r.id, fields: { title, days_of_week: daysOfWeek } }));
  if (daysOfWeek === null || !hasTimes) return [];
  return [
    {
      id: await implicitReminderId(itemId),
      // No `enabled` (nor snooze, skip, note): the server's defaults make a new one, and should
      // a reminder already be stored under this id that the phone has not pulled yet (switched
      // off in Settings a moment ago), the merge leaves those as they are there.
      fields: { kind: "dose", title, regimen_item_id: itemId, times: null, days_of_week: daysOfWeek },
    },
  ];
}

// --- strength in the name (anastrozole: 0.25, 0.5 or 1 mg) -------------------------------------

const STRENGTH = /\s*\b(\d+(?:[.,]\d+)?)\s*mg\b/i;

/** A name split into its words and the milligrams it carries ("Anastrozole 0.5 mg" → 0.5). */
export function splitStrength(name: string): { base: string; mg: number | null } {
  const m = STRENGTH.exec(name);
  if (!m?.[1]) return { base: name.trim(), mg: null };
  return { base: name.replace(m[0], " ").replace(/\s+/g, " ").trim(), mg: Number(m[1].replace(",", ".")) };
}

/** The saved name: her words (or the form's) and the strength, once ("Anastrozole 0.5 mg"). */
export function nameWithStrength(typed: string, fallback: string, mg: number): string {
  const base = splitStrength(typed).base || fallback;
  return `${base} ${mg} mg`;
}
