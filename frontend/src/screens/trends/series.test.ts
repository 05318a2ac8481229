import { describe, expect, it } from "vitest";
import { axisDate, axisStart, chartLabUnit, dayPoint, labSeries, latestOf, latestTarget, legendValue, needsDots, weekLabel, weekShown, weightSeries } from "./series";

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

describe("a lab result sits on its own day's gridline", () => {
  const lab = (measured_at: string) => ({ fields: { measured_at, kind: "vitamin_d_25oh", value: 30, unit: "ng/mL" } });
  it("in her zone, at noon UTC of that day as the daily points and the gridlines are (newcomer walk)", () => {
    // Her result of 4 Dec, stored at noon in Auckland: 23:00 UTC on 3 Dec.
    const [nz] = labSeries([lab("2026-12-04T12:00:00+13:00")], "metric", "Pacific/Auckland");
    expect(nz?.times).toEqual([dayPoint("2026-12-04")]);
    expect(axisDate(nz?.times[0] ?? 0)).toBe("4 Dec");
    // In London, a result typed in at 09:15 sits on its day's noon too.
    const [london] = labSeries([lab("2026-12-04T09:15:00Z")], "metric", "Europe/London");
    expect(london?.times).toEqual([dayPoint("2026-12-04")]);
  });
});

describe("axisStart", () => {
  const today = "2026-12-05";
  const month = "2026-11-06"; // 30 days up to today

  it("starts a newcomer's charts a week before today, not at the period's start", () => {
    // Her 2nd day: 4 and 5 Dec are two of seven days, not two of thirty.
    expect(axisStart(month, "2026-12-04", today)).toBe("2026-11-29");
    expect(axisStart(month, today, today)).toBe("2026-11-29");
  });

  it("starts at her first day once that is more than the minimum span back", () => {
    expect(axisStart(month, "2026-11-28", today)).toBe("2026-11-28");
    expect(axisStart(month, "2026-11-20", today)).toBe("2026-11-20");
    expect(axisStart("2026-09-07", "2026-11-20", today)).toBe("2026-11-20");
  });

  it("keeps the whole period once she has used the app longer than it, or before her first day is known", () => {
    expect(axisStart(month, month, today)).toBe(month);
    expect(axisStart(month, "2026-01-10", today)).toBe(month);
    expect(axisStart(month, null, today)).toBe(month);
  });

  it("never starts before the period, whatever the minimum span", () => {
    expect(axisStart("2026-12-01", "2026-12-04", today, 30)).toBe("2026-12-01");
    expect(axisStart(month, "2026-12-04", today, 3)).toBe("2026-12-03");
    expect(axisStart(month, "2026-12-04", today, 1)).toBe("2026-12-04");
  });

  it("crosses a year's end", () => {
    expect(axisStart("2026-12-04", "2027-01-02", "2027-01-02")).toBe("2026-12-27");
  });
});

describe("weekShown", () => {
  it("says nothing for weeks that ended before her first day, not \"0 min\" (newcomer walk)", () => {
    expect(weekShown("2026-11-27", "2026-12-01", () => 0)).toBeNull();
    expect(weekShown("2026-12-04", "2026-12-01", () => 30)).toBe(30);
    expect(weekShown("2026-12-04", "2026-12-04", () => 0)).toBe(0);
    expect(weekShown("2026-11-27", null, () => 45)).toBe(45);
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
