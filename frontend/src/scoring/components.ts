/**
 * The scored components of PROTOCOL.md §3, one small function each.
 *
 * Each function reads the gathered `Facts` and returns either a scored credit (0..1, with the
 * measured value, its target and a plain-language line) or an excluded reason. Weights live in
 * `COMPONENTS`, in the protocol's table order, which is also the tie-break order of the next
 * best action.
 */

import { type ActivityClass, MUSCLE_GROUPS } from "./activities";
import type { Facts } from "./facts";
import { lin } from "./formulas";
import {
  CALCIUM_SITTING_FULL_MG,
  CALCIUM_SITTING_HALF_MG,
  CALCIUM_SITTING_RULE,
  CALCIUM_UPPER_LIMIT_MG,
  type TargetKey,
} from "./targets";
import * as tables from "./tables.gen";
import type { Domain } from "./types";
import { num, plural } from "./wording";

export const DOMAIN_WEIGHTS: Readonly<Record<Domain, number>> = tables.DOMAIN_WEIGHTS;
export const DOMAINS: readonly Domain[] = tables.DOMAINS;

export interface Scored {
  readonly kind: "scored";
  readonly credit: number;
  readonly value: number | null;
  readonly target: number | null;
  readonly unit: string;
  readonly explanation: string;
}

export interface Excluded {
  readonly kind: "excluded";
  readonly reason: string;
}

export type Evaluation = Scored | Excluded;

export interface ComponentSpec {
  readonly key: string;
  readonly domain: Domain;
  readonly weight: number;
  readonly evaluate: (f: Facts) => Evaluation;
}

function scored(
  credit: number,
  value: number | null,
  target: number | null,
  unit: string,
  explanation: string,
): Scored {
  return { kind: "scored", credit, value, target, unit, explanation };
}

function excluded(reason: string): Excluded {
  return { kind: "excluded", reason };
}

// --- bone --------------------------------------------------------------------------------------

export function calciumTotal(f: Facts): Evaluation {
  const total = f.today.total("calcium_mg");
  const target = f.targets.calcium_mg;
  const parts =
    `food ${num(f.today.foodAmount("calcium_mg"))} mg, ` +
    `supplements ${num(f.today.supplementAmount("calcium_mg"))} mg`;
  const limit = f.calciumUpperLimitMg;
  if (total > limit) {
    const above =
      limit === CALCIUM_UPPER_LIMIT_MG
        ? "the 2000 mg upper limit"
        : `your own ${num(limit)} mg calcium target`;
    const line = `Calcium ${num(total)} mg today (${parts}) is above ${above}.`;
    return scored(0.5, total, target, "mg", line);
  }
  const line = `Calcium ${num(total)} of ${num(target)} mg today (${parts}).`;
  return scored(lin(total, target), total, target, "mg", line);
}

export function calciumSittingsComponent(f: Facts): Evaluation {
  const largest = f.largestSittingMg;
  let credit: number;
  let line: string;
  if (f.sittings.length === 0) {
    [credit, line] = [1, "No calcium supplement today, so no dose was too large."];
  } else {
    credit = largest <= CALCIUM_SITTING_FULL_MG ? 1 : largest <= CALCIUM_SITTING_HALF_MG ? 0.5 : 0;
    line = `Most calcium taken at one time: ${num(largest)} mg (${CALCIUM_SITTING_RULE}).`;
  }
  return scored(credit, largest, CALCIUM_SITTING_FULL_MG, "mg", line);
}

export function vitaminD(f: Facts): Evaluation {
  const average = f.week.total("vitamin_d_iu") / 7;
  const target = f.targets.vitamin_d_iu;
  const line = `Vitamin D averages ${num(average)} of ${num(target)} IU a day over the last 7 days.`;
  return scored(lin(average, target), average, target, "IU/day (7-day average)", line);
}

