/**
 * The server's rules for the time of an entry (backend core/schema.py: EARLIEST, FUTURE_SLACK),
 * kept in this one place. A form checks them before saving, so a typo in the year ("2027") is
 * caught next to the field instead of being refused by sync later, where the only way out
 * used to be deleting the new entry.
 */
export const EARLIEST_INSTANT_MS = Date.UTC(1970, 0, 1);
/** Clocks run ahead and time zones reach UTC+14; anything further ahead is a typo. */
export const FUTURE_SLACK_DAYS = 2;
const FUTURE_SLACK_MS = FUTURE_SLACK_DAYS * 24 * 60 * 60 * 1000;

/** Why `instant` cannot be saved as an entry's time, in words; null when it can. */
export function whenProblem(instant: string, nowMs: number = Date.now()): string | null {
  const t = Date.parse(instant);
  if (Number.isNaN(t)) return "Enter a date and time.";
  if (t < EARLIEST_INSTANT_MS) return "This is before 1970. Check the year.";
  if (t > nowMs + FUTURE_SLACK_MS) return `This is more than ${FUTURE_SLACK_DAYS} days from now. Check the date and year.`;
  return null;
}

/** How far ahead of now a time may be before it is asked about (a clock a little fast). */
export const AHEAD_ASK_MS = 10 * 60 * 1000;

/**
 * A time later than now that the server would take (within FUTURE_SLACK_DAYS) is asked about:
 * an AM/PM slip on a date-time wheel ("11:30 PM" for 11:30 AM) saved a swim that had not
 * happened, and it counted today (an outside walk). `shown` is the time in her words.
 */
export function aheadQuestion(instant: string, shown: string, nowMs: number = Date.now()): string | null {
  const t = Date.parse(instant);
  if (Number.isNaN(t) || t <= nowMs + AHEAD_ASK_MS) return null;
  return `${shown} is later than now. It counts once it has happened: save it for then?`;
}
