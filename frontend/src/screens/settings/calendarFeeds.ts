/**
 * Her calendar links, told apart: "Make a new calendar link" used to add a second "My calendar"
 * row that read exactly like the first ("made 4 Dec 2026, not read yet"), so she could not tell
 * which one her calendar used, nor which to revoke. A new link gets the first free name ("My
 * calendar 2"), and each row says when it was made, to the minute, and when it was last read.
 */
import { fmtDayTime } from "../../app/zone";

export const FEED_BASE_NAME = "My calendar";

/** "My calendar" for her first link, then "My calendar 2", "My calendar 3"… (the first name not in use). */
export function nextFeedName(existing: readonly string[]): string {
  const taken = new Set(existing.map((n) => n.trim()));
  if (!taken.has(FEED_BASE_NAME)) return FEED_BASE_NAME;
  for (let n = 2; ; n += 1) if (!taken.has(`${FEED_BASE_NAME} ${n}`)) return `${FEED_BASE_NAME} ${n}`;
}

/** "made 4 Dec, 21:05 · last read 5 Dec, 06:00" (or "· not read yet"), in her zone. */
export function feedWhenWords(feed: { created_at: string; last_used_at: string | null }, zone?: string): string {
  const made = `made ${fmtDayTime(feed.created_at, zone)}`;
  return feed.last_used_at ? `${made} · last read ${fmtDayTime(feed.last_used_at, zone)}` : `${made} · not read yet`;
}
