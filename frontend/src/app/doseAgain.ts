/**
 * A dose more than the schedule has for the day, asked about before it is saved (the newcomer
 * walk: unsure whether she had taken it, she logged a second anastrozole at 20:10 and nothing
 * was said; for a once-daily cancer medicine that invites a double dose). When every one of the
 * item's scheduled doses is already logged on the new dose's day, the form asks "You already
 * logged Anastrozole 1 mg today at 08:00. Log another dose?" with "Log another" and "Cancel".
 * An item with no schedule (taken as needed) is never asked about.
 */
import type { AmountCheck } from "./limits";
import { dayOf } from "./day";
import { fmtDayMonth, wallTime } from "./zone";

/** A logged dose's fields the check reads. */
export interface LoggedDose {
  readonly deleted?: boolean | undefined;
  readonly fields?: Record<string, unknown> | null | undefined;
}

/** "08:00", "08:00 and 20:10", "07:00, 13:00 and 20:00". */
function listed(times: readonly string[]): string {
  return times.length < 2 ? times.join("") : `${times.slice(0, -1).join(", ")} and ${times[times.length - 1] ?? ""}`;
}

/**
 * "ask" when the doses of `itemId` already logged on the day of `at` (in `zone`) are as many as
 * its `scheduleTimes`, else "ok". `today`: her day now, for "today" rather than a date.
 */
export function doseAgainCheck(
  itemId: string,
  name: string,
  scheduleTimes: readonly string[],
  doses: readonly LoggedDose[],
  at: string,
  zone: string,
  today: string,
): AmountCheck {
  const day = dayOf(at, zone);
  if (scheduleTimes.length === 0 || day === null) return { kind: "ok" };
  const times = doses
    .filter((d) => !d.deleted && d.fields?.regimen_item_id === itemId && dayOf(d.fields.taken_at, zone) === day)
    .map((d) => wallTime(d.fields?.taken_at as string, zone).slice(11, 16))
    .sort();
  if (times.length < scheduleTimes.length) return { kind: "ok" };
  const when = day === today ? "today" : `on ${fmtDayMonth(day)}`;
  return { kind: "ask", message: `You already logged ${name} ${when} at ${listed(times)}. Log another dose?`, field: "f-item", yes: "Log another", no: "Cancel" };
}
