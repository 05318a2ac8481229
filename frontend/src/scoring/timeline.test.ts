import { describe, expect, it } from "vitest";
import {
  addDays,
  compareText,
  daysBetween,
  localDate,
  parseInstant,
  windowStart,
  zoneOf,
} from "./timeline";

describe("local day in Europe/London across DST", () => {
  it("puts 00:30 BST on the spring-forward day on that day, though it is 23:30 UTC the day before", () => {
    expect(localDate("2026-03-28T23:30:00+00:00", "Europe/London")).toBe("2026-03-28");
    expect(localDate("2026-03-29T00:30:00+00:00", "Europe/London")).toBe("2026-03-29");
    expect(localDate("2026-03-29T23:30:00+00:00", "Europe/London")).toBe("2026-03-30");
  });

  it("reads the zone's offset, not the stored one", () => {
    // 01:00 in New York on 1 July is 06:00 in London: still 1 July there.
    expect(localDate("2026-07-01T01:00:00-04:00", "Europe/London")).toBe("2026-07-01");
    // 22:30 in New York is 03:30 the next day in London.
    expect(localDate("2026-07-01T22:30:00-04:00", "Europe/London")).toBe("2026-07-02");
  });
});

describe("local day in America/New_York across DST", () => {
  it("keeps both hours of the 25-hour fall-back day on that day", () => {
    expect(localDate("2026-11-01T00:30:00-04:00", "America/New_York")).toBe("2026-11-01");
    expect(localDate("2026-11-01T01:30:00-04:00", "America/New_York")).toBe("2026-11-01");
    expect(localDate("2026-11-01T01:30:00-05:00", "America/New_York")).toBe("2026-11-01");
    expect(localDate("2026-11-01T23:45:00-05:00", "America/New_York")).toBe("2026-11-01");
    expect(localDate("2026-11-02T00:05:00-05:00", "America/New_York")).toBe("2026-11-02");
  });

  it("gives the 23-hour spring-forward day its own date", () => {
    expect(localDate("2026-03-08T06:59:00+00:00", "America/New_York")).toBe("2026-03-08");
    expect(localDate("2026-03-08T04:59:00+00:00", "America/New_York")).toBe("2026-03-07");
    expect(zoneOf("America/New_York").time(parseInstant("2026-03-08T07:00:00Z"))).toBe("03:00");
  });
});

describe("parseInstant", () => {
  it("reads offsets, Z and fractions of a second", () => {
    expect(parseInstant("2026-03-10T08:00:00+01:00")).toBe(Date.UTC(2026, 2, 10, 7));
    expect(parseInstant("2026-03-10T08:00:00Z")).toBe(Date.UTC(2026, 2, 10, 8));
    expect(parseInstant("2026-03-10T08:00:00.250-05:30")).toBe(
      Date.UTC(2026, 2, 10, 13, 30, 0, 250),
    );
  });

  it("refuses a timestamp without an offset, which would otherwise be read in the device's zone", () => {
    expect(() => parseInstant("2026-03-10T08:00:00")).toThrow(RangeError);
    expect(() => parseInstant("2026-02-30T08:00:00Z")).toThrow(RangeError);
  });

  it("refuses an unknown zone", () => {
    expect(() => zoneOf("Mars/Olympus_Mons")).toThrow(/unknown time zone/);
  });
});

describe("calendar arithmetic", () => {
  it("counts days, not hours, across DST and leap days", () => {
    expect(windowStart("2026-11-01", 7)).toBe("2026-10-26");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(daysBetween("2026-03-01", "2026-03-31")).toBe(30);
  });

  it("compares text by code point, as Python does", () => {
    expect(compareText("Zinc", "apple")).toBeLessThan(0);
    expect(compareText("\u{1F600}", "\uFFFF")).toBeGreaterThan(0); // UTF-16 order says otherwise
  });
});
