import { describe, expect, it } from "vitest";
import { phraseOf } from "./actions";
import { gather } from "./facts";
import type { Dose, RegimenItem } from "./types";

/**
 * The next step names a scheduled dose only when the dose cards say it is due that day
 * (app/doseSlots.ts): on the day an item is added, a time already past is "First dose: tomorrow".
 * The same cases as tests/scoring/test_engine.py (TestNextBestActionNamesOnlyADoseDueThatDay).
 */
const DAY = "2026-03-10";

function calcium(createdAt: string, startedOn: string | null = null): RegimenItem {
  return {
    id: "ca",
    name: "Calcium",
    kind: "supplement",
    form: "calcium_citrate",
    prescribed_daily: true,
    nutrients_per_unit: { calcium_mg: 500 },
    schedule_times: ["08:00", "20:00"],
    started_on: startedOn,
    created_at: createdAt,
  };
}

function calciumStep(item: RegimenItem, doses: Dose[] = [], zone = "Europe/London"): string | null {
  return phraseOf("calcium_total", gather({ day: DAY, profile: { time_zone: zone }, regimen: [item], doses }));
}

describe("the next step's dose", () => {
  it("names the evening dose on day one after the morning time", () => {
    expect(calciumStep(calcium("2026-03-10T10:00:00Z"))).toMatch(/^Take your evening calcium dose \(Calcium\): 500 mg/);
  });

  it("names no dose on day one after every time", () => {
    expect(calciumStep(calcium("2026-03-10T21:00:00Z"))).toMatch(/^Have a glass of milk/);
  });

  it("names the morning dose on day one before the morning time, and on day two", () => {
    expect(calciumStep(calcium("2026-03-10T07:59:00Z"))).toMatch(/^Take your morning calcium dose/);
    expect(calciumStep(calcium("2026-03-09T21:00:00Z"))).toMatch(/^Take your morning calcium dose/);
  });

  it("names the morning dose of an item she says she started before", () => {
    expect(calciumStep(calcium("2026-03-10T21:00:00Z", "2026-02-01"))).toMatch(/^Take your morning calcium dose/);
  });

  it("reads the time it was added on her wall clock", () => {
    // 01:00 UTC on the 11th is 21:00 on the 10th in New York (EDT): both times were past.
    expect(calciumStep(calcium("2026-03-11T01:00:00Z"), [], "America/New_York")).toMatch(/^Have a glass of milk/);
  });

  it("names no dose on a day before the item's start", () => {
    expect(calciumStep(calcium("2026-03-10T07:00:00Z", "2026-03-11"))).toMatch(/^Have a glass of milk/);
  });

  it("leaves the evening dose once the morning one is logged late on day one", () => {
    const dose: Dose = { id: "d1", taken_at: "2026-03-10T10:30:00Z", regimen_item_id: "ca", nutrients: { calcium_mg: 500 } };
    expect(calciumStep(calcium("2026-03-10T10:00:00Z"), [dose])).toMatch(/^Take your evening calcium dose/);
  });
});
