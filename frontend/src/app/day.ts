/**
 * Builds the scoring engine's input for one local day from IndexedDB, so Today's scores change
 * the moment an entry is saved, online or not.
 */
import {
  addDays,
  computeDayReport,
  computePatterns,
  localDate,
  parseInstant,
  PATTERN_DAYS,
  units,
  type DayInput,
  type DayReport,
  type Lab,
  type Measurement,
  type Patterns,
  type RegimenItem,
  type ScoringProfile,
} from "../scoring";
import type { EntityName, Fields, Store, StoredRecord } from "../storage/store";
import { nowWithOffset } from "../reminders/dose";
import { deviceZone, setProfileZone } from "./zone";
import { weightKgOf } from "./units";
import { beforeFirstDay } from "./firstDay";

export const ENTRY_KINDS: readonly EntityName[] = [
  "meals",
  "doses",
  "workouts",
  "symptoms",
  "labs",
  "measurements",
  "regimen",
];

export interface LocalData {
  profile: StoredRecord | undefined;
  meals: StoredRecord[];
  doses: StoredRecord[];
  workouts: StoredRecord[];
  symptoms: StoredRecord[];
  labs: StoredRecord[];
  measurements: StoredRecord[];
  regimen: StoredRecord[];
  /**
   * New entries the server refused (awaiting Edit on the Sync screen): listed, marked "not
   * saved", and counted nowhere. The server never had them, so a score, a chart or a day that
   * counted them on the phone would disagree with the server's and with each other (issue #14:
   * Today dropped back while History still counted 50 kg of cheese).
   */
  notSaved?: StoredRecord[];
}

/** Splits `rows` into those that count and the refused new entries (keys in `refused`). */
function counted(rows: StoredRecord[], refused: ReadonlySet<string>, out: StoredRecord[]): StoredRecord[] {
  if (refused.size === 0) return rows;
  return rows.filter((r) => (refused.has(r.key) ? (out.push(r), false) : true));
}

/** Keys of the new entries the server refused: a rejected change of a record it never had. */
export function refusedCreates(rejected: readonly { key: string }[], records: readonly StoredRecord[]): Set<string> {
  const keys = new Set(rejected.map((r) => r.key));
  return new Set(records.filter((r) => keys.has(r.key) && r.version === null).map((r) => r.key));
}

export async function loadAll(store: Store): Promise<LocalData> {
  const [by, rejected] = await Promise.all([store.listMany(["profile", ...ENTRY_KINDS]), store.db.rejected.toArray()]);
  const of = (entity: EntityName): StoredRecord[] => by.get(entity) ?? [];
  const refused = refusedCreates(rejected, [...by.values()].flat());
  const notSaved: StoredRecord[] = [];
  return {
    profile: of("profile")[0],
    meals: counted(of("meals"), refused, notSaved),
    doses: counted(of("doses"), refused, notSaved),
    workouts: counted(of("workouts"), refused, notSaved),
    symptoms: counted(of("symptoms"), refused, notSaved),
    labs: counted(of("labs"), refused, notSaved),
    measurements: counted(of("measurements"), refused, notSaved),
    regimen: of("regimen"),
    notSaved,
  };
}

export function profileFields(data: LocalData): Fields {
  return data.profile?.fields ?? {};
}

/** The person's zone (her profile's), remembered for screens that have no profile at hand. */
export function timeZone(data: LocalData): string {
  const tz = profileFields(data).time_zone;
  setProfileZone(tz);
  return typeof tz === "string" && tz ? tz : deviceZone();
}

/** Today's date in the person's zone. */
export function today(zone: string): string {
  return localDate(nowInstant(), zone);
}

/** Now as an ISO instant with the device's UTC offset ("2026-11-27T08:00:00+01:00"). */
export const nowInstant = nowWithOffset;

/** The local day of an entry's timestamp. */
export function dayOf(instant: unknown, zone: string): string | null {
  if (typeof instant !== "string") return null;
  try {
    return localDate(instant, zone);
  } catch {
    return null;
  }
}

const fieldsOf = <T,>(rows: StoredRecord[]): T[] => rows.map((r) => ({ id: r.id, ...r.fields }) as T);

function labOf(r: StoredRecord): Lab | null {
  const f = r.fields ?? {};
  let value = typeof f.value_canonical === "number" ? f.value_canonical : null;
  if (value === null && typeof f.value === "number" && typeof f.kind === "string" && typeof f.unit === "string") {
    try {
      value = units.canonicalLabValue(f.kind, f.value, f.unit).value;
    } catch {
      return null;
    }
  }
  if (value === null || typeof f.measured_at !== "string" || typeof f.kind !== "string") return null;
  return { id: r.id, measured_at: f.measured_at, kind: f.kind, value_canonical: value };
}

function measurementOf(r: StoredRecord): Measurement | null {
  const f = r.fields ?? {};
  const kg = weightKgOf(f);
  if (kg === null || typeof f.measured_at !== "string") return null;
  return { id: r.id, measured_at: f.measured_at, weight_kg: kg };
}

/**
 * Only the entries a day's report can read (W7 for intake, exercise and symptoms, 30 days of
 * weights, 90 days of doses for adherence, every lab up to the day), with two days of margin
 * for UTC offsets: the engine would skip the others anyway, but a year of history would cost
 * a phone hundreds of milliseconds of parsing dates on every keystroke.
 */
function within(rows: StoredRecord[], field: string, day: string, days: number): StoredRecord[] {
  const first = addDays(day, -(days + 1));
  const last = addDays(day, 2);
  return rows.filter((r) => {
    const t = r.fields?.[field];
    if (typeof t !== "string") return false;
    const d = t.slice(0, 10);
    return d >= first && d <= last;
  });
}

