import { describe, expect, it } from "vitest";
import { axisDate, chartLabUnit, labSeries, latestOf, latestTarget, legendValue, needsDots, weekLabel, weightSeries } from "./series";

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

  it("says 'no data', never --", () => {
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

describe("Trends' lab charts", () => {
  const lab = (measured_at: string, kind: string, value: number, unit: string) => ({ fields: { measured_at, kind, value, unit } });

  it("charts vitamin D in the unit of her latest result, even in US units (62 nmol/L stays 62 nmol/L)", () => {
    const labs = [lab("2026-06-01T09:00:00Z", "vitamin_d_25oh", 20, "ng/mL"), lab("2026-11-20T09:00:00Z", "vitamin_d_25oh", 62, "nmol/L")];
    const [vitD] = labSeries(labs, "us");
    expect(vitD?.unit).toBe("nmol/L");
    // 20 ng/mL is 49.9 nmol/L: the older result is converted, the latest shown as typed.
    expect(vitD?.values).toEqual([50, 62]);
  });

  it("follows her latest unit the other way too, and her settings where no result fits", () => {
    const labs = [lab("2026-06-01T09:00:00Z", "vitamin_d_25oh", 62, "nmol/L"), lab("2026-11-20T09:00:00Z", "vitamin_d_25oh", 30, "ng/mL")];
    expect(labSeries(labs, "metric")[0]?.unit).toBe("ng/mL");
    expect(chartLabUnit("vitamin_d_25oh", "mg/dL", "metric")).toBe("nmol/L");
    expect(chartLabUnit("ldl_cholesterol", undefined, "us")).toBe("mg/dL");
  });
});

describe("latestOf and latestTarget", () => {
  it("finds the last value, skipping days with none", () => {
    expect(latestOf([1, null, 3, null])).toEqual({ value: 3, index: 2 });
    expect(latestOf([null, null])).toBeNull();
    expect(latestOf([0, null])).toEqual({ value: 0, index: 0 });
  });
  it("takes the target from the latest day with a report, as Today shows it", () => {
    const rep = (target: number | null) => ({ components: [{ key: "calcium_total", target }] });
    expect(latestTarget([rep(1000), null, rep(1200), null], "calcium_total")).toBe(1200);
    expect(latestTarget([null, null], "calcium_total")).toBeNull();
    expect(latestTarget([rep(1200)], "vitamin_d")).toBeNull();
  });
});

describe("a week's bar's label (320 px at 200 % text, issue #14)", () => {
  it("keeps its date on one line: day and month joined by a no-break space", () => {
    expect(weekLabel("2026-11-06")).toBe("week to 6\u00a0Nov");
    expect(weekLabel("2026-12-04")).toMatch(/^week to \d{1,2}\u00a0[A-Z][a-z]{2}$/);
  });
});
