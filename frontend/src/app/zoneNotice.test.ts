import { describe, expect, it } from "vitest";
import { keepKey, zoneNotice, zoneTimeWords } from "./zoneNotice";

const never = () => false;
const JULY = new Date("2026-07-01T12:00:00Z");
const DECEMBER = new Date("2026-12-04T12:00:00Z");

describe("zoneNotice (F18)", () => {
  it("says both zones in city names, with Switch and Keep", () => {
    const n = zoneNotice("Europe/London", "America/Chicago", never, DECEMBER);
    expect(n?.words).toBe("Your phone is on Chicago time; Fortify uses London time. Switch to Chicago time?");
    expect(n?.switchLabel).toBe("Switch to Chicago time");
    expect(n?.keepLabel).toBe("Keep London time");
    expect(n?.phoneZone).toBe("America/Chicago");
  });

  it("names UTC as UTC and cities with spaces", () => {
    expect(zoneTimeWords("UTC")).toBe("UTC");
    expect(zoneTimeWords("Etc/UTC")).toBe("UTC");
    expect(zoneTimeWords("America/New_York")).toBe("New York time");
    expect(zoneNotice("UTC", "America/New_York", never, DECEMBER)?.words).toBe("Your phone is on New York time; Fortify uses UTC. Switch to New York time?");
  });

  it("says nothing when the zones agree, by name or by the clock now", () => {
    expect(zoneNotice("Europe/London", "Europe/London", never, JULY)).toBeNull();
    expect(zoneNotice("UTC", "Etc/UTC", never, JULY)).toBeNull();
    // London is on UTC in winter: no hour is off, so nothing to say; in summer it is an hour.
    expect(zoneNotice("Europe/London", "UTC", never, DECEMBER)).toBeNull();
    expect(zoneNotice("Europe/London", "UTC", never, JULY)?.words).toBe("Your phone is on UTC; Fortify uses London time. Switch to UTC?");
    expect(zoneNotice(null, "America/Chicago", never, JULY)).toBeNull();
  });

  it("Keep is remembered for that pair of zones only", () => {
    const kept = new Set([keepKey("Europe/London", "America/Chicago")]);
    const has = (k: string) => kept.has(k);
    expect(zoneNotice("Europe/London", "America/Chicago", has, DECEMBER)).toBeNull();
    // Another trip asks again, and so does the way back.
    expect(zoneNotice("Europe/London", "Asia/Tokyo", has, DECEMBER)).not.toBeNull();
    expect(zoneNotice("America/Chicago", "Europe/London", has, DECEMBER)).not.toBeNull();
    expect(zoneNotice("Europe/London", "America/Chicago", never, DECEMBER)?.key).toBe(keepKey("Europe/London", "America/Chicago"));
  });
});
