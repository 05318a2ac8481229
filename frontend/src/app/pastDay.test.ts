import { describe, expect, it } from "vitest";
import { WORDING } from "../scoring/tables.gen";
import { onThisDay } from "./pastDay";

describe("onThisDay", () => {
  it("says 'on this day' where the wording says 'today'", () => {
    expect(onThisDay("Calcium 0 of 1200 mg today (food 0 mg, supplements 0 mg).")).toBe("Calcium 0 of 1200 mg on this day (food 0 mg, supplements 0 mg).");
    expect(onThisDay("No joint check-in logged today.")).toBe("No joint check-in logged on this day.");
    expect(onThisDay("Log today's joint check-in.")).toBe("Log this day's joint check-in.");
  });
  it("leaves every component sentence of the wording table without 'today'", () => {
    const sentences = Object.entries(WORDING).filter(([key]) => key.startsWith("component."));
    expect(sentences.length).toBeGreaterThan(10);
    for (const [, text] of sentences) expect(onThisDay(text)).not.toMatch(/today/i);
  });
});
