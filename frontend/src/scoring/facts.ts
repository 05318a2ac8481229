/**
 * Everything the components, flags and actions read, gathered once from a `DayInput`.
 *
 * Gathering assigns each entry its local day, drops entries after the scored day, and fixes a
 * time order, so the rest of the engine only does arithmetic on already-filtered data.
 */

import { type ActivitySummary, summarize } from "./exercise";
import { calciumSittings, containsVitaminK, type Intake, sumIntake } from "./intake";
import { CALCIUM_UPPER_LIMIT_MG, type Targets, targetValues } from "./targets";
import {
  between,
  type Dated,
  dated,
  type EpochMs,
  parseInstant,
  parseIsoDate,
  windowStart,
  within,
  type Zone,
  zoneOf,
} from "./timeline";
import type {
  DayInput,
  Dose,
  IsoDate,
  Lab,
  Meal,
  Measurement,
  RegimenItem,
  ScoringProfile,
  Symptom,
  Workout,
} from "./types";

export const WEIGHT_WINDOW_DAYS = 30;

export interface Facts {
  readonly day: IsoDate;
  readonly zone: Zone;
  readonly profile: ScoringProfile;
  readonly targets: Targets;
  readonly today: Intake;
  readonly week: Intake;
  readonly dosesToday: readonly Dated<Dose>[];
  readonly sittings: readonly number[];
  readonly largestSittingMg: number;
  readonly vitaminKSupplementToday: boolean;
  readonly activity: ActivitySummary;
  readonly workoutsToday: readonly Workout[];
  readonly symptomsW7: readonly Dated<Symptom>[];
  readonly symptomsToday: number;
  readonly latestWeight: Measurement | null;
  readonly meals: readonly Dated<Meal>[];
  readonly doses: readonly Dated<Dose>[];
  readonly labs: readonly Dated<Lab>[];
  readonly regimen: readonly RegimenItem[];
  readonly itemStarts: ReadonlyMap<string, IsoDate>;
  /** Every meal's instant, up to 60 minutes past the day's end too (the carbonate flag). */
  readonly mealTimes: readonly EpochMs[];
  /** Supplement sums without the doses of items set by the care team (upper-limit flags). */
  readonly selfDirectedToday: Intake;
  readonly selfDirectedWeek: Intake;
  readonly calciumUpperLimitMg: number;
  readonly entryCount: number;
}

export function gather(inp: DayInput): Facts {
  const zone = zoneOf(inp.profile.time_zone ?? "UTC");
  const day = parseIsoDate(inp.day);
  const w7 = windowStart(day, 7);
  const regimen = inp.regimen ?? [];
  const items = new Map(regimen.map((item) => [item.id, item]));
  const meals = dated(inp.meals ?? [], (m) => m.eaten_at, zone, day);
  const doses = dated(
    (inp.doses ?? []).map((d) => withItemForm(d, items)),
    (d) => d.taken_at,
    zone,
    day,
  );
  const workouts = dated(inp.workouts ?? [], (w) => w.started_at, zone, day);
  const symptoms = dated(inp.symptoms ?? [], (s) => s.measured_at, zone, day);
  const weights = dated(inp.measurements ?? [], (m) => m.measured_at, zone, day);
  const labs = dated(inp.labs ?? [], (lab) => lab.measured_at, zone, day);
  const dosesToday = within(doses, day, day);
  const recentWeights = between(weights, windowStart(day, WEIGHT_WINDOW_DAYS), day);
  const sittings = calciumSittings(dosesToday);
  const countOn = (pairs: readonly Dated<unknown>[]): number =>
    pairs.filter((p) => p.day === day).length;
  const careTeam = new Set(regimen.filter((i) => i.set_by_care_team === true).map((i) => i.id));
  const selfDirected = (list: readonly Dose[]): Dose[] =>
    list.filter((d) => d.regimen_item_id == null || !careTeam.has(d.regimen_item_id));
  const targets = targetValues(inp.profile);
  return {
    day,
    zone,
    profile: inp.profile,
    targets,
    today: sumIntake(
      between(meals, day, day),
      dosesToday.map((d) => d.entry),
    ),
    week: sumIntake(between(meals, w7, day), between(doses, w7, day)),
    dosesToday,
    sittings,
    largestSittingMg: sittings.length === 0 ? 0 : Math.max(...sittings),
    vitaminKSupplementToday: dosesToday.some((d) => containsVitaminK(d.entry)),
    activity: summarize(
      workouts.filter((w) => w.day >= w7),
      day,
    ),
    workoutsToday: between(workouts, day, day),
    symptomsW7: symptoms.filter((s) => s.day >= w7),
    symptomsToday: between(symptoms, day, day).length,
    latestWeight: recentWeights[recentWeights.length - 1] ?? null,
    meals,
    doses,
    labs,
    regimen,
    itemStarts: new Map(regimen.map((item) => [item.id, itemStart(item, inp.doses ?? [], zone)])),
    mealTimes: (inp.meals ?? []).map((m) => parseInstant(m.eaten_at)),
    selfDirectedToday: sumIntake([], selfDirected(dosesToday.map((d) => d.entry))),
    selfDirectedWeek: sumIntake([], selfDirected(between(doses, w7, day))),
    calciumUpperLimitMg: Math.max(CALCIUM_UPPER_LIMIT_MG, targets.calcium_mg),
    entryCount: [meals, doses, workouts, symptoms, weights, labs]
      .map(countOn)
      .reduce((a, b) => a + b, 0),
  };
}

/**
 * The dose with its item's form when it names none, as the API stores it (§3 vitamin K by form,
 * §4 carbonate): a bare "taken" logged on the phone scores the same as on the server.
 */
export function withItemForm(dose: Dose, items: ReadonlyMap<string, RegimenItem>): Dose {
  const item = dose.regimen_item_id != null ? items.get(dose.regimen_item_id) : undefined;
  if (dose.form != null || item === undefined) return dose;
  return { ...dose, form: item.form ?? "other" };
}

/**
 * PROTOCOL.md §1 (v1.1): `started_on`, else the earlier of the creation day and the day of the
 * item's earliest logged dose (given as `earliest_dose_at`, or among `doses`).
 */
export function itemStart(item: RegimenItem, doses: readonly Dose[], zone: Zone): IsoDate {
  if (item.started_on != null) return parseIsoDate(item.started_on);
  let first = zone.date(parseInstant(item.created_at));
  const consider = (instant: string): void => {
    const day = zone.date(parseInstant(instant));
    if (day < first) first = day;
  };
  for (const d of doses) if (d.regimen_item_id === item.id) consider(d.taken_at);
  if (item.earliest_dose_at != null) consider(item.earliest_dose_at);
  return first;
}
