import { describe, expect, it } from "vitest";
import { feedWhenWords, nextFeedName } from "./calendarFeeds";

describe("calendar links she can tell apart (newcomer walk F15)", () => {
  it("names a new link distinctly from the ones she has", () => {
    expect(nextFeedName([])).toBe("My calendar");
    expect(nextFeedName(["My calendar"])).toBe("My calendar 2");
    expect(nextFeedName(["My calendar", "My calendar 2"])).toBe("My calendar 3");
    // A revoked one's name is free again, and another name does not count.
    expect(nextFeedName(["My calendar", "My calendar 3", "Work"])).toBe("My calendar 2");
    expect(nextFeedName(["My calendar 2"])).toBe("My calendar");
  });
  it("says when each was made, to the minute, and when it was read", () => {
    const a = feedWhenWords({ created_at: "2026-12-04T21:05:00Z", last_used_at: null }, "UTC");
    const b = feedWhenWords({ created_at: "2026-12-04T21:09:00Z", last_used_at: "2026-12-05T06:00:00Z" }, "UTC");
    expect(a).toBe("made 4 Dec, 21:05 · not read yet");
    expect(b).toBe("made 4 Dec, 21:09 · last read 5 Dec, 06:00");
    expect(a).not.toBe(b);
  });
  it("says the seconds of links made in the same minute, and their place when even those match", () => {
    const a = { created_at: "2026-12-04T14:02:07Z", last_used_at: null };
    const b = { created_at: "2026-12-04T14:02:41.5Z", last_used_at: null };
    const c = { created_at: "2026-12-04T14:09:00Z", last_used_at: null };
    const all = [a, b, c];
    expect(feedWhenWords(a, "Europe/Paris", all)).toBe("made 4 Dec, 15:02:07 · not read yet");
    expect(feedWhenWords(b, "Europe/Paris", all)).toBe("made 4 Dec, 15:02:41 · not read yet");
    expect(feedWhenWords(c, "Europe/Paris", all)).toBe("made 4 Dec, 15:09 · not read yet");
    const twin = { created_at: "2026-12-04T14:02:07.900Z", last_used_at: null };
    expect(feedWhenWords(a, "UTC", [a, twin])).toBe("made 4 Dec, 14:02:07 (link 1 of 2) · not read yet");
    expect(feedWhenWords(twin, "UTC", [a, twin])).toBe("made 4 Dec, 14:02:07 (link 2 of 2) · not read yet");
  });
});
