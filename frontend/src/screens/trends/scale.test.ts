import { describe, expect, it } from "vitest";
import { markerPath } from "./Chart";
import { autoRange, dateTicks, niceStep, tickText, valueTicks } from "./scale";

const noon = (d: string) => Date.parse(`${d}T12:00:00Z`) / 1000;
const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);

describe("Trends' scales", () => {
  it("steps by 1, 2, 2.5 or 5 times a power of ten", () => {
    expect([0.07, 1, 1.1, 2.2, 3, 7, 12, 380].map(niceStep)).toEqual([0.1, 1, 2, 2.5, 5, 10, 20, 500]);
  });

  it("runs the value axis from 0 to a round number a tenth above the highest value", () => {
    expect(autoRange([null, 1200, 850])).toEqual([0, 1500]);
    expect(autoRange([68.2, 70.1])).toEqual([0, 80]);
    expect(autoRange([-2, 3])).toEqual([-2, 4]);
  });

  it("gives an empty or flat series a range all the same", () => {
    expect(autoRange([null, null])).toEqual([0, 1]);
    expect(autoRange([0, 0])).toEqual([0, 1.2]);
  });

  it("puts value ticks on round steps, no more than fit", () => {
    expect(valueTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(valueTicks(0, 100, 2)).toEqual([0, 50, 100]);
    expect(valueTicks(0, 0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it("puts date ticks on whole days, then weeks, then months, as far apart as the text needs", () => {
    const week = dateTicks(noon("2026-11-27"), noon("2026-12-03"), 10);
    expect(week.map(day)).toEqual(["2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03"]);
    // 30 days with room for 2.6 ticks: every 14 days (each on a day's point, noon UTC).
    const month = dateTicks(noon("2026-11-05"), noon("2026-12-04"), 2.6);
    expect(month.length).toBeGreaterThanOrEqual(2);
    expect(month.every((t, i) => i === 0 || t - (month[i - 1] ?? 0) === 14 * 86_400)).toBe(true);
    // Nineteen months with room for 4: the first of every sixth month.
    const years = dateTicks(noon("2025-01-10"), noon("2026-09-01"), 4);
    expect(years.map(day)).toEqual(["2025-07-01", "2026-01-01", "2026-07-01"]);
  });

  it("writes value ticks with thousands separated and no float noise", () => {
    expect([1000, 2.5, 0.1 + 0.2].map(tickText)).toEqual(["1,000", "2.5", "0.3"]);
  });

  it("draws each marker shape as a closed outline around its point", () => {
    for (const m of ["circle", "square", "triangle", "diamond"] as const) expect(markerPath(m, 10, 10, 4)).toMatch(/^M.*Z$/);
  });
});
