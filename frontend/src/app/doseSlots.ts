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
  /**
   * Her wall clock ("HH:MM") when the dose filling this slot was taken, when known: a late
   * 08:00 tablet marked "Just now" at 10:42 shows "taken 10:42", not the 08:00 it was due.
   */
  takenAt: string | null;
  /** Minutes past `time` when not taken and the time has passed; 0 otherwise (and 0 before the item existed). */
  lateMinutes: number;
  /**
   * The time was already past when the item was added today: she cannot be late for a dose
   * scheduled before she made the schedule (a newcomer setting up in the evening saw every
   * dose "12 h late" in red minutes after making it). Said neutrally, never as late.
   */
  beforeAdded: boolean;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * `items`: the active regimen items with times; `taken(id)`: doses of an item logged today, as
 * their count or as their wall clocks ("HH:MM", which the slots then show);
 * `nowWall`: her wall clock now ("HH:MM"); `addedWall(item)`: her wall clock when the item was
 * added, when that was today (else null: it existed all day). An item's first doses logged count against its
 * earliest times, as before: two times and one dose taken leaves the later time open.
 */
export function doseSlots(items: readonly StoredRecord[], takenToday: (id: string) => number | readonly string[], nowWall: string, addedWall: (item: StoredRecord) => string | null = () => null): DoseSlot[] {
  const now = minutesOf(nowWall);
  const slots = items.flatMap((item) => {
    const times = [...((item.fields?.schedule_times as string[] | undefined) ?? [])].sort();
    const logged = takenToday(item.id);
    const takenWalls = typeof logged === "number" ? [] : [...logged].sort();
    const taken = typeof logged === "number" ? logged : logged.length;
    const added = addedWall(item);
    return times.map((time, i) => {
      const done = i < taken;
      const beforeAdded = !done && added !== null && minutesOf(time) < minutesOf(added);
      return { item, time, taken: done, takenAt: done ? (takenWalls[i] ?? null) : null, beforeAdded, lateMinutes: done || beforeAdded ? 0 : Math.max(0, now - minutesOf(time)) };
    });
  });
  // Today's doses first, in clock order; an item's "First dose: tomorrow" after them (a newcomer
  // saw it first, above the doses due today). Stable: two items at the same minute keep the
  // order they were listed in.
  return slots.sort((a, b) => Number(notStarted(a)) - Number(notStarted(b)) || minutesOf(a.time) - minutesOf(b.time));
}

/**
 * The slot is an item's "First dose: tomorrow": its time had passed when she added it today and
 * she did not say she started before. Its card offers no "Mark taken" for today (a tap saved a
 * dose today under a card saying tomorrow); a dose she did take goes in from Log → Dose.
 */
export function notStarted(slot: DoseSlot): boolean {
  return slot.beforeAdded && !slot.taken && typeof slot.item.fields?.started_on !== "string";
}

/**
 * "Due at 08:00 · 2 h late", "Due at 08:00 · 25 min late", "Due at 12:30". A time already past
 * when the item was added today: "First dose: tomorrow at 08:00", or, for an item she says she
 * started before (`started_on`), "Due at 08:00 · not logged today"; neither is late.
 */
export function dueWords(slot: DoseSlot): string {
  if (notStarted(slot)) return `First dose: tomorrow at ${slot.time}`;
  if (slot.beforeAdded && !slot.taken) return `Due at ${slot.time} · not logged today`;
  const due = `Due at ${slot.time}`;
  if (slot.taken) return slot.takenAt !== null ? `${slot.time} · taken ${slot.takenAt}` : `${slot.time} · taken`;
  if (slot.lateMinutes <= 0) return due;
  const late = slot.lateMinutes >= 60 ? `${Math.floor(slot.lateMinutes / 60)} h late` : `${slot.lateMinutes} min late`;
  return `${due} · ${late}`;
}

/**
 * From this many minutes after a dose's time, "Mark taken" asks when she took it: a tap in the
 * evening for the 08:00 tablet stamped the evening, and the advice built on the time ("calcium
 * at 20:50 with no meal within an hour") was about what never happened.
 */
export const ASK_WHEN_TAKEN_AFTER_MIN = 60;

/** Whether marking the dose of `time` taken at `nowWall` asks "When did you take it?". */
export function askWhenTaken(time: string, nowWall: string): boolean {
  return minutesOf(nowWall) - minutesOf(time) > ASK_WHEN_TAKEN_AFTER_MIN;
}

/**
 * More than this many minutes before a dose's time, "Mark taken" asks first: "This dose is due
 * at 20:00. Did you take it now?" (newcomer walk: one tap at 01:34 logged the 20:00 calcium
 * hours early, and nothing asked).
 */
export const ASK_IF_EARLY_BY_MIN = 60;

/**
 * What "Mark taken" on the dose of `time` at `nowWall` does: "late" asks when she took it,
 * "early" asks whether she took it now, null saves at once (within an hour either side).
 */
export function takenAsk(time: string, nowWall: string): "late" | "early" | null {
  const d = minutesOf(nowWall) - minutesOf(time);
  return d > ASK_WHEN_TAKEN_AFTER_MIN ? "late" : -d > ASK_IF_EARLY_BY_MIN ? "early" : null;
}

/** The item's first time today not yet taken (doses count against its earliest times), or null. */
export function firstOpenTime(times: readonly string[], takenToday: number): string | null {
  return [...times].sort()[takenToday] ?? null;
}
