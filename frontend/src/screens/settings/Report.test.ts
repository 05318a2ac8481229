import { describe, expect, it } from "vitest";
import { previewCss, reportPeriod, splitStyles } from "./Report";

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

describe("the report's stylesheet in the phone's preview", () => {
  const css = `@page { size: a4; margin: 12mm; @bottom-left { content: "x"; } }
  html { font: 8.6pt/1.32 "DejaVu Sans", Arial, sans-serif; color: #1f2a37; }
  body { margin: 0; }
  h1 { font-size: 14pt; margin: 0; }
  .fig { border-left: 2.5pt solid #d1d5db; }`;
  const out = previewCss(css);
  it("sizes text in the app's rem, the report's base size as 1 rem, so it follows her text size", () => {
    expect(out).toContain(":host { font: 1rem/1.32");
    expect(out).toContain("h1 { font-size: 1.628rem;");
    expect(out).toContain("border-left: 0.291rem solid");
    expect(out).not.toMatch(/\dpt\b/);
  });
  it("points the page's html and body rules at the preview and drops the print-only rules", () => {
    expect(out).toContain(".report-page { margin: 0; }");
    expect(out).not.toContain("@page");
    expect(out).not.toContain("@bottom-left");
  });
});

describe("the report's styles, taken out before the page is parsed under the app's CSP", () => {
  it("returns every <style> element's text and the page without them", () => {
    const page = `<html><head><style>h1 { color: red; }</style><STYLE media="screen">p { margin: 0; }</STYLE></head><body><h1>Report</h1></body></html>`;
    const { css, html } = splitStyles(page);
    expect(css).toBe("h1 { color: red; }\np { margin: 0; }");
    expect(html).toBe("<html><head></head><body><h1>Report</h1></body></html>");
  });
});
