/**
 * Today's scheduled doses as one list in clock order (anastrozole at 08:00 before a calcium
 * tablet at 12:30, whichever was added first), each taken or not, and a dose past its time and
 * not taken said to be late in words ("Due at 08:00 · 2 h late"), never by colour only. Times
 * are wall clocks in her profile's zone. The next best step is the engine's (PROTOCOL.md §6):
 * this is only the list.
 */
import type { StoredRecord } from "../storage/store";

export interface DoseSlot {
  item: StoredRecord;
  /** "08:00", a wall clock in her zone. */
  time: string;
  taken: boolean;
  /** Minutes past `time` when not taken and the time has passed; 0 otherwise. */
  lateMinutes: number;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * `items`: the active regimen items with times; `takenCount(id)`: doses of an item logged today;
 * `nowWall`: her wall clock now ("HH:MM"). An item's first doses logged count against its
 * earliest times, as before: two times and one dose taken leaves the later time open.
 */
export function doseSlots(items: readonly StoredRecord[], takenCount: (id: string) => number, nowWall: string): DoseSlot[] {
  const now = minutesOf(nowWall);
  const slots = items.flatMap((item) => {
    const times = [...((item.fields?.schedule_times as string[] | undefined) ?? [])].sort();
    const taken = takenCount(item.id);
    return times.map((time, i) => {
      const done = i < taken;
      return { item, time, taken: done, lateMinutes: done ? 0 : Math.max(0, now - minutesOf(time)) };
    });
  });
  // Stable: two items at the same minute keep the order they were listed in.
  return slots.sort((a, b) => minutesOf(a.time) - minutesOf(b.time));
}

/** "Due at 08:00 · 2 h late", "Due at 08:00 · 25 min late", "Due at 12:30". */
export function dueWords(slot: DoseSlot): string {
  const due = `Due at ${slot.time}`;
  if (slot.taken || slot.lateMinutes <= 0) return due;
  const late = slot.lateMinutes >= 60 ? `${Math.floor(slot.lateMinutes / 60)} h late` : `${slot.lateMinutes} min late`;
  return `${due} · ${late}`;
}
