/**
 * Next best action (PROTOCOL.md §5): the one step that would add the most overall points.
 *
 * points = 100 x domain weight x the component's effective weight x (1 - credit), computed from
 * unrounded credits. Components an entry on the day cannot raise are left out: calcium sittings
 * (a smaller sitting is a choice already made), calcium total above the upper limit (more would
 * not help) and healthy weight. Ties within 1e-9 go to the component listed first in the
 * protocol, which is the order of `COMPONENTS`. The text is one concrete step with numbers,
 * using the person's own regimen where it holds a fitting supplement.
 */

import { type ActivityClass, MUSCLE_GROUPS } from "./activities";
import { byNameThenId } from "./adherence";
import { type ComponentSpec, DOMAIN_WEIGHTS } from "./components";
import type { Facts } from "./facts";
import { lin, ROUNDING_EPSILON, roundPlaces } from "./formulas";
import { amount, VITAMIN_K_FORMS } from "./intake";
import type { TargetKey } from "./targets";
import { compareText, parseInstant } from "./timeline";
import type { NextBestAction, RegimenItem } from "./types";
import { num, say } from "./wording";

export const NOT_RAISABLE: ReadonlySet<string> = new Set(["calcium_sittings", "healthy_weight"]);
export const OILY_FISH_EPA_DHA_MG = 1500;
export const MILK_CALCIUM_MG = 300;
export const SUGGESTED_WALK_MINUTES = 30;

/** A scored (not excluded) component with its unrounded credit. */
export interface Candidate {
  readonly spec: ComponentSpec;
  readonly effectiveWeight: number;
  readonly credit: number;
}

/** The overall points a candidate's shortfall costs. */
export function points(candidate: Candidate): number {
  const domain = DOMAIN_WEIGHTS[candidate.spec.domain];
  return 100 * domain * candidate.effectiveWeight * (1 - candidate.credit);
}

export function nextBestAction(candidates: readonly Candidate[], f: Facts): NextBestAction | null {
  let best: Candidate | null = null;
  let bestPoints = 0;
  for (const candidate of candidates) {
    if (!raisable(candidate, f)) continue;
    const p = points(candidate);
    if (p > bestPoints + ROUNDING_EPSILON) [best, bestPoints] = [candidate, p];
  }
  if (best === null) return null;
  const phrase = PHRASES.get(best.spec.key);
  const text = phrase === undefined ? "" : phrase(f);
  return { key: best.spec.key, points: roundPlaces(bestPoints, 2), text };
}

function raisable(candidate: Candidate, f: Facts): boolean {
  return raisableKey(candidate.spec.key, f);
}

function raisableKey(key: string, f: Facts): boolean {
  if (NOT_RAISABLE.has(key)) return false;
  return !(key === "calcium_total" && f.today.total("calcium_mg") > f.calciumUpperLimitMg);
}

/**
 * What the next best action would say if it were `key` today; null if `key` cannot be raised.
 * The golden phrase file pins it for every vector and every component not yet full, so both
 * engines' phrases are compared, not only the one a day happens to choose.
 */
export function phraseOf(key: string, f: Facts): string | null {
  const phrase = PHRASES.get(key);
  return phrase !== undefined && raisableKey(key, f) ? phrase(f) : null;
}

// --- the person's own supplements --------------------------------------------------------------

function perDose(item: RegimenItem, nutrient: string): number {
  return amount(item.nutrients_per_unit, nutrient) * (item.default_units ?? 1);
}

/** The first active regimen item (by name) that supplies `nutrient`. */
function itemWith(f: Facts, nutrient: string): RegimenItem | null {
  const items = f.regimen.filter((i) => (i.active ?? true) && perDose(i, nutrient) > 0);
  return [...items].sort(byNameThenId)[0] ?? null;
}

function minutesOf(hhmm: string): number {
  const [hours = "", minutes = ""] = hhmm.split(":");
  return Number.parseInt(hours, 10) * 60 + Number.parseInt(minutes, 10);
}

/**
 * Whether the item's dose at `time` is due on the day, by the rule the dose cards use
 * (app/doseSlots.ts): the item does not exist before its start (PROTOCOL.md §1), and on the day
 * it was added, with no `started_on` given, a time already past when it was added is not due
 * ("First dose: tomorrow at 08:00"); naming that dose contradicted the cards beside it.
 */
