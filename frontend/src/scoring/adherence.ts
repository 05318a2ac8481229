/**
 * Medication adherence (PROTOCOL.md §4a): shown, never scored.
 *
 * Adherence over a period = days with at least one logged dose / days in the period, for the 7,
 * 30 and 90 local days ending on the scored day. Decision (not spelled out by the protocol): a
 * period is clipped to begin no earlier than the item's start (its `started_on`, else the local
 * date it was created), so a person who began two days ago and took both doses sees 2/2, not
 * 2/7. A period with no days left (the item starts after the scored day) has no adherence: null,
 * not 0.
 *
 * Only active items marked "prescribed daily" are tracked, whatever their kind: it is the daily
 * prescription, not the label "medicine", that makes a missed day meaningful.
 */

import {
  compareText,
  type Dated,
  daysBetween,
  parseInstant,
  parseIsoDate,
  windowStart,
  type Zone,
} from "./timeline";
import type { Adherence, Dose, IsoDate, RegimenItem } from "./types";

export const PERIODS = [7, 30, 90] as const;

/** The first local day an item existed: `started_on`, else the day it was created. */
export function itemStart(item: RegimenItem, zone: Zone): IsoDate {
  if (item.started_on != null) return parseIsoDate(item.started_on);
  return zone.date(parseInstant(item.created_at));
}

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

/** Share of days in the period (clipped to `start`) with a dose; null for an empty period. */
export function adherenceFraction(
  doseDays: ReadonlySet<IsoDate>,
  start: IsoDate,
  day: IsoDate,
  periodDays: number,
): number | null {
  const windowFirst = windowStart(day, periodDays);
  const first = windowFirst > start ? windowFirst : start;
  const daysInPeriod = daysBetween(first, day) + 1;
  if (daysInPeriod <= 0) return null;
  let taken = 0;
  for (const d of doseDays) if (first <= d && d <= day) taken += 1;
  return taken / daysInPeriod;
}

/** Adherence of every tracked item, by name (then id), whatever order the regimen came in. */
export function adherenceFor(
  regimen: readonly RegimenItem[],
  doses: readonly Dated<Dose>[],
  day: IsoDate,
  zone: Zone,
): Adherence[] {
  const results: Adherence[] = [];
  for (const item of [...regimen].sort(byNameThenId)) {
    if (!tracked(item)) continue;
    const doseDays = new Set(
      doses.filter((d) => d.entry.regimen_item_id === item.id).map((d) => d.day),
    );
    const start = itemStart(item, zone);
    const [d7, d30, d90] = PERIODS.map((n) => adherenceFraction(doseDays, start, day, n));
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
