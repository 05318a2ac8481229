/**
 * Builds the scoring engine's input for one local day from IndexedDB, so Today's scores change
 * the moment an entry is saved, online or not.
 */
import {
  addDays,
  computeDayReport,
  localDate,
  units,
  type DayInput,
  type DayReport,
  type Lab,
  type Measurement,
  type RegimenItem,
  type ScoringProfile,
} from "../scoring";
import type { EntityName, Fields, Store, StoredRecord } from "../storage/store";
import { nowWithOffset } from "../reminders/dose";

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
}

export async function loadAll(store: Store): Promise<LocalData> {
  const by = await store.listMany(["profile", ...ENTRY_KINDS]);
  const of = (entity: EntityName): StoredRecord[] => by.get(entity) ?? [];
  return {
    profile: of("profile")[0],
    meals: of("meals"),
    doses: of("doses"),
    workouts: of("workouts"),
    symptoms: of("symptoms"),
    labs: of("labs"),
    measurements: of("measurements"),
    regimen: of("regimen"),
  };
}

export function profileFields(data: LocalData): Fields {
  return data.profile?.fields ?? {};
}

export function timeZone(data: LocalData): string {
  const tz = profileFields(data).time_zone;
  return typeof tz === "string" && tz ? tz : Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
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
  const kg = typeof f.weight_kg === "number" ? f.weight_kg : typeof f.weight_lb === "number" ? units.lbToKg(f.weight_lb) : null;
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

export function dayInput(full: LocalData, day: string): DayInput {
  const data: LocalData = {
    ...full,
    meals: within(full.meals, "eaten_at", day, 7),
    workouts: within(full.workouts, "started_at", day, 7),
    symptoms: within(full.symptoms, "measured_at", day, 7),
    doses: within(full.doses, "taken_at", day, 90),
    measurements: within(full.measurements, "measured_at", day, 30),
    labs: full.labs.filter((r) => typeof r.fields?.measured_at === "string" && r.fields.measured_at.slice(0, 10) <= addDays(day, 2)),
  };
  const p = profileFields(data);
  const profile: ScoringProfile = {
    sex: (p.sex as ScoringProfile["sex"]) ?? null,
    height_cm: (p.height_cm as number | null) ?? null,
    time_zone: timeZone(data),
    cleared_for_high_impact: p.cleared_for_high_impact === true,
    on_anticoagulant: p.on_anticoagulant === true,
    osteoporosis: p.osteoporosis === true,
    target_overrides: (p.target_overrides as ScoringProfile["target_overrides"]) ?? null,
  };
  const regimen: RegimenItem[] = data.regimen.map((r) => ({
    id: r.id,
    ...(r.fields as object),
    name: String(r.fields?.name ?? ""),
    created_at: String(r.fields?.created_at ?? (r.fields?.started_on ? `${String(r.fields.started_on)}T00:00:00+00:00` : "2000-01-01T00:00:00+00:00")),
  }));
  return {
    day,
    profile,
    meals: fieldsOf(data.meals),
    doses: fieldsOf(data.doses),
    workouts: fieldsOf(data.workouts),
    symptoms: fieldsOf(data.symptoms),
    regimen,
    labs: data.labs.map(labOf).filter((l): l is Lab => l !== null),
    measurements: data.measurements.map(measurementOf).filter((m): m is Measurement => m !== null),
  };
}

export function localReport(data: LocalData, day: string): DayReport | null {
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
