/** A day as the engine's sentences say it: words, never an ISO date (issue #14, the newcomer walk). */
import { describe, expect, it } from "vitest";
import { medicationMissed } from "./flags";
import { dayWords } from "./wording";

describe("dayWords", () => {
  it("names the weekday, the day of the month and the month", () => {
    expect(dayWords("2026-12-03")).toBe("Thursday 3 December");
    expect(dayWords("2026-03-09")).toBe("Monday 9 March");
    expect(dayWords("2028-02-29")).toBe("Tuesday 29 February");
  });

  it("walks every day of a year without an ISO date or an unknown name", () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
      const iso = new Date(t).toISOString().slice(0, 10);
      const words = dayWords(iso);
      expect(words).toMatch(/^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d{1,2} [A-Z][a-z]+$/);
      expect(words).toContain(new Intl.DateTimeFormat("en-GB", { weekday: "long", timeZone: "UTC" }).format(new Date(t)));
      expect(words).toContain(new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" }).format(new Date(t)));
    }
  });
});

describe("the missed-dose flag", () => {
  it("says yesterday in words", () => {
    const f = {
      day: "2026-12-04",
      regimen: [{ id: "ana", name: "Anastrozole", kind: "medicine", form: "anastrozole", prescribed_daily: true, active: true }],
      itemStarts: new Map([["ana", "2026-11-01"]]),
      doses: [],
    } as unknown as Parameters<typeof medicationMissed>[0];
    const message = medicationMissed(f);
    expect(message).toBe("No dose of Anastrozole was logged yesterday (Thursday 3 December).");
    expect(message).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});
