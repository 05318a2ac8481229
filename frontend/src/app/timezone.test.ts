import { describe, expect, it } from "vitest";
import { searchZones, zoneMismatch, zoneOptions, zoneWords } from "./timezone";

describe("time-zone picker", () => {
  const options = zoneOptions();
  it("finds a zone by the city she types, in any case, with spaces", () => {
    expect(searchZones(options, "new york")[0]?.zone).toBe("America/New_York");
    expect(searchZones(options, "London")[0]?.zone).toBe("Europe/London");
  });
  it("finds large cities that have no zone of their own name", () => {
    expect(searchZones(options, "Boston")[0]?.zone).toBe("America/New_York");
    expect(searchZones(options, "manchester")[0]?.zone).toBe("Europe/London");
  });
  it("offers only zones the browser knows (never the text typed)", () => {
    const known = new Set([...options.map((o) => o.zone)]);
    for (const q of ["a", "san", "x"]) for (const o of searchZones(options, q)) expect(known.has(o.zone)).toBe(true);
    expect(searchZones(options, "")).toEqual([]);
  });
  it("says a zone in words, with no underscores", () => {
    expect(zoneWords("America/New_York")).toMatch(/^New York \(America, GMT-[45]\)$/);
  });
});

describe("a profile zone that differs from the phone's", () => {
  it("is said in words, the phone's first, and not when they agree", () => {
    expect(zoneMismatch("UTC", "America/New_York")).toMatch(/^Your phone is in New York \(America, GMT-[45]\); your profile says UTC/);
    expect(zoneMismatch("Europe/London", "Europe/London")).toBeNull();
  });
});
