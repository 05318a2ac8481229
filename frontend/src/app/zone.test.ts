import { afterEach, describe, expect, it } from "vitest";
import { currentZone, deviceZone, fmtDate, fmtDayMonth, fmtDayTime, fmtTime, forgetProfileZone, hourIn, instantFromWall, offsetMinutes, setProfileZone, wallTime } from "./zone";

afterEach(() => forgetProfileZone());

describe("times in the person's zone, not the device's", () => {
  it("shows an instant's clock time in the profile's zone", () => {
    // 13:00 UTC is 08:00 in New York (winter) and 14:00 in Paris, whatever the device says.
    expect(fmtTime("2026-12-03T13:00:00Z", "America/New_York")).toBe("08:00");
    expect(fmtTime("2026-12-03T13:00:00Z", "Europe/Paris")).toBe("14:00");
    expect(fmtTime("2026-12-03T14:00:00+01:00", "America/New_York")).toBe("08:00");
  });

  it("shows nothing for a missing or broken time", () => {
    expect(fmtTime(undefined, "UTC")).toBe("");
    expect(fmtTime("not a time", "UTC")).toBe("");
  });

  it("uses the remembered profile zone once one is known, the device's before", () => {
    expect(currentZone()).toBe(deviceZone());
    setProfileZone("Asia/Tokyo");
    expect(currentZone()).toBe("Asia/Tokyo");
    expect(fmtTime("2026-12-03T00:30:00Z")).toBe("09:30");
    setProfileZone("Not/AZone");
    expect(currentZone()).toBe("Asia/Tokyo");
  });

  it("reads a zone's offset, daylight saving included", () => {
    expect(offsetMinutes(Date.parse("2026-12-03T12:00:00Z"), "America/New_York")).toBe(-300);
    expect(offsetMinutes(Date.parse("2026-07-03T12:00:00Z"), "America/New_York")).toBe(-240);
    expect(offsetMinutes(Date.parse("2026-07-03T12:00:00Z"), "Asia/Kolkata")).toBe(330);
  });

  it("round-trips a 'when' field's wall clock through an instant in the profile's zone", () => {
    expect(wallTime("2026-12-03T13:00:00Z", "America/New_York")).toBe("2026-12-03T08:00");
    expect(instantFromWall("2026-12-03T08:00", "America/New_York")).toBe("2026-12-03T08:00:00-05:00");
    expect(Date.parse(instantFromWall("2026-07-01T23:30", "Asia/Kolkata"))).toBe(Date.parse("2026-07-01T18:00:00Z"));
    for (const zone of ["Europe/London", "Australia/Adelaide", "America/Los_Angeles", "UTC"]) {
      for (const wall of ["2026-01-15T07:45", "2026-06-15T22:10", "2026-10-25T01:30"]) {
        expect(wallTime(instantFromWall(wall, zone), zone)).toBe(wall);
      }
    }
  });

  it("moves a clock time that does not exist (spring forward) past the gap", () => {
    // 02:30 on 8 March 2026 never happened in New York: it is read as 03:30 EDT.
    expect(wallTime(instantFromWall("2026-03-08T02:30", "America/New_York"), "America/New_York")).toBe("2026-03-08T03:30");
  });

  it("tells the hour in the zone", () => {
    expect(hourIn("America/New_York", Date.parse("2026-12-03T13:00:00Z"))).toBe(8);
  });

  it("writes dates as '3 Dec'", () => {
    expect(fmtDayMonth("2026-12-03")).toBe("3 Dec");
    expect(fmtDayMonth("2026-01-31")).toBe("31 Jan");
    expect(fmtDayTime("2026-12-03T13:05:00Z", "Europe/London")).toBe("3 Dec, 13:05");
    expect(fmtDate("2026-12-03T02:00:00Z", "America/New_York")).toBe("2 Dec 2026");
  });
});