function dueOnDay(f: Facts, item: RegimenItem, time: string): boolean {
  if (f.day < (f.itemStarts.get(item.id) ?? f.day)) return false;
  if (item.started_on != null) return true;
  const created = parseInstant(item.created_at);
  return f.zone.date(created) !== f.day || minutesOf(time) >= minutesOf(f.zone.time(created));
}

/**
 * "your evening calcium dose" for the item's first open time that is due on the day (doses
 * logged count against its earliest times, as on the dose cards), "a dose of X" once every time
 * is taken or when it has none, and null when its open times are not due on the day (it starts
 * later, or they were past when it was added): the step then names no dose.
 */
function doseLabel(f: Facts, item: RegimenItem, what: string): string | null {
  if (f.day < (f.itemStarts.get(item.id) ?? f.day)) return null;
  const taken = f.dosesToday.filter((d) => d.entry.regimen_item_id === item.id).length;
  const times = [...(item.schedule_times ?? [])].sort(compareText);
  if (taken >= times.length) return say("action.dose.any", { name: item.name });
  const next = times.slice(taken).find((t) => dueOnDay(f, item, t));
  if (next === undefined) return null;
  const hour = Number.parseInt(next.split(":")[0] ?? "", 10);
  const part = hour < 11 ? "morning" : hour < 15 ? "midday" : hour < 18 ? "afternoon" : "evening";
  return say("action.dose", { part, what, name: item.name });
}

// --- phrases -----------------------------------------------------------------------------------

function calciumTotal(f: Facts): string {
  const total = f.today.total("calcium_mg");
  const target = f.targets.calcium_mg;
  const item = itemWith(f, "calcium_mg");
  const label = item === null ? null : doseLabel(f, item, "calcium");
  if (item !== null && label !== null && total + perDose(item, "calcium_mg") <= f.calciumUpperLimitMg) {
    const dose = perDose(item, "calcium_mg");
    return say("action.calcium_total", {
      dose_label: label,
      dose: num(dose),
      after: num(total + dose),
      target: num(target),
    });
  }
  const step = Math.min(MILK_CALCIUM_MG, target - total);
  return say("action.calcium_total.milk", {
    step: num(step),
    total: num(total),
    after: num(total + step),
    target: num(target),
  });
}

function vitaminD(f: Facts): string {
  const average = f.week.total("vitamin_d_iu") / 7;
  const target = f.targets.vitamin_d_iu;
  const item = itemWith(f, "vitamin_d_iu");
  const label = item === null ? null : doseLabel(f, item, "vitamin D");
  if (item !== null && label !== null) {
    const dose = perDose(item, "vitamin_d_iu");
    return say("action.vitamin_d", {
      dose_label: label,
      dose: num(dose),
      after: num(average + dose / 7),
      target: num(target),
    });
  }
  const need = 7 * (target - average);
  return say("action.vitamin_d.log", { need: num(need), target: num(target) });
}

function vitaminK(f: Facts): string {
  const food = f.today.foodAmount("vitamin_k_mcg");
  const target = f.targets.vitamin_k_mcg;
  const names = f.regimen
    .filter((i) => (i.active ?? true) && VITAMIN_K_FORMS.has(i.form ?? "other"))
    .map((i) => i.name)
    .sort(compareText);
  const name = names[0];
  if (name !== undefined) return say("action.vitamin_k", { name });
  return say("action.vitamin_k.food", { need: num(target - food), target: num(target) });
}

function magnesium(f: Facts): string {
  const total = f.today.total("magnesium_mg");
  const target = f.targets.magnesium_mg;
  const item = itemWith(f, "magnesium_mg");
  const label = item === null ? null : doseLabel(f, item, "magnesium");
  if (item !== null && label !== null) {
    const dose = perDose(item, "magnesium_mg");
    return say("action.magnesium", {
      dose_label: label,
      dose: num(dose),
      after: num(total + dose),
      target: num(target),
    });
  }
  return say("action.magnesium.food", { need: num(target - total), target: num(target) });
}

function walk(
  f: Facts,
  activityClass: ActivityClass,
  targetKey: TargetKey,
  key: "weight_bearing" | "aerobic",
): string {
  const minutes = f.activity.minutes[activityClass];
  const target = f.targets[targetKey];
  const step = Math.min(SUGGESTED_WALK_MINUTES, Math.ceil(target - minutes));
  return say(`action.${key}`, {
    walk: String(step),
    minutes: num(minutes),
    after: num(minutes + step),
    target: num(target),
  });
}

