/**
 * Medication adherence (PROTOCOL.md §4a): shown, never scored.
 *
 * Adherence over a period = days with at least one logged dose / days in the period, for 7, 30
 * and 90 local days. v1.1: the n-day period shown on day d is d-n+1 … d once a dose is logged
 * on d, and d-n … d-1 while none is, so a person who takes their tablet in the evening is not
 * shown "6 of 7" every morning. A period is clipped to begin no earlier than the item's start
 * (§1: `started_on`, else the earlier of its creation day and its earliest dose's day; see
 * facts.itemStart). A period with no days left has no adherence: null, not 0.
 *
 * Only active items marked "prescribed daily" are tracked, medicines and supplements alike: it
 * is the daily prescription, not the label "medicine", that makes a missed day meaningful.
 */

import { addDays, compareText, type Dated, daysBetween, windowStart } from "./timeline";
import type { Adherence, Dose, IsoDate, RegimenItem } from "./types";

export const PERIODS = [7, 30, 90] as const;

export function tracked(item: RegimenItem): boolean {
  return item.prescribed_daily === true && (item.active ?? true);
}

/**
 * Python's `str.casefold()` for sorting by name, approximated: upper- then lower-casing also
 * folds "ß" to "ss" and final sigma, which covers the names people type.
 */
export function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase();
}

/** Orders regimen items by folded name, then id (Python's `(name.casefold(), id)` key). */
export function byNameThenId(x: RegimenItem, y: RegimenItem): number {
  return compareText(foldCase(x.name), foldCase(y.name)) || compareText(x.id, y.id);
}

/**
 * [days with a dose, days] of the period of `periodDays` ending on `day`, clipped to `start`;
 * [0, 0] for an empty period (Python's `adherence_days`, which the care-team report counts by).
 */
export function adherenceDays(
  doseDays: ReadonlySet<IsoDate>,
  start: IsoDate,
  day: IsoDate,
  periodDays: number,
): [number, number] {
  const windowFirst = windowStart(day, periodDays);
  const first = windowFirst > start ? windowFirst : start;
  const daysInPeriod = daysBetween(first, day) + 1;
  if (daysInPeriod <= 0) return [0, 0];
  let taken = 0;
  for (const d of doseDays) if (first <= d && d <= day) taken += 1;
  return [taken, daysInPeriod];
}

/**
 * Share of days in the period ending on `day` (clipped to `start`) with a dose; null for an
 * empty period.
 */
export function adherenceFraction(
  doseDays: ReadonlySet<IsoDate>,
  start: IsoDate,
  day: IsoDate,
  periodDays: number,
): number | null {
  const [taken, days] = adherenceDays(doseDays, start, day, periodDays);
  return days > 0 ? taken / days : null;
}

/** The last day of the periods shown on `day`: `day` once it has a dose, else the day before. */
export function periodEnd(doseDays: ReadonlySet<IsoDate>, day: IsoDate): IsoDate {
  return doseDays.has(day) ? day : addDays(day, -1);
}

/** Adherence of every tracked item, by name (then id), whatever order the regimen came in. */
export function adherenceFor(
  regimen: readonly RegimenItem[],
  doses: readonly Dated<Dose>[],
  day: IsoDate,
  starts: ReadonlyMap<string, IsoDate>,
): Adherence[] {
  const results: Adherence[] = [];
  for (const item of [...regimen].sort(byNameThenId)) {
    if (!tracked(item)) continue;
    const doseDays = new Set(
      doses.filter((d) => d.entry.regimen_item_id === item.id).map((d) => d.day),
    );
    const start = starts.get(item.id) ?? day;
    const last = periodEnd(doseDays, day);
    const [d7, d30, d90] = PERIODS.map((n) => adherenceFraction(doseDays, start, last, n));
    results.push({
      regimen_item_id: item.id,
      name: item.name,
      days_7: d7 ?? null,
      days_30: d30 ?? null,
      days_90: d90 ?? null,
    });
  }
  return results;
}
