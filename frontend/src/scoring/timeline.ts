/**
 * Local days and windows (PROTOCOL.md §1), without a date library.
 *
 * An entry belongs to the calendar date of its timestamp in the person's IANA zone. Entries are
 * stored with their own UTC offset, which may differ from the zone's offset today (travel, DST),
 * so the engine reads each timestamp as an instant and asks `Intl.DateTimeFormat` for that
 * instant's wall-clock date in the zone, rather than trusting the stored offset's date. Windows
 * are counted in calendar dates, never in hours: a DST day has 23 or 25 hours and still counts
 * as one day, and W7(d) is the seven dates d-6 ... d. Calendar-date arithmetic is done on
 * "YYYY-MM-DD" strings through UTC midnights, which have no DST, and such strings compare in
 * date order as plain strings.
 *
 * Timestamps are parsed here rather than by `Date.parse`, because `Date.parse` reads a string
 * without an offset as the device's local time; like the Python engine, a timestamp without an
 * offset is an error. Fractions of a millisecond are kept (as a fraction of the epoch
 * millisecond) so that ordering matches Python's microsecond datetimes.
 */

import type { IsoDate, IsoInstant } from "./types";

const MS_PER_DAY = 86_400_000;

/** Milliseconds since the epoch (UTC), possibly fractional. */
export type EpochMs = number;

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Bound of each memo below: far above one person's years of entries, small in memory. */
const MEMO_LIMIT = 50_000;
const instants = new Map<string, EpochMs>();

/** The instant an ISO 8601 timestamp with an offset names; RangeError without an offset. */
export function parseInstant(text: IsoInstant): EpochMs {
  const known = instants.get(text);
  if (known !== undefined) return known;
  const at = parseInstantUncached(text);
  if (instants.size >= MEMO_LIMIT) instants.clear();
  instants.set(text, at);
  return at;
}

function parseInstantUncached(text: IsoInstant): EpochMs {
  const m = INSTANT.exec(text);
  if (m === null) {
    throw new RangeError(`timestamp '${text}' is not ISO 8601 with a UTC offset`);
  }
  const [, y, mo, d, h, mi, s, frac, zulu, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? "0");
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    throw new RangeError(`timestamp '${text}' is not a valid date and time`);
  }
  const offsetMinutes =
    zulu !== undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om ?? "0"));
  if (Math.abs(offsetMinutes) >= 24 * 60) {
    throw new RangeError(`timestamp '${text}' has an offset of a day or more`);
  }
  const fractionMs = frac === undefined ? 0 : Number(`0.${frac}`) * 1000;
  const wall = utcMidnight(year, month, day) + ((hour * 60 + minute) * 60 + second) * 1000;
  return wall + fractionMs - offsetMinutes * 60_000;
}

/** Checks an ISO calendar date ("2026-03-10") and returns it; RangeError otherwise. */
export function parseIsoDate(text: string): IsoDate {
  const m = DATE.exec(text);
  if (m === null || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new RangeError(`'${text}' is not an ISO date (YYYY-MM-DD)`);
  }
  return text;
}

function validDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const probe = new Date(utcMidnight(year, month, day));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

function utcMidnight(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // Date.UTC would map years 0-99 to 1900-1999
  return date.getTime();
}

function dayNumber(day: IsoDate): number {
  const m = DATE.exec(day);
  if (m === null) throw new RangeError(`'${day}' is not an ISO date (YYYY-MM-DD)`);
  return Math.round(utcMidnight(Number(m[1]), Number(m[2]), Number(m[3])) / MS_PER_DAY);
}

function fromDayNumber(n: number): IsoDate {
  const date = new Date(n * MS_PER_DAY);
  const year = String(date.getUTCFullYear()).padStart(4, "0");
  const month = String(date.getUTCMonth() + 1).padStart(2, "0");
  const day = String(date.getUTCDate()).padStart(2, "0");
  return `${year}-${month}-${day}`;
}

