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
import { num, plural, say } from "./wording";

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
  const parts = say("component.calcium_total.parts", {
    food: num(f.today.foodAmount("calcium_mg")),
    supplements: num(f.today.supplementAmount("calcium_mg")),
  });
  const limit = f.calciumUpperLimitMg;
  if (total > limit) {
    const above =
      limit === CALCIUM_UPPER_LIMIT_MG
        ? say("component.calcium_total.upper_limit")
        : say("calcium.own_target", { limit: num(limit) });
    const line = say("component.calcium_total.above", { total: num(total), parts, limit: above });
    return scored(0.5, total, target, "mg", line);
  }
  const line = say("component.calcium_total", { total: num(total), target: num(target), parts });
  return scored(lin(total, target), total, target, "mg", line);
}

export function calciumSittingsComponent(f: Facts): Evaluation {
  const largest = f.largestSittingMg;
  let credit: number;
  let line: string;
  if (f.sittings.length === 0) {
    [credit, line] = [1, say("component.calcium_sittings.none")];
  } else {
    credit = largest <= CALCIUM_SITTING_FULL_MG ? 1 : largest <= CALCIUM_SITTING_HALF_MG ? 0.5 : 0;
    line = say("component.calcium_sittings", { largest: num(largest), rule: CALCIUM_SITTING_RULE });
  }
  return scored(credit, largest, CALCIUM_SITTING_FULL_MG, "mg", line);
}

export function vitaminD(f: Facts): Evaluation {
  const average = f.week.total("vitamin_d_iu") / 7;
  const target = f.targets.vitamin_d_iu;
  const line = say("component.vitamin_d", { average: num(average), target: num(target) });
  return scored(lin(average, target), average, target, "IU/day (7-day average)", line);
}

export function vitaminK(f: Facts): Evaluation {
  if (f.profile.on_anticoagulant === true) {
    return excluded(say("component.vitamin_k.excluded"));
  }
  const food = f.today.foodAmount("vitamin_k_mcg");
  const target = f.targets.vitamin_k_mcg;
  if (f.vitaminKSupplementToday) {
    return scored(1, food, target, "mcg", say("component.vitamin_k.supplement"));
  }
  const line = say("component.vitamin_k", { food: num(food), target: num(target) });
  return scored(lin(food, target), food, target, "mcg", line);
}

export function magnesium(f: Facts): Evaluation {
  const total = f.today.total("magnesium_mg");
  const target = f.targets.magnesium_mg;
  const line = say("component.magnesium", { total: num(total), target: num(target) });
  return scored(lin(total, target), total, target, "mg", line);
}

export function weightBearing(f: Facts): Evaluation {
  return minutes(f, "weight_bearing_aerobic", "weight_bearing_minutes", "weight_bearing");
}

export function resistance(f: Facts): Evaluation {
  const days = f.activity.days.resistance;
  const target = f.targets.resistance_days;
  const groups = f.activity.muscleGroups.length;
  const credit = 0.5 * lin(days, target) + 0.5 * (groups / MUSCLE_GROUPS.length);
  const line = say("component.resistance", {
    days: plural(days, "day"),
    target: num(target),
    groups: String(groups),
  });
  return scored(credit, days, target, "days", line);
}

export function highImpact(f: Facts): Evaluation {
  if (f.profile.cleared_for_high_impact !== true) {
    return excluded(say("component.high_impact.excluded"));
  }
  return daysOf(f, "high_impact", "high_impact_days", "high_impact");
}

// --- heart -------------------------------------------------------------------------------------

export function epaDhaComponent(f: Facts): Evaluation {
  const average = f.week.epaDhaMg() / 7;
  const target = f.targets.epa_dha_mg;
  const line = say("component.epa_dha", { average: num(average), target: num(target) });
  return scored(lin(average, target), average, target, "mg/day (7-day average)", line);
}

export function ala(f: Facts): Evaluation {
  return daily(f, "ala_g", "ala_g", "g", "ala", 1);
}

