import { describe, expect, it } from "vitest";
import { aheadQuestion, FUTURE_SLACK_DAYS, whenProblem } from "./when";

const NOW = Date.parse("2026-12-03T10:00:00Z");
const DAY_MS = 24 * 60 * 60 * 1000;

describe("whenProblem (the server's rules for an entry's time)", () => {
  it("accepts now, the past since 1970, and up to the slack ahead", () => {
    expect(whenProblem("2026-12-03T10:00:00Z", NOW)).toBeNull();
    expect(whenProblem("1970-01-01T00:00:00Z", NOW)).toBeNull();
    expect(whenProblem(new Date(NOW + FUTURE_SLACK_DAYS * DAY_MS).toISOString(), NOW)).toBeNull();
  });

  it("refuses a far-future date (the 1 Jun 2027 typo) in words", () => {
    expect(whenProblem("2027-06-01T12:00:00+01:00", NOW)).toMatch(/more than 2 days from now/);
    expect(whenProblem(new Date(NOW + FUTURE_SLACK_DAYS * DAY_MS + 60_000).toISOString(), NOW)).not.toBeNull();
  });

  it("refuses a time before 1970 and text that is no time", () => {
    expect(whenProblem("1969-12-31T23:59:59Z", NOW)).toMatch(/before 1970/);
    expect(whenProblem("not a time", NOW)).not.toBeNull();
  });
});

describe("aheadQuestion (a time later than now is asked about)", () => {
  it("asks about a time more than ten minutes ahead, naming it", () => {
    expect(aheadQuestion("2026-12-03T22:00:00Z", "Today 16:00", NOW)).toBe("Today 16:00 is later than now. It counts once it has happened: save it for then?");
  });

  it("does not ask about now, the past, or a clock a few minutes fast", () => {
    expect(aheadQuestion("2026-12-03T10:00:00Z", "x", NOW)).toBeNull();
    expect(aheadQuestion("2026-12-02T10:00:00Z", "x", NOW)).toBeNull();
    expect(aheadQuestion("2026-12-03T10:09:00Z", "x", NOW)).toBeNull();
  });
});
