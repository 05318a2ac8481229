/**
 * Her own days' figure beside a 7-day one, while the window still holds days before her first.
 *
 * PROTOCOL.md §1 scores vitamin D and omega-3 on "sum over W7 / 7", and that stays: it is the
 * score, the same on the server. But on her first days the days before her records start count as
 * zero, so a woman who took exactly her 1000 IU reads "143 of 1000 IU/day (7-day average)" and
 * concludes she is short (newcomer walk). The screen adds, under such a line, the average over
 * her own days: no entry can fall before her first day (app/firstDay.ts takes the earliest
 * entry as the first day when it is earlier), so the week's sum is the sum of her days, and
 * her own average is the 7-day one × 7 / her days. Exercise lines are totals over the
 * last 7 days, not averages: nothing is diluted there, and they get no sentence. Today's
 * "What makes up your scores" (screens/today/Components.tsx), a day of History and Trends'
 * vitamin D chart show it.
 */
import { addDays, daysBetween } from "../scoring/timeline";
import { num } from "../scoring/wording";
import { fmtDayMonth } from "./zone";

/** The window (W7): `day` and the 6 days before it. */
export const WINDOW_DAYS = 7;

/** How many of the window's days are on or after `first`: 1..7; 7 when her first day is not known. */
export function ownDaysIn(day: string, first: string | null): number {
  if (first === null) return WINDOW_DAYS;
  const from = first > addDays(day, -(WINDOW_DAYS - 1)) ? first : addDays(day, -(WINDOW_DAYS - 1));
  if (from > day) return WINDOW_DAYS;
  return Math.min(WINDOW_DAYS, daysBetween(from, day) + 1);
}

/**
 * "Your records start today", "Your records start on 4 Dec" (n = her days in the window). Not
 * "You joined": her first day is her earliest entry, which is before sign-up when she logs past
 * days (a newcomer walk, M5).
 */
function recordsStart(n: number, first: string): string {
  return n === 1 ? "Your records start today" : `Your records start on ${fmtDayMonth(first)}`;
}

/** A component's fields the note reads (a DayReport's ComponentResult has them). */
export interface OwnDaysComponent {
  readonly key: string;
  readonly value: number | null;
  readonly unit: string;
  readonly excluded: boolean;
}

/**
 * The average of her own days for a "(7-day average)" amount: `average7` (the protocol's
 * figure) × 7 / her days; null once all 7 days are hers (or her first day is unknown).
 */
export function ownAverageNote(average7: number, unitWord: string, day: string, first: string | null, today: string = day): string | null {
  const n = ownDaysIn(day, first);
  if (first === null || n >= WINDOW_DAYS || !Number.isFinite(average7)) return null;
  const own = (average7 * WINDOW_DAYS) / n;
  const days = n === 1 ? "1 day" : `${n} days`;
  // A past day of her first week (History): told as of that day, not "Your records start today".
  return day === today
    ? `${recordsStart(n, first)}: ${num(own)} ${unitWord} a day over your ${days} so far. The 7-day average fills in over your first week.`
    : `Day ${n} of your records: ${num(own)} ${unitWord} a day over your ${days} up to this day. The 7-day average fills in over your first week.`;
}

/**
 * The note under one of Today's component lines, or null (also for a zero: 0 is 0 either way). `epaDha` is the report's omega-3
 * 7-day average, for the line that mixes it with today's servings (anti_inflammatory_foods,
 * whose own value is null).
 */
export function ownDaysNote(c: OwnDaysComponent, day: string, first: string | null, epaDha: number | null, today: string = day): string | null {
  // Nothing yet reads the same over her days as over 7: no sentence for it.
  if (c.excluded || c.value === 0) return null;
  if (/\(7-day average\)/.test(c.unit) && c.value !== null) {
    return ownAverageNote(c.value, c.unit.split(/[\s/]/)[0] ?? "", day, first, today);
  }
  if (c.key === "anti_inflammatory_foods" && epaDha !== null && epaDha > 0) {
    const note = ownAverageNote(epaDha, "mg", day, first, today);
    return note === null ? null : note.replace(": ", ": omega-3 from fish, ");
  }
  return null;
}