/** The profile fields the engine reads, from the local profile record. */
export function scoringProfile(data: LocalData): ScoringProfile {
  const p = profileFields(data);
  return {
    sex: (p.sex as ScoringProfile["sex"]) ?? null,
    height_cm: (p.height_cm as number | null) ?? null,
    time_zone: timeZone(data),
    cleared_for_high_impact: p.cleared_for_high_impact === true,
    on_anticoagulant: p.on_anticoagulant === true,
    osteoporosis: p.osteoporosis === true,
    target_overrides: (p.target_overrides as ScoringProfile["target_overrides"]) ?? null,
  };
}

/** Each regimen item's earliest dose among ALL local doses (not only the day's window). */
function earliestDoses(doses: StoredRecord[]): Map<string, string> {
  const earliest = new Map<string, { at: number; text: string }>();
  for (const r of doses) {
    const item = r.fields?.regimen_item_id;
    const text = r.fields?.taken_at;
    if (typeof item !== "string" || typeof text !== "string") continue;
    let at: number;
    try {
      at = parseInstant(text);
    } catch {
      continue;
    }
    const known = earliest.get(item);
    if (known === undefined || at < known.at) earliest.set(item, { at, text });
  }
  return new Map([...earliest].map(([item, { text }]) => [item, text]));
}

/**
 * The regimen as the server's engine gets it (PROTOCOL.md §1: an item starts on `started_on`,
 * else the earlier of its creation day and its earliest dose's day). `created_at` is the
 * server's, pulled with the item; an item not yet synced was created on this phone, when it
 * was saved (`touched`). Failing both (an item pulled before the server sent creation times),
 * "now": the earliest dose then decides, and no day before it is counted as missed.
 */
export function regimenItems(data: LocalData, now: string = nowInstant()): RegimenItem[] {
  const earliest = earliestDoses(data.doses);
  return data.regimen.map((r) => {
    const created = r.fields?.created_at;
    const fallback = r.touched > 0 ? new Date(r.touched).toISOString() : now;
    return {
      id: r.id,
      ...(r.fields as object),
      name: String(r.fields?.name ?? ""),
      created_at: typeof created === "string" ? created : fallback,
      earliest_dose_at: earliest.get(r.id) ?? null,
    };
  });
}

export function dayInput(full: LocalData, day: string): DayInput {
  const data: LocalData = {
    ...full,
    meals: within(full.meals, "eaten_at", day, 7),
    workouts: within(full.workouts, "started_at", day, 7),
    symptoms: within(full.symptoms, "measured_at", day, 7),
    doses: within(full.doses, "taken_at", day, 91),
    measurements: within(full.measurements, "measured_at", day, 30),
    labs: full.labs.filter((r) => typeof r.fields?.measured_at === "string" && r.fields.measured_at.slice(0, 10) <= addDays(day, 2)),
  };
  return {
    day,
    profile: scoringProfile(full),
    meals: fieldsOf(data.meals),
    doses: fieldsOf(data.doses),
    workouts: fieldsOf(data.workouts),
    symptoms: fieldsOf(data.symptoms),
    regimen: regimenItems(full),
    labs: data.labs.map(labOf).filter((l): l is Lab => l !== null),
    measurements: data.measurements.map(measurementOf).filter((m): m is Measurement => m !== null),
  };
}

/** PROTOCOL.md §8 for `day`, from this phone's check-ins and workouts (works offline). */
export function localPatterns(full: LocalData, day: string): Patterns | null {
  try {
    return computePatterns({
      day,
      profile: scoringProfile(full),
      symptoms: fieldsOf(within(full.symptoms, "measured_at", day, PATTERN_DAYS)),
      workouts: fieldsOf(within(full.workouts, "started_at", day, PATTERN_DAYS + 1)),
    });
  } catch (error) {
    console.error("local patterns failed", error);
    return null;
  }
}

/**
 * The day's report worked out on this phone, or null: for a day before the person's first day
 * (app/firstDay.ts: no scores then, as the server says) or when the engine fails.
 */
export function localReport(data: LocalData, day: string): DayReport | null {
  if (beforeFirstDay(data, day, timeZone(data))) return null;
  try {
    return computeDayReport(dayInput(data, day));
  } catch (error) {
    console.error("local scoring failed", error);
    return null;
  }
}

/** The timestamp field of each entry kind. */
export const WHEN: Record<string, string> = {
  meals: "eaten_at",
  doses: "taken_at",
  workouts: "started_at",
  symptoms: "measured_at",
  labs: "measured_at",
  measurements: "measured_at",
};

/** An entry's own time (its kind's field: a meal's eaten_at, a dose's taken_at...), "" for none. */
export function entryWhen(r: StoredRecord): string {
  const v = r.fields?.[WHEN[r.entity] ?? ""];
  return typeof v === "string" ? v : "";
}

function instantMs(value: unknown): number {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? Number.MAX_SAFE_INTEGER : ms;
}

/** When an entry was created: the server's created_at, else when this phone last wrote it. */
function createdMs(r: StoredRecord): number {
  const ms = typeof r.fields?.created_at === "string" ? Date.parse(r.fields.created_at) : Number.NaN;
  return Number.isNaN(ms) ? r.touched : ms;
}

/**
 * The one order of every list of entries (Today, a History day): by the entry's time as an
 * instant, never as text (a dose written "12:23:00+00:00" by the phone and a meal written
 * "07:22:00-05:00" by a form are compared as the moments they are), then by when each was
 * created, then by id, so two entries at the same minute never swap places between renders.
 */
export function byEntryTime(a: StoredRecord, b: StoredRecord): number {
  return instantMs(entryWhen(a)) - instantMs(entryWhen(b)) || createdMs(a) - createdMs(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
