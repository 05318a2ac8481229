/**
 * The person's first day, as the server works it out (days.service.first_day): the local day
 * her account was made (the profile's read-only `created_at`, pulled with it), or the day of
 * her first meal, dose, workout, check-in or weight when that is earlier (history typed in
 * after the fact counts from when it happened). Lab results do not count: they are often
 * typed in from letters years old. A day before it has no scores: an "Overall 3" for a day she
 * was not using the app would say something untrue.
 */
import { localDate } from "../scoring";
import type { LocalData } from "./day";

/** The kinds that say she was using the app that day, with their timestamp field. */
const DAILY: readonly (readonly [DailyKind, string])[] = [
  ["meals", "eaten_at"],
  ["doses", "taken_at"],
  ["workouts", "started_at"],
  ["symptoms", "measured_at"],
  ["measurements", "measured_at"],
];

type DailyKind = "meals" | "doses" | "workouts" | "symptoms" | "measurements";
export type FirstDayData = Pick<LocalData, "profile" | DailyKind>;

/**
 * The first day in `zone`, or null while the account's creation time is not known yet (before
 * the first pull): then no day is held back, rather than hiding days she did use.
 */
export function firstDay(data: FirstDayData, zone: string): string | null {
  const made = data.profile?.fields?.created_at;
  if (typeof made !== "string") return null;
  // The earliest instant, then its local day once: local days follow instants in order.
  let earliest = Date.parse(made);
  let text = made;
  for (const [kind, field] of DAILY) {
    for (const r of data[kind]) {
      const t = r.fields?.[field];
      if (typeof t !== "string") continue;
      const at = Date.parse(t);
      if (at < earliest) [earliest, text] = [at, t];
    }
  }
  if (Number.isNaN(earliest)) return null;
  return localDate(text, zone);
}

/** The same, worked out once per loaded data (Trends asks for 90 days of reports). */
const known = new WeakMap<object, { zone: string; day: string | null }>();
export function firstDayOf(data: FirstDayData, zone: string): string | null {
  const hit = known.get(data);
  if (hit && hit.zone === zone) return hit.day;
  const day = firstDay(data, zone);
  known.set(data, { zone, day });
  return day;
}

/** Whether `day` comes before her first day (and so has no scores). */
export function beforeFirstDay(data: FirstDayData, day: string, zone: string): boolean {
  const first = firstDayOf(data, zone);
  return first !== null && day < first;
}

/** Why a day has no scores, in words, for the screens' empty state. */
export function beforeFirstDayWords(first: string): string {
  return `You had not started using Fortify yet on this day, so it has no scores. Scores start on ${first}, when your records start.`;
}