function daysStep(
  f: Facts,
  activityClass: ActivityClass,
  targetKey: TargetKey,
  key: "resistance" | "high_impact" | "low_impact",
): string {
  const days = f.activity.days[activityClass];
  const target = f.targets[targetKey];
  if (f.activity.today.has(activityClass)) {
    return say(`action.${key}.again`, { days: String(days), target: num(target) });
  }
  return say(`action.${key}.today`, {
    days: String(days),
    after: String(days + 1),
    target: num(target),
  });
}

function resistance(f: Facts): string {
  const days = f.activity.days.resistance;
  const target = f.targets.resistance_days;
  const missing = MUSCLE_GROUPS.filter((g) => !f.activity.muscleGroups.includes(g));
  if (days >= target || f.activity.today.has("resistance")) {
    if (missing.length > 0) {
      return say("action.resistance.groups", {
        groups: missing.join(", "),
        trained: String(7 - missing.length),
      });
    }
    return daysStep(f, "resistance", "resistance_days", "resistance");
  }
  return say("action.resistance", {
    days: String(days),
    after: String(days + 1),
    target: num(target),
  });
}

function epaDha(f: Facts): string {
  const average = f.week.epaDhaMg() / 7;
  const target = f.targets.epa_dha_mg;
  return say("action.epa_dha", {
    average: num(average),
    after: num(average + OILY_FISH_EPA_DHA_MG / 7),
    target: num(target),
  });
}

function ala(f: Facts): string {
  const total = f.today.total("ala_g");
  const target = f.targets.ala_g;
  return say("action.ala", { need: num(target - total, 1), target: num(target, 1) });
}

function fiber(f: Facts): string {
  const total = f.today.total("fiber_g");
  const target = f.targets.fiber_g;
  return say("action.fiber", { need: num(target - total), target: num(target) });
}

function servingsStep(
  f: Facts,
  group: string,
  targetKey: TargetKey,
  key: "soluble_fiber_foods" | "polyphenol_foods" | "mufa_foods" | "anti_inflammatory_foods",
): string {
  const servings = f.today.serving(group);
  const target = f.targets[targetKey];
  const step = Math.min(1, target - servings);
  const amountText =
    step === 1 ? say("action.serving") : say("action.serving.part", { step: num(step, 1) });
  return say(`action.${key}`, {
    amount: amountText,
    servings: num(servings, 1),
    after: num(servings + step, 1),
    target: num(target, 1),
  });
}

function antiInflammatory(f: Facts): string {
  const epaShort = 1 - lin(f.week.epaDhaMg() / 7, f.targets.epa_dha_mg);
  const polyShort = 1 - lin(f.today.serving("polyphenol"), f.targets.polyphenol_servings);
  if (polyShort >= epaShort) {
    return servingsStep(f, "polyphenol", "polyphenol_servings", "anti_inflammatory_foods");
  }
  return epaDha(f);
}

function symptomCheckIn(): string {
  return say("action.symptom_check_in");
}

const PHRASES: ReadonlyMap<string, (f: Facts) => string> = new Map([
  ["calcium_total", calciumTotal],
  ["vitamin_d", vitaminD],
  ["vitamin_k", vitaminK],
  ["magnesium", magnesium],
  [
    "weight_bearing",
    (f: Facts) => walk(f, "weight_bearing_aerobic", "weight_bearing_minutes", "weight_bearing"),
  ],
  ["resistance", resistance],
  ["high_impact", (f: Facts) => daysStep(f, "high_impact", "high_impact_days", "high_impact")],
  ["epa_dha", epaDha],
  ["ala", ala],
  ["fiber", fiber],
  [
    "soluble_fiber_foods",
    (f: Facts) =>
      servingsStep(f, "soluble_fiber", "soluble_fiber_servings", "soluble_fiber_foods"),
  ],
  [
    "polyphenol_foods",
    (f: Facts) => servingsStep(f, "polyphenol", "polyphenol_servings", "polyphenol_foods"),
  ],
  ["mufa_foods", (f: Facts) => servingsStep(f, "mufa", "mufa_servings", "mufa_foods")],
  ["aerobic", (f: Facts) => walk(f, "aerobic", "aerobic_minutes", "aerobic")],
  ["low_impact", (f: Facts) => daysStep(f, "low_impact", "low_impact_days", "low_impact")],
  ["anti_inflammatory_foods", antiInflammatory],
  ["symptom_check_in", symptomCheckIn],
]);
