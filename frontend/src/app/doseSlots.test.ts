import { describe, expect, it } from "vitest";
import type { StoredRecord } from "../storage/store";
import { doseSlots, dueWords, notStarted, takenAsk } from "./doseSlots";

const item = (id: string, times: string[]): StoredRecord => ({ key: `regimen:${id}`, entity: "regimen", id, fields: { schedule_times: times }, version: null, deleted: false, touched: 0 });

describe("today's doses", () => {
  const caltrate = item("caltrate", ["12:30"]);
  const anastrozole = item("anastrozole", ["08:00"]);

  it("are listed in clock order, whichever item was added first", () => {
    const slots = doseSlots([caltrate, anastrozole], () => 0, "10:46");
    expect(slots.map((s) => `${s.item.id} ${s.time}`)).toEqual(["anastrozole 08:00", "caltrate 12:30"]);
  });

  it("say a dose past its time and not taken is late, in words", () => {
    const [first, second] = doseSlots([caltrate, anastrozole], () => 0, "10:46");
    expect(first && dueWords(first)).toBe("Due at 08:00 · 2 h late");
    expect(second && dueWords(second)).toBe("Due at 12:30");
  });

  it("count minutes when less than an hour late, and nothing once taken", () => {
    const [late] = doseSlots([anastrozole], () => 0, "08:25");
    expect(late && dueWords(late)).toBe("Due at 08:00 · 25 min late");
    const [taken] = doseSlots([anastrozole], () => 1, "10:46");
    expect(taken?.taken).toBe(true);
    expect(taken?.lateMinutes).toBe(0);
  });

  it("show when a late dose was taken, not only the time it was due (newcomer walk: \"08:00 ✓\" after \"Just now\" at 10:42)", () => {
    const [taken] = doseSlots([anastrozole], () => ["10:42"], "10:46");
    expect(taken?.takenAt).toBe("10:42");
    expect(taken && dueWords(taken)).toBe("08:00 · taken 10:42");
    const twice = item("calcium", ["19:00", "08:00"]);
    const slots = doseSlots([twice], () => ["20:05", "08:10"], "20:10");
    expect(slots.map((s) => dueWords(s))).toEqual(["08:00 · taken 08:10", "19:00 · taken 20:05"]);
  });

  it("count an item's doses against its earliest times", () => {
    const twice = item("calcium", ["19:00", "08:00"]);
    const slots = doseSlots([twice], () => 1, "20:00");
    expect(slots.map((s) => [s.time, s.taken, s.lateMinutes])).toEqual([
      ["08:00", true, 0],
      ["19:00", false, 60],
    ]);
  });

  it("never call late a dose whose time had passed when she made the schedule (newcomer walk F2)", () => {
    // She set up anastrozole (08:00) and calcium (08:00, 18:00) at 20:50; it is now 21:00.
    const calcium = item("calcium", ["08:00", "21:30"]);
    const slots = doseSlots([anastrozole, calcium], () => 0, "21:00", () => "20:50");
    // Today's 21:30 dose first; the two "First dose: tomorrow" after it (in clock order).
    const [c2, a, c1] = slots;
    expect(c1?.item.id).toBe("calcium");
    expect(a && dueWords(a)).toBe("First dose: tomorrow at 08:00");
    expect(a?.lateMinutes).toBe(0);
    expect(c1?.beforeAdded).toBe(true);
    // A time still ahead when she added it is due as usual.
    expect(c2 && dueWords(c2)).toBe("Due at 21:30");
    // Added before today: late as before.
    const [old] = doseSlots([anastrozole], () => 0, "21:00", () => null);
    expect(old && dueWords(old)).toBe("Due at 08:00 · 13 h late");
    // Added today but at 07:00: the 08:00 dose was ahead of her, so it can be late.
    const [morning] = doseSlots([anastrozole], () => 0, "10:00", () => "07:00");
    expect(morning && dueWords(morning)).toBe("Due at 08:00 · 2 h late");
  });

  it("say an item she started before joining is not logged today, neutrally", () => {
    const started = { ...anastrozole, fields: { ...anastrozole.fields, started_on: "2026-06-01" } };
    const [slot] = doseSlots([started], () => 0, "21:00", () => "20:50");
    expect(slot && dueWords(slot)).toBe("Due at 08:00 · not logged today");
    expect(slot?.lateMinutes).toBe(0);
  });

  it("order today's due doses first, an item's \"First dose: tomorrow\" after them (newcomer walk)", () => {
    // Anastrozole added today at 10:00 with its 08:00 time already past; calcium due at 12:30.
    const slots = doseSlots([anastrozole, caltrate], () => 0, "10:46", (i) => (i.id === "anastrozole" ? "10:00" : null));
    expect(slots.map((s) => dueWords(s))).toEqual(["Due at 12:30", "First dose: tomorrow at 08:00"]);
    expect(slots.map((s) => notStarted(s))).toEqual([false, true]);
  });

  it("offer no \"Mark taken\" for today on a \"First dose: tomorrow\" card, but do for one she started before or took", () => {
    const [tomorrow] = doseSlots([anastrozole], () => 0, "21:00", () => "20:50");
    expect(tomorrow && notStarted(tomorrow)).toBe(true);
    const started = { ...anastrozole, fields: { ...anastrozole.fields, started_on: "2026-06-01" } };
    const [before] = doseSlots([started], () => 0, "21:00", () => "20:50");
    expect(before && notStarted(before)).toBe(false);
    const [ahead] = doseSlots([anastrozole], () => 0, "07:00", () => "06:50");
    expect(ahead && notStarted(ahead)).toBe(false);
    const [taken] = doseSlots([anastrozole], () => 1, "21:00", () => "20:50");
    expect(taken && notStarted(taken)).toBe(false);
  });
});

describe("\"Mark taken\" asks", () => {
  it("when, more than an hour late", () => {
    expect(takenAsk("08:00", "09:01")).toBe("late");
    expect(takenAsk("08:00", "20:50")).toBe("late");
  });

  it("whether she took it now, more than an hour early (newcomer walk: the 20:00 calcium logged at 01:34)", () => {
    expect(takenAsk("20:00", "01:34")).toBe("early");
    expect(takenAsk("08:00", "01:29")).toBe("early");
    expect(takenAsk("08:00", "06:59")).toBe("early");
  });

  it("nothing within an hour either side of the time", () => {
    for (const now of ["07:00", "07:30", "08:00", "08:45", "09:00"]) expect(takenAsk("08:00", now)).toBeNull();
  });
});