export function vitaminK(f: Facts): Evaluation {
  if (f.profile.on_anticoagulant === true) {
    return excluded("Not scored: your profile says you take an anticoagulant.");
  }
  const food = f.today.foodAmount("vitamin_k_mcg");
  const target = f.targets.vitamin_k_mcg;
  if (f.vitaminKSupplementToday) {
    return scored(1, food, target, "mcg", "A vitamin K supplement was taken today.");
  }
  const line = `Vitamin K from food ${num(food)} of ${num(target)} mcg today.`;
  return scored(lin(food, target), food, target, "mcg", line);
}

export function magnesium(f: Facts): Evaluation {
  const total = f.today.total("magnesium_mg");
  const target = f.targets.magnesium_mg;
  const line = `Magnesium ${num(total)} of ${num(target)} mg today.`;
  return scored(lin(total, target), total, target, "mg", line);
}

export function weightBearing(f: Facts): Evaluation {
  return minutes(f, "weight_bearing_aerobic", "weight_bearing_minutes", "Weight-bearing aerobic");
}

export function resistance(f: Facts): Evaluation {
  const days = f.activity.days.resistance;
  const target = f.targets.resistance_days;
  const groups = f.activity.muscleGroups.length;
  const credit = 0.5 * lin(days, target) + 0.5 * (groups / MUSCLE_GROUPS.length);
  const line =
    `Strength training on ${plural(days, "day")} of ${num(target)} in the last 7 days, ` +
    `${groups} of 7 muscle groups.`;
  return scored(credit, days, target, "days", line);
}

export function highImpact(f: Facts): Evaluation {
  if (f.profile.cleared_for_high_impact !== true) {
    return excluded("Not scored: your profile does not say you are cleared for it.");
  }
  return daysOf(f, "high_impact", "high_impact_days", "High-impact exercise");
}

// --- heart -------------------------------------------------------------------------------------

export function epaDhaComponent(f: Facts): Evaluation {
  const average = f.week.epaDhaMg() / 7;
  const target = f.targets.epa_dha_mg;
  const line = `EPA + DHA averages ${num(average)} of ${num(target)} mg a day over the last 7 days.`;
  return scored(lin(average, target), average, target, "mg/day (7-day average)", line);
}

export function ala(f: Facts): Evaluation {
  return daily(f, "ala_g", "ala_g", "g", "ALA (plant omega-3)", 1);
}

export function fiber(f: Facts): Evaluation {
  return daily(f, "fiber_g", "fiber_g", "g", "Fiber", 0);
}

export function solubleFiberFoods(f: Facts): Evaluation {
  return servingsOf(f, "soluble_fiber", "soluble_fiber_servings", "Soluble-fiber foods");
}

export function polyphenolFoods(f: Facts): Evaluation {
  return servingsOf(f, "polyphenol", "polyphenol_servings", "Polyphenol-rich foods");
}

export function mufaFoods(f: Facts): Evaluation {
  return servingsOf(f, "mufa", "mufa_servings", "Olive oil, avocado and other healthy-fat foods");
}

export function aerobic(f: Facts): Evaluation {
  return minutes(f, "aerobic", "aerobic_minutes", "Aerobic activity");
}

// --- joint -------------------------------------------------------------------------------------

export function lowImpact(f: Facts): Evaluation {
  return daysOf(f, "low_impact", "low_impact_days", "Low-impact exercise");
}

/** Half omega-3 (EPA + DHA, 7-day average), half polyphenol servings today. */
export function antiInflammatoryFoods(f: Facts): Evaluation {
  const average = f.week.epaDhaMg() / 7;
  const epaTarget = f.targets.epa_dha_mg;
  const servings = f.today.serving("polyphenol");
  const polyTarget = f.targets.polyphenol_servings;
  const credit = 0.5 * lin(average, epaTarget) + 0.5 * lin(servings, polyTarget);
  const line =
    `Omega-3 ${num(average)} of ${num(epaTarget)} mg a day (7-day average) and ` +
    `${num(servings, 1)} of ${num(polyTarget)} polyphenol servings today.`;
  return scored(credit, null, null, "", line);
}

