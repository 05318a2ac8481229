import { describe, expect, it } from "vitest";
import { adherenceDays, adherenceFraction, periodEnd } from "./adherence";

/** PROTOCOL.md §4a on her first days; Python's tests/reports TestAdherence reads the same count. */
describe("adherenceDays", () => {
  const start = "2026-03-10";

  it("is empty on day one before her first dose: no days, not 0 of 1", () => {
    const none = new Set<string>();
    const last = periodEnd(none, start);
    expect(adherenceDays(none, start, last, 7)).toEqual([0, 0]);
    expect(adherenceFraction(none, start, last, 7)).toBeNull();
  });

  it("counts day one once its dose is logged", () => {
    const taken = new Set([start]);
    expect(adherenceDays(taken, start, periodEnd(taken, start), 7)).toEqual([1, 1]);
  });

  it("counts day one on day two until day two has a dose", () => {
    const none = new Set<string>();
    expect(adherenceDays(none, start, periodEnd(none, "2026-03-11"), 7)).toEqual([0, 1]);
    const taken = new Set(["2026-03-11"]);
    expect(adherenceDays(taken, start, periodEnd(taken, "2026-03-11"), 7)).toEqual([1, 2]);
  });
});
