import { describe, expect, it } from "vitest";
import { ownDaysIn, ownDaysNote } from "./ownDays";

const vitD = (value: number) => ({ key: "vitamin_d", value, unit: "IU/day (7-day average)", excluded: false });

describe("ownDaysIn", () => {
  it("counts the window's days on or after her first day", () => {
    expect(ownDaysIn("2026-12-05", "2026-12-05")).toBe(1);
    expect(ownDaysIn("2026-12-06", "2026-12-05")).toBe(2);
    expect(ownDaysIn("2026-12-11", "2026-12-05")).toBe(7);
    expect(ownDaysIn("2027-01-11", "2026-12-05")).toBe(7);
    // Across a month's end.
    expect(ownDaysIn("2026-12-02", "2026-11-29")).toBe(4);
  });
  it("holds nothing back while her first day is not known", () => {
    expect(ownDaysIn("2026-12-05", null)).toBe(7);
  });
});

describe("ownDaysNote", () => {
  it("day one: the 7-day average of 1075 / 7 is 1075 a day over her one day", () => {
    // The engine's figure: sum over W7 / 7 (PROTOCOL.md §1), unchanged.
    const note = ownDaysNote(vitD(1075 / 7), "2026-12-05", "2026-12-05", null);
    expect(note).toBe("Your records start today: 1075 IU a day over your 1 day so far. The 7-day average fills in over your first week.");
  });
  it("day two: two full doses read as 1000 a day", () => {
    expect(ownDaysNote(vitD(2000 / 7), "2026-12-06", "2026-12-05", null)).toBe(
      "Your records start on 5 Dec: 1000 IU a day over your 2 days so far. The 7-day average fills in over your first week.",
    );
  });
  it("day four names the day her records start", () => {
    expect(ownDaysNote(vitD(4000 / 7), "2026-12-08", "2026-12-05", null)).toMatch(/^Your records start on 5 Dec: 1000 IU a day over your 4 days so far\./);
  });
  it("a past day of her first week (History) is told as of that day, not as today", () => {
    expect(ownDaysNote(vitD(1000 / 7), "2026-12-05", "2026-12-05", null, "2026-12-07")).toBe(
      "Day 1 of your records: 1000 IU a day over your 1 day up to this day. The 7-day average fills in over your first week.",
    );
    expect(ownDaysNote(vitD(3000 / 7), "2026-12-07", "2026-12-05", null, "2026-12-09")).toMatch(/^Day 3 of your records: 1000 IU a day over your 3 days up to this day\./);
    // The day itself is today: the same words as Today's.
    expect(ownDaysNote(vitD(2000 / 7), "2026-12-06", "2026-12-05", null, "2026-12-06")).toMatch(/^Your records start on 5 Dec: 1000 IU/);
  });
  it("says nothing once the window is all hers, or before her first day is known", () => {
    expect(ownDaysNote(vitD(1000), "2026-12-11", "2026-12-05", null)).toBeNull();
    expect(ownDaysNote(vitD(143), "2026-12-05", null, null)).toBeNull();
  });
  it("omega-3: its own line in mg, and the mixed anti-inflammatory line from the omega-3 average", () => {
    const epa = { key: "epa_dha", value: 1500 / 7, unit: "mg/day (7-day average)", excluded: false };
    expect(ownDaysNote(epa, "2026-12-05", "2026-12-05", null)).toMatch(/^Your records start today: 1500 mg a day over your 1 day so far\./);
    const mixed = { key: "anti_inflammatory_foods", value: null, unit: "", excluded: false };
    expect(ownDaysNote(mixed, "2026-12-06", "2026-12-05", 1500 / 7)).toMatch(/^Your records start on 5 Dec: omega-3 from fish, 750 mg a day over your 2 days so far\./);
  });
  it("weekly minutes are a total, not an average: no sentence", () => {
    expect(ownDaysNote({ key: "weight_bearing", value: 30, unit: "min", excluded: false }, "2026-12-05", "2026-12-05", null)).toBeNull();
  });
  it("says nothing for a zero (0 a day reads the same over her days)", () => {
    expect(ownDaysNote(vitD(0), "2026-12-05", "2026-12-05", null)).toBeNull();
    expect(ownDaysNote({ key: "anti_inflammatory_foods", value: null, unit: "", excluded: false }, "2026-12-05", "2026-12-05", 0)).toBeNull();
  });
  it("leaves other and excluded lines alone", () => {
    expect(ownDaysNote({ key: "calcium_total", value: 600, unit: "mg", excluded: false }, "2026-12-05", "2026-12-05", null)).toBeNull();
    expect(ownDaysNote({ ...vitD(100), excluded: true }, "2026-12-05", "2026-12-05", null)).toBeNull();
  });
});
