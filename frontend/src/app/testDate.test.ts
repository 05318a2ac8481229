import { describe, expect, it } from "vitest";
import { testDateInstant, testDateValue } from "./testDate";

const CHICAGO = "America/Chicago";
// 3 Dec 2026, 02:30 UTC: still 2 Dec in Chicago.
const NOW = Date.UTC(2026, 11, 3, 2, 30);

describe("the date of a lab test", () => {
  it("starts at today in her zone, not the phone's", () => {
    expect(testDateValue({ saved: null, typed: null }, CHICAGO, NOW)).toBe("2026-12-02");
  });

  it("is stored at noon of that day in her zone", () => {
    expect(testDateInstant({ saved: null, typed: "2026-11-20" }, CHICAGO, NOW)).toEqual({ at: "2026-11-20T12:00:00-06:00" });
  });

  it("keeps a saved result's own instant while its date is unchanged", () => {
    const saved = "2026-11-20T15:45:00Z";
    expect(testDateValue({ saved, typed: null }, CHICAGO, NOW)).toBe("2026-11-20");
    expect(testDateInstant({ saved, typed: null }, CHICAGO, NOW)).toEqual({ at: saved });
    expect(testDateInstant({ saved, typed: "2026-11-20" }, CHICAGO, NOW)).toEqual({ at: saved });
    expect(testDateInstant({ saved, typed: "2026-11-21" }, CHICAGO, NOW)).toEqual({ at: "2026-11-21T12:00:00-06:00" });
  });

  it("says why an empty or impossible date cannot be saved", () => {
    expect(testDateInstant({ saved: null, typed: "" }, CHICAGO, NOW)).toEqual({ problem: "Enter the date of the test." });
    expect(testDateInstant({ saved: null, typed: "2027-12-02" }, CHICAGO, NOW)).toHaveProperty("problem");
    expect(testDateInstant({ saved: null, typed: "1969-05-01" }, CHICAGO, NOW)).toEqual({ problem: "This is before 1970. Check the year." });
  });
});
