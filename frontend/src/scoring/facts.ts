/**
 * Everything the components, flags and actions read, gathered once from a `DayInput`.
 *
 * Gathering assigns each entry its local day, drops entries after the scored day, and fixes a
 * time order, so the rest of the engine only does arithmetic on already-filtered data.
 */

import { type ActivitySummary, summarize } from "./exercise";
import { calciumSittings, containsVitaminK, type Intake, sumIntake } from "./intake";
import { type Targets, targetValues } from "./targets";
import {
  between,
  type Dated,
  dated,
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
  readonly entryCount: number;
}

export function gather(inp: DayInput): Facts {
  const zone = zoneOf(inp.profile.time_zone ?? "UTC");
  const day = parseIsoDate(inp.day);
  const w7 = windowStart(day, 7);
  const meals = dated(inp.meals ?? [], (m) => m.eaten_at, zone, day);
  const doses = dated(inp.doses ?? [], (d) => d.taken_at, zone, day);
  const workouts = dated(inp.workouts ?? [], (w) => w.started_at, zone, day);
  const symptoms = dated(inp.symptoms ?? [], (s) => s.measured_at, zone, day);
  const weights = dated(inp.measurements ?? [], (m) => m.measured_at, zone, day);
  const labs = dated(inp.labs ?? [], (lab) => lab.measured_at, zone, day);
  const dosesToday = within(doses, day, day);
  const recentWeights = between(weights, windowStart(day, WEIGHT_WINDOW_DAYS), day);
  const sittings = calciumSittings(dosesToday);
  const countOn = (pairs: readonly Dated<unknown>[]): number =>
    pairs.filter((p) => p.day === day).length;
  return {
    day,
    zone,
    profile: inp.profile,
    targets: targetValues(inp.profile),
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
    regimen: inp.regimen ?? [],
    entryCount: [meals, doses, workouts, symptoms, weights, labs]
      .map(countOn)
      .reduce((a, b) => a + b, 0),
  };
}