export function fiber(f: Facts): Evaluation {
  return daily(f, "fiber_g", "fiber_g", "g", "fiber", 0);
}

export function solubleFiberFoods(f: Facts): Evaluation {
  return servingsOf(f, "soluble_fiber", "soluble_fiber_servings", "soluble_fiber_foods");
}

export function polyphenolFoods(f: Facts): Evaluation {
  return servingsOf(f, "polyphenol", "polyphenol_servings", "polyphenol_foods");
}

export function mufaFoods(f: Facts): Evaluation {
  return servingsOf(f, "mufa", "mufa_servings", "mufa_foods");
}

export function aerobic(f: Facts): Evaluation {
  return minutes(f, "aerobic", "aerobic_minutes", "aerobic");
}

// --- joint -------------------------------------------------------------------------------------

export function lowImpact(f: Facts): Evaluation {
  return daysOf(f, "low_impact", "low_impact_days", "low_impact");
}

/** Half omega-3 (EPA + DHA, 7-day average), half polyphenol servings today. */
export function antiInflammatoryFoods(f: Facts): Evaluation {
  const average = f.week.epaDhaMg() / 7;
  const epaTarget = f.targets.epa_dha_mg;
  const servings = f.today.serving("polyphenol");
  const polyTarget = f.targets.polyphenol_servings;
  const credit = 0.5 * lin(average, epaTarget) + 0.5 * lin(servings, polyTarget);
  const line = say("component.anti_inflammatory_foods", {
    average: num(average),
    epa_target: num(epaTarget),
    servings: plural(servings, "serving", 1),
    poly_target: plural(polyTarget, "serving"),
  });
  return scored(credit, null, null, "", line);
}

export function symptomCheckIn(f: Facts): Evaluation {
  const count = f.symptomsToday;
  const line = say(count > 0 ? "component.symptom_check_in" : "component.symptom_check_in.missing");
  return scored(count > 0 ? 1 : 0, count, 1, "check-ins", line);
}

export function healthyWeight(f: Facts): Evaluation {
  const height = f.profile.height_cm;
  const latest = f.latestWeight;
  if (latest === null || !height) {
    const missing = latest !== null ? "no_height" : "no_weight";
    return excluded(say(`component.healthy_weight.${missing}`));
  }
  const bmi = bodyMassIndex(latest.weight_kg, height);
  const line = say("component.healthy_weight", {
    bmi: num(bmi, 1),
    weight: num(latest.weight_kg, 1),
  });
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
  key: "weight_bearing" | "aerobic",
): Scored {
  const value = f.activity.minutes[activityClass];
  const target = f.targets[targetKey];
  const line = say(`component.${key}`, { minutes: num(value), target: num(target) });
  return scored(lin(value, target), value, target, "min", line);
}

function daysOf(
  f: Facts,
  activityClass: ActivityClass,
  targetKey: TargetKey,
  key: "high_impact" | "low_impact",
): Scored {
  const days = f.activity.days[activityClass];
  const target = f.targets[targetKey];
  const line = say(`component.${key}`, { days: plural(days, "day"), target: num(target) });
  return scored(lin(days, target), days, target, "days", line);
}

function daily(
  f: Facts,
  nutrient: string,
  targetKey: TargetKey,
  unit: string,
  key: "ala" | "fiber",
  places: number,
): Scored {
  const total = f.today.total(nutrient);
  const target = f.targets[targetKey];
  const line = say(`component.${key}`, {
    total: num(total, places),
    target: num(target, places),
  });
  return scored(lin(total, target), total, target, unit, line);
}

function servingsOf(
  f: Facts,
  group: string,
  targetKey: TargetKey,
  key: "soluble_fiber_foods" | "polyphenol_foods" | "mufa_foods",
): Scored {
  const servings = f.today.serving(group);
  const target = f.targets[targetKey];
  // "0 servings; the aim is 1 serving a day": plain words, never "0 of 1 servings".
  const line = say(`component.${key}`, { servings: plural(servings, "serving", 1), target: plural(target, "serving", 1) });
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