export function symptomCheckIn(f: Facts): Evaluation {
  const count = f.symptomsToday;
  const line = count > 0 ? "Joint check-in logged today." : "No joint check-in logged today.";
  return scored(count > 0 ? 1 : 0, count, 1, "check-ins", line);
}

export function healthyWeight(f: Facts): Evaluation {
  const height = f.profile.height_cm;
  const latest = f.latestWeight;
  if (latest === null || !height) {
    const missing = latest !== null ? "height" : "weight in the last 30 days";
    return excluded(`Not scored: no ${missing}.`);
  }
  const bmi = bodyMassIndex(latest.weight_kg, height);
  const line = `BMI ${num(bmi, 1)} from your latest weight (${num(latest.weight_kg, 1)} kg).`;
  return scored(bmiCredit(bmi), bmi, null, "BMI", line);
}

/** kg / m^2, computed as kg x 10000 / cm^2 so band edges such as exactly 25.0 stay exact. */
export function bodyMassIndex(weightKg: number, heightCm: number): number {
  return (weightKg * 10000) / (heightCm * heightCm);
}

export function bmiCredit(bmi: number): number {
  if (bmi >= 30) return 0.3;
  if (bmi >= 25 || bmi < 18.5) return 0.6;
  return 1;
}

// --- shared shapes -----------------------------------------------------------------------------

function minutes(
  f: Facts,
  activityClass: ActivityClass,
  targetKey: TargetKey,
  label: string,
): Scored {
  const value = f.activity.minutes[activityClass];
  const target = f.targets[targetKey];
  const line = `${label}: ${num(value)} of ${num(target)} minutes in the last 7 days.`;
  return scored(lin(value, target), value, target, "min", line);
}

function daysOf(
  f: Facts,
  activityClass: ActivityClass,
  targetKey: TargetKey,
  label: string,
): Scored {
  const days = f.activity.days[activityClass];
  const target = f.targets[targetKey];
  const line = `${label} on ${plural(days, "day")} of ${num(target)} in the last 7 days.`;
  return scored(lin(days, target), days, target, "days", line);
}

function daily(
  f: Facts,
  nutrient: string,
  targetKey: TargetKey,
  unit: string,
  label: string,
  places: number,
): Scored {
  const total = f.today.total(nutrient);
  const target = f.targets[targetKey];
  const line = `${label} ${num(total, places)} of ${num(target, places)} ${unit} today.`;
  return scored(lin(total, target), total, target, unit, line);
}

function servingsOf(f: Facts, group: string, targetKey: TargetKey, label: string): Scored {
  const servings = f.today.serving(group);
  const target = f.targets[targetKey];
  const line = `${label}: ${num(servings, 1)} of ${num(target, 1)} servings today.`;
  return scored(lin(servings, target), servings, target, "servings", line);
}

const EVALUATE: Readonly<Record<string, (f: Facts) => Evaluation>> = {
  calcium_total: calciumTotal,
  calcium_sittings: calciumSittingsComponent,
  vitamin_d: vitaminD,
  vitamin_k: vitaminK,
  magnesium,
  weight_bearing: weightBearing,
  resistance,
  high_impact: highImpact,
  epa_dha: epaDhaComponent,
  ala,
  fiber,
  soluble_fiber_foods: solubleFiberFoods,
  polyphenol_foods: polyphenolFoods,
  mufa_foods: mufaFoods,
  aerobic,
  low_impact: lowImpact,
  anti_inflammatory_foods: antiInflammatoryFoods,
  symptom_check_in: symptomCheckIn,
  healthy_weight: healthyWeight,
};

function evaluator(key: string): (f: Facts) => Evaluation {
  const evaluate = EVALUATE[key];
  if (evaluate === undefined) throw new Error(`no evaluator for component ${key}`);
  return evaluate;
}

/** The protocol's components with their weights (tables.COMPONENT_WEIGHTS), in table order. */
export const COMPONENTS: readonly ComponentSpec[] = tables.COMPONENT_WEIGHTS.map(
  ([key, domain, weight]): ComponentSpec => ({ key, domain, weight, evaluate: evaluator(key) }),
);
