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

type FeedTimes = { created_at: string; last_used_at: string | null };

/**
 * "made 4 Dec, 21:05 · last read 5 Dec, 06:00" (or "· not read yet"), in her zone. With `all`
 * (her links as listed), a link made in the same minute as another says its seconds ("made 4
 * Dec, 14:02:07"): two links made a moment apart read the same "made 14:02" (a newcomer walk),
 * and the name alone does not tell them apart when two phones each named theirs "My calendar".
 * Two made in the same second too are told by their place in the list ("link 2 of 2").
 */
export function feedWhenWords(feed: FeedTimes, zone?: string, all: readonly FeedTimes[] = []): string {
  const minute = (f: FeedTimes) => fmtDayTime(f.created_at, zone);
  const second = (f: FeedTimes) => Math.floor(Date.parse(f.created_at) / 1000);
  const sameMinute = all.filter((f) => minute(f) === minute(feed));
  let made = `made ${minute(feed)}`;
  if (sameMinute.length > 1) {
    made += `:${String(new Date(Date.parse(feed.created_at)).getUTCSeconds()).padStart(2, "0")}`;
    const sameSecond = sameMinute.filter((f) => second(f) === second(feed));
    if (sameSecond.length > 1) made += ` (link ${sameSecond.indexOf(feed) + 1} of ${sameSecond.length})`;
  }
  return feed.last_used_at ? `${made} · last read ${fmtDayTime(feed.last_used_at, zone)}` : `${made} · not read yet`;
}
