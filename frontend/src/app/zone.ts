/**
 * Times and dates on screen are in the person's time zone (her profile's `time_zone`), never
 * the device's: a phone left on home time after a flight, or a laptop set to another zone,
 * still shows her day the way her reports count it. Every clock time, "when" field and short
 * date goes through this module.
 *
 * Screens that render outside a loaded profile (the log forms, the reminder banner) read the
 * zone synchronously from `currentZone()`: the last profile zone this page has seen (set by
 * `setProfileZone` whenever the profile is read), else the device's. A screen that may open
 * before the profile is read (a log form opened by URL) takes `useZone()` (app/hooks.ts)
 * instead, which re-renders it when her zone becomes known, so a default "now" moves from
 * the device's clock to hers.
 *
 * Instants are still stored as the device writes them (ISO with an offset): an instant is the
 * same moment whatever the offset, and the server reads its local day with the profile's zone.
 */
import { zoneOf } from "../scoring/timeline";

export function deviceZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

let known: string | null = null;
const watchers = new Set<(zone: string) => void>();

function changed(): void {
  const zone = currentZone();
  for (const fn of watchers) fn(zone);
}

/**
 * Calls `fn` with the person's zone whenever it changes: a form opened before her profile was
 * read (a reload, a bookmark, a notification) shows its default time in the device's zone until
 * then, and must move to hers the moment it is known (`useZone`).
 */
export function onZoneChange(fn: (zone: string) => void): () => void {
  watchers.add(fn);
  return () => watchers.delete(fn);
}

/** Remembers the profile's zone (an unknown or empty name is ignored). */
export function setProfileZone(zone: unknown): void {
  if (typeof zone !== "string" || !zone || zone === known) return;
  try {
    zoneOf(zone);
    known = zone;
  } catch {
    // Not a zone this browser knows: keep the last good one.
    return;
  }
  changed();
}

/** A new person signed in: her zone is not known until her profile is read. */
export function forgetProfileZone(): void {
  if (known === null) return;
  known = null;
  changed();
}

/** The person's zone as far as this page knows it. */
export function currentZone(): string {
  return known ?? deviceZone();
}

function safeZone(zone: string) {
  try {
    return zoneOf(zone);
  } catch {
    return zoneOf("UTC");
  }
}

/** The clock time of an instant in `zone`, 24-hour "08:05" like the dose times; "" for no time. */
export function fmtTime(instant: unknown, zone: string = currentZone()): string {
  if (typeof instant !== "string") return "";
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return "";
  return safeZone(zone).time(ms);
}

/** How far `zone` is ahead of UTC at an instant, in minutes (-300 for New York in winter). */
export function offsetMinutes(ms: number, zone: string): number {
  const z = safeZone(zone);
  const wall = Date.parse(`${z.date(ms)}T${z.time(ms)}:00Z`);
  // Whole minutes: the instant's own seconds are not part of the wall clock read back.
  return Math.round((wall - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/** "2026-11-27T08:00" for <input type=datetime-local>: the instant's wall clock in `zone`. */
export function wallTime(instant: string | undefined, zone: string = currentZone(), now: number = Date.now()): string {
  const ms = instant ? Date.parse(instant) : now;
  const z = safeZone(zone);
  return `${z.date(ms)}T${z.time(ms)}`;
}

/**
 * The instant a wall clock "2026-11-27T08:00" in `zone` names, as ISO with that zone's offset
 * ("2026-11-27T08:00:00-05:00"). A clock time that happens twice (fall back) is the first; one
 * that never happens (a spring-forward gap) is read with the offset before the change (02:30
 * becomes 03:30), as most calendars do.
 */
export function instantFromWall(value: string, zone: string = currentZone()): string {
  const asUtc = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
  if (Number.isNaN(asUtc)) throw new RangeError(`not a date and time: ${value}`);
  // The zone's offsets a day either side of the clock time: one of them names it (a zone does
  // not change its offset twice in a day), the earlier first.
  const before = offsetMinutes(asUtc - 86_400_000, zone);
  const after = offsetMinutes(asUtc + 86_400_000, zone);
  const wall = value.slice(0, 16);
  const off = [before, after].find((o) => wallTime(new Date(asUtc - o * 60_000).toISOString(), zone) === wall) ?? before;
  const local = new Date(asUtc).toISOString().slice(0, 19);
  const sign = off >= 0 ? "+" : "-";
  const abs = Math.abs(off);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The hour (0–23) now in `zone`: which meal it probably is. */
export function hourIn(zone: string = currentZone(), now: number = Date.now()): number {
  return Number(safeZone(zone).time(now).slice(0, 2));
}

const MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "3 Dec" for "2026-12-03" (a calendar date has no zone). */
export function fmtDayMonth(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!m) return day;
  return `${Number(m[3])} ${MONTHS_SHORT[Number(m[2]) - 1] ?? ""}`;
}

/** "3 Dec 2026" for an instant, its date in `zone`; "" for no date. */
export function fmtDate(instant: string, zone: string = currentZone()): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return "";
  const day = safeZone(zone).date(ms);
  return `${fmtDayMonth(day)} ${day.slice(0, 4)}`;
}

/** "3 Dec, 14:05" for an instant in `zone` (the sync screen's "last synced"). */
export function fmtDayTime(instant: string, zone: string = currentZone()): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return "";
  const z = safeZone(zone);
  return `${fmtDayMonth(z.date(ms))}, ${z.time(ms)}`;
}
