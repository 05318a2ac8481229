/**
 * The scoring wording says "today" (it is written for Today's screen); a past day's report in
 * History says "on this day" instead, so 2 December does not read "Calcium 0 of 1200 mg today".
 * A display step only: the wording table (shared with the server) is unchanged.
 */
export function onThisDay(text: string): string {
  return text
    .replace(/\btoday's\b/g, "this day's")
    .replace(/\bToday's\b/g, "This day's")
    .replace(/\btoday\b/g, "on this day")
    .replace(/\bToday\b/g, "On this day");
}
