import { describe, expect, it } from "vitest";
import { doseAgainCheck } from "./doseAgain";

const ZONE = "Europe/London";
const dose = (item: string, at: string, deleted = false) => ({ deleted, fields: { regimen_item_id: item, taken_at: at } });

describe("doseAgainCheck", () => {
  it("asks before a second dose of a once-daily item on the same day", () => {
    const c = doseAgainCheck("ana", "Anastrozole 1 mg", ["08:00"], [dose("ana", "2026-12-06T08:00:00Z")], "2026-12-06T20:10:00Z", ZONE, "2026-12-06");
    expect(c).toEqual({ kind: "ask", message: "You already logged Anastrozole 1 mg today at 08:00. Log another dose?", field: "f-item", yes: "Log another", no: "Cancel" });
  });
  it("says nothing for the first dose, or another item's, or a deleted one", () => {
    expect(doseAgainCheck("ana", "A", ["08:00"], [], "2026-12-06T08:00:00Z", ZONE, "2026-12-06").kind).toBe("ok");
    expect(doseAgainCheck("ana", "A", ["08:00"], [dose("cal", "2026-12-06T08:00:00Z")], "2026-12-06T20:00:00Z", ZONE, "2026-12-06").kind).toBe("ok");
    expect(doseAgainCheck("ana", "A", ["08:00"], [dose("ana", "2026-12-06T08:00:00Z", true)], "2026-12-06T20:00:00Z", ZONE, "2026-12-06").kind).toBe("ok");
  });
  it("counts the dose's own day in her zone, not yesterday's dose", () => {
    // 23:30 on 5 Dec in New York is 04:30 on the 6th in UTC: a different local day.
    const ny = "America/New_York";
    expect(doseAgainCheck("ana", "A", ["08:00"], [dose("ana", "2026-12-06T04:30:00Z")], "2026-12-06T13:00:00Z", ny, "2026-12-06").kind).toBe("ok");
  });
  it("twice daily: asks only once both are logged, listing both times", () => {
    const one = [dose("cal", "2026-12-06T08:00:00Z")];
    expect(doseAgainCheck("cal", "Adcal", ["08:00", "20:00"], one, "2026-12-06T20:00:00Z", ZONE, "2026-12-06").kind).toBe("ok");
    const both = [...one, dose("cal", "2026-12-06T20:05:00Z")];
    const c = doseAgainCheck("cal", "Adcal", ["08:00", "20:00"], both, "2026-12-06T21:00:00Z", ZONE, "2026-12-06");
    expect(c.kind === "ask" && c.message).toBe("You already logged Adcal today at 08:00 and 20:05. Log another dose?");
  });
  it("a past day is named by its date; an unscheduled item is never asked about", () => {
    const c = doseAgainCheck("ana", "A", ["08:00"], [dose("ana", "2026-12-04T08:00:00Z")], "2026-12-04T20:00:00Z", ZONE, "2026-12-06");
    expect(c.kind === "ask" && c.message).toBe("You already logged A on 4 Dec at 08:00. Log another dose?");
    expect(doseAgainCheck("pain", "Paracetamol", [], [dose("pain", "2026-12-06T08:00:00Z")], "2026-12-06T20:00:00Z", ZONE, "2026-12-06").kind).toBe("ok");
  });
});
