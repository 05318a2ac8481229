import { describe, expect, it } from "vitest";
import { reportPeriod } from "./Report";

describe("report period", () => {
  it("counts the last 30 or 90 days including today", () => {
    expect(reportPeriod("30", "2026-12-02", "", "")).toEqual({ from: "2026-11-03", to: "2026-12-02" });
    expect(reportPeriod("90", "2026-12-02", "", "")).toEqual({ from: "2026-09-04", to: "2026-12-02" });
  });
  it("refuses chosen dates that cannot make a report, in words", () => {
    expect(reportPeriod("dates", "2026-12-02", "2026-11-10", "2026-11-01")).toEqual({ error: "The last day is before the first day." });
    expect(reportPeriod("dates", "2026-12-02", "2026-11-10", "2026-12-03")).toEqual({ error: "The last day cannot be after today." });
    expect(reportPeriod("dates", "2026-12-02", "2024-01-01", "2026-12-01")).toEqual({ error: "At most 366 days at a time." });
    expect(reportPeriod("dates", "2026-12-02", "2026-11-01", "2026-11-10")).toEqual({ from: "2026-11-01", to: "2026-11-10" });
  });
});
