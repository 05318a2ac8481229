import { describe, expect, it } from "vitest";
import { axisDate, legendValue, needsDots, weightSeries } from "./series";

const m = (measured_at: string, f: Record<string, number>) => ({ fields: { measured_at, ...f } });

describe("Trends' series", () => {
  const days = ["2026-12-01", "2026-12-02", "2026-12-03"];

  it("charts weight per day in her units, the day's last weighing, nothing on days without", () => {
    const ms = [m("2026-12-01T07:00:00Z", { weight_kg: 70 }), m("2026-12-01T20:00:00Z", { weight_kg: 69.5 }), m("2026-12-03T07:00:00Z", { weight_lb: 150 })];
    expect(weightSeries(ms, days, "UTC", "metric")).toEqual([69.5, null, 68]);
    expect(weightSeries(ms, days, "UTC", "us")).toEqual([153.2, null, 150]);
  });

  it("puts a weighing on the day of her zone, not UTC's", () => {
    const late = [m("2026-12-02T02:00:00Z", { weight_kg: 70 })];
    expect(weightSeries(late, days, "America/New_York", "metric")).toEqual([70, null, null]);
  });

  it("says 'no data' where uPlot would write --", () => {
    expect(legendValue(null, "mg")).toBe("no data");
    expect(legendValue(undefined, "mg")).toBe("no data");
    expect(legendValue(1234.56, "mg")).toBe("1234.6 mg");
  });

  it("writes axis dates as '3 Dec'", () => {
    expect(axisDate(Date.parse("2026-12-03T12:00:00Z") / 1000)).toBe("3 Dec");
  });

  it("draws dots when a value has no neighbour to join", () => {
    expect(needsDots([null, 4, null])).toBe(true);
    expect(needsDots([4])).toBe(true);
    expect(needsDots([3, 4, null])).toBe(false);
    expect(needsDots([null, null])).toBe(false);
  });
});
