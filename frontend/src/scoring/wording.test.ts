/** A day as the engine's sentences say it: words, never an ISO date (issue #14, the newcomer walk). */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
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
  it("says yesterday in words in every golden report (both engines reproduce them)", () => {
    const dir = fileURLToPath(new URL("../../../tests/golden/scoring/", import.meta.url));
    const files = [...readdirSync(dir).filter((f) => f.endsWith(".json")), ...readdirSync(`${dir}generated`).map((f) => `generated/${f}`)];
    const messages = files.flatMap((f) => {
      const vector = JSON.parse(readFileSync(dir + f, "utf8")) as { expected?: { report?: { flags?: { key: string; message: string }[] } } };
      return (vector.expected?.report?.flags ?? []).filter((flag) => flag.key === "medication_missed").map((flag) => flag.message);
    });
    expect(messages.length).toBeGreaterThan(10);
    for (const message of messages) {
      expect(message).toMatch(/was logged yesterday \((Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d{1,2} [A-Z][a-z]+\)\.$/);
      expect(message).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
  });
});