/** `day` plus `days` calendar days (negative to go back). */
export function addDays(day: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(day) + days);
}

/** Calendar days from `first` to `last` (0 for the same date, negative if `last` is earlier). */
export function daysBetween(first: IsoDate, last: IsoDate): number {
  return dayNumber(last) - dayNumber(first);
}

/** First date of the `days`-day window ending on `day` (inclusive). */
export function windowStart(day: IsoDate, days: number): IsoDate {
  return addDays(day, -(days - 1));
}

/** A zone's wall clock: the local date and time of an instant. */
export interface Zone {
  readonly name: string;
  /** The local calendar date of an instant. */
  date(at: EpochMs): IsoDate;
  /** The local wall-clock time of an instant, "HH:MM" (24-hour). */
  time(at: EpochMs): string;
}

const zones = new Map<string, Zone>();

/** The profile's zone; RangeError for an unknown name. Zones are cached (formatters are costly). */
export function zoneOf(name: string): Zone {
  const cached = zones.get(name);
  if (cached !== undefined) return cached;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      calendar: "gregory",
      numberingSystem: "latn",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
  } catch {
    throw new RangeError(`unknown time zone '${name}'`);
  }
  const parts = (at: EpochMs): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const part of format.formatToParts(new Date(Math.floor(at)))) out[part.type] = part.value;
    return out;
  };
  // formatToParts is the costliest step of a report, and the app works out many reports over
  // the same entries (Today after each change, Trends one per day): remember each instant's date.
  const dates = new Map<number, IsoDate>();
  const zone: Zone = {
    name,
    date(at) {
      const key = Math.floor(at);
      const known = dates.get(key);
      if (known !== undefined) return known;
      const p = parts(at);
      const date = `${(p.year ?? "").padStart(4, "0")}-${p.month ?? ""}-${p.day ?? ""}`;
      if (dates.size >= MEMO_LIMIT) dates.clear();
      dates.set(key, date);
      return date;
    },
    time(at) {
      const p = parts(at);
      return `${p.hour ?? ""}:${p.minute ?? ""}`;
    },
  };
  zones.set(name, zone);
  return zone;
}

/** The local calendar date of a timestamp in the named IANA zone. */
export function localDate(ts: IsoInstant, zoneName: string): IsoDate {
  return zoneOf(zoneName).date(parseInstant(ts));
}

/** An entry with its instant and its local date. */
export interface Dated<E> {
  readonly day: IsoDate;
  readonly at: EpochMs;
  readonly entry: E;
}

/** Compares two strings by code point, as Python compares `str`. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const left = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const right = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i += 1) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/**
 * Each entry up to `last` with its local date, in time order (equal instants by id).
 *
 * Entries after `last` are dropped: a report never depends on what was logged later. The fixed
 * order makes every result independent of the order entries arrive in.
 */
export function dated<E extends { readonly id?: string }>(
  entries: readonly E[],
  stamp: (entry: E) => IsoInstant,
  zone: Zone,
  last: IsoDate,
): Dated<E>[] {
  const pairs = entries.map((entry) => {
    const at = parseInstant(stamp(entry));
    return { day: zone.date(at), at, entry };
  });
  return pairs
    .filter((pair) => pair.day <= last)
    .sort((x, y) => x.at - y.at || compareText(x.entry.id ?? "", y.entry.id ?? ""));
}

/** The dated entries whose local date lies in first ... last (inclusive). */
export function within<E>(pairs: readonly Dated<E>[], first: IsoDate, last: IsoDate): Dated<E>[] {
  return pairs.filter((p) => first <= p.day && p.day <= last);
}

/** The entries whose local date lies in first ... last (inclusive). */
export function between<E>(pairs: readonly Dated<E>[], first: IsoDate, last: IsoDate): E[] {
  return within(pairs, first, last).map((p) => p.entry);
}
