import { describe, expect, it } from "vitest";
import type { StoredRecord } from "../storage/store";
import { doseSlots, dueWords } from "./doseSlots";

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

  it("count an item's doses against its earliest times", () => {
    const twice = item("calcium", ["19:00", "08:00"]);
    const slots = doseSlots([twice], () => 1, "20:00");
    expect(slots.map((s) => [s.time, s.taken, s.lateMinutes])).toEqual([
      ["08:00", true, 0],
      ["19:00", false, 60],
    ]);
  });
});
