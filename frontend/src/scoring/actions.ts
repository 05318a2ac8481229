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
import { compareText } from "./timeline";
import type { NextBestAction, RegimenItem } from "./types";
import { num } from "./wording";

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
  const key = candidate.spec.key;
  if (NOT_RAISABLE.has(key)) return false;
  return !(key === "calcium_total" && f.today.total("calcium_mg") > f.calciumUpperLimitMg);
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

/** "your evening calcium dose" when the schedule tells which dose is next, else "a dose". */
function doseLabel(f: Facts, item: RegimenItem, what: string): string {
  const taken = f.dosesToday.filter((d) => d.entry.regimen_item_id === item.id).length;
  const times = [...(item.schedule_times ?? [])].sort(compareText);
  const next = times[taken];
  if (next === undefined) return `a dose of ${item.name}`;
  const hour = Number.parseInt(next.split(":")[0] ?? "", 10);
  const part = hour < 11 ? "morning" : hour < 15 ? "midday" : hour < 18 ? "afternoon" : "evening";
  return `your ${part} ${what} dose (${item.name})`;
}

// --- phrases -----------------------------------------------------------------------------------

function calciumTotal(f: Facts): string {
  const total = f.today.total("calcium_mg");
  const target = f.targets.calcium_mg;
  const item = itemWith(f, "calcium_mg");
  if (item !== null && total + perDose(item, "calcium_mg") <= f.calciumUpperLimitMg) {
    const dose = perDose(item, "calcium_mg");
    return (
      `Take ${doseLabel(f, item, "calcium")}: ${num(dose)} mg would bring calcium to ` +
      `${num(total + dose)} of ${num(target)} mg.`
    );
  }
  const step = Math.min(MILK_CALCIUM_MG, target - total);
  return (
    `Have a glass of milk or fortified soy drink (about ${num(step)} mg of calcium): calcium ` +
    `would go from ${num(total)} to ${num(total + step)} of ${num(target)} mg.`
  );
}

function vitaminD(f: Facts): string {
  const average = f.week.total("vitamin_d_iu") / 7;
  const target = f.targets.vitamin_d_iu;
  const item = itemWith(f, "vitamin_d_iu");
  if (item !== null) {
    const dose = perDose(item, "vitamin_d_iu");
    return (
      `Take ${doseLabel(f, item, "vitamin D")}: ${num(dose)} IU would bring your 7-day ` +
      `average to ${num(average + dose / 7)} of ${num(target)} IU.`
    );
  }
  const need = 7 * (target - average);
  return (
    `Log vitamin D from a supplement or food: ${num(need)} IU today would bring your 7-day ` +
    `average to ${num(target)} IU.`
  );
}

function vitaminK(f: Facts): string {
  const food = f.today.foodAmount("vitamin_k_mcg");
  const target = f.targets.vitamin_k_mcg;
  const names = f.regimen
    .filter((i) => (i.active ?? true) && VITAMIN_K_FORMS.has(i.form ?? "other"))
    .map((i) => i.name)
    .sort(compareText);
  const name = names[0];
  if (name !== undefined) {
    return `Take your ${name}: a vitamin K2 dose gives full vitamin K credit today.`;
  }
  return (
    `Add ${num(target - food)} mcg of vitamin K from food (a cup of raw spinach has about ` +
    `145 mcg) to reach ${num(target)} mcg.`
  );
}

function magnesium(f: Facts): string {
  const total = f.today.total("magnesium_mg");
  const target = f.targets.magnesium_mg;
  const item = itemWith(f, "magnesium_mg");
  if (item !== null) {
    const dose = perDose(item, "magnesium_mg");
    return (
      `Take ${doseLabel(f, item, "magnesium")}: ${num(dose)} mg would bring magnesium to ` +
      `${num(total + dose)} of ${num(target)} mg.`
    );
  }
  return (
    `Add ${num(target - total)} mg of magnesium (a handful of almonds has about 80 mg; ` +
    `leafy greens and beans help too) to reach ${num(target)} mg.`
  );
}

function walk(
  f: Facts,
  activityClass: ActivityClass,
  targetKey: TargetKey,
  label: string,
  what: string,
): string {
  const minutes = f.activity.minutes[activityClass];
  const target = f.targets[targetKey];
  const step = Math.min(SUGGESTED_WALK_MINUTES, Math.ceil(target - minutes));
  return (
    `Take a ${step}-minute ${what}: ${label} minutes this week would go from ${num(minutes)} ` +
    `to ${num(minutes + step)} of ${num(target)}.`
  );
}

function daysStep(
  f: Facts,
  activityClass: ActivityClass,
  targetKey: TargetKey,
  step: string,
  label: string,
): string {
  const days = f.activity.days[activityClass];
  const target = f.targets[targetKey];
  if (f.activity.today.has(activityClass)) {
    return `Plan ${step} on another day this week: ${label} days so far ${days} of ${num(target)}.`;
  }
  return (
    `Do ${step} today: ${label} days this week would go from ${days} to ${days + 1} of ` +
    `${num(target)}.`
  );
}

function resistance(f: Facts): string {
  const days = f.activity.days.resistance;
  const target = f.targets.resistance_days;
  const missing = MUSCLE_GROUPS.filter((g) => !f.activity.muscleGroups.includes(g));
  if (days >= target || f.activity.today.has("resistance")) {
    if (missing.length > 0) {
      return (
        `Add a short strength set for your ${missing.join(", ")}: muscle groups this ` +
        `week would go from ${7 - missing.length} to 7 of 7.`
      );
    }
    return daysStep(f, "resistance", "resistance_days", "a strength session", "strength");
  }
  return (
    "Do a 20-minute full-body strength session today (squats, push-ups, bands): strength " +
    `days this week would go from ${days} to ${days + 1} of ${num(target)}, ` +
    "with all 7 muscle groups."
  );
}

function epaDha(f: Facts): string {
  const average = f.week.epaDhaMg() / 7;
  const target = f.targets.epa_dha_mg;
  return (
    "Eat a portion of oily fish (salmon, mackerel or sardines, about 1500 mg EPA + DHA): " +
    `your 7-day average would go from ${num(average)} to ` +
    `${num(average + OILY_FISH_EPA_DHA_MG / 7)} of ${num(target)} mg.`
  );
}

function ala(f: Facts): string {
  const total = f.today.total("ala_g");
  const target = f.targets.ala_g;
  return (
    `Add ${num(target - total, 1)} g of ALA (a tablespoon of ground flaxseed has about ` +
    `2.3 g) to reach ${num(target, 1)} g.`
  );
}

function fiber(f: Facts): string {
  const total = f.today.total("fiber_g");
  const target = f.targets.fiber_g;
  return (
    `Add ${num(target - total)} g of fiber (a cup of cooked beans has about 12 g, a bowl of ` +
    `oats about 4 g) to reach ${num(target)} g.`
  );
}

function servingsStep(f: Facts, group: string, targetKey: TargetKey, foods: string): string {
  const servings = f.today.serving(group);
  const target = f.targets[targetKey];
  const step = Math.min(1, target - servings);
  const amountText = step === 1 ? "a serving" : `${num(step, 1)} of a serving`;
  return (
    `Have ${amountText} of ${foods}: these servings today would go from ${num(servings, 1)} ` +
    `to ${num(servings + step, 1)} of ${num(target, 1)}.`
  );
}

function antiInflammatory(f: Facts): string {
  const epaShort = 1 - lin(f.week.epaDhaMg() / 7, f.targets.epa_dha_mg);
  const polyShort = 1 - lin(f.today.serving("polyphenol"), f.targets.polyphenol_servings);
  if (polyShort >= epaShort) {
    return servingsStep(f, "polyphenol", "polyphenol_servings", "colourful fruit or vegetables");
  }
  return epaDha(f);
}

function symptomCheckIn(): string {
  return (
    "Log today's joint check-in (worst pain 0-10 and morning stiffness): it takes a few " +
    "seconds and shows you and your care team how your joints are doing."
  );
}

const PHRASES: ReadonlyMap<string, (f: Facts) => string> = new Map([
  ["calcium_total", calciumTotal],
  ["vitamin_d", vitaminD],
  ["vitamin_k", vitaminK],
  ["magnesium", magnesium],
  [
    "weight_bearing",
    (f: Facts) =>
      walk(f, "weight_bearing_aerobic", "weight_bearing_minutes", "weight-bearing", "brisk walk"),
  ],
  ["resistance", resistance],
  [
    "high_impact",
    (f: Facts) =>
      daysStep(
        f,
        "high_impact",
        "high_impact_days",
        "a few minutes of jumping or plyometrics",
        "high-impact",
      ),
  ],
  ["epa_dha", epaDha],
  ["ala", ala],
  ["fiber", fiber],
  [
    "soluble_fiber_foods",
    (f: Facts) =>
      servingsStep(f, "soluble_fiber", "soluble_fiber_servings", "oats, barley, apples or beans"),
  ],
  [
    "polyphenol_foods",
    (f: Facts) =>
      servingsStep(
        f,
        "polyphenol",
        "polyphenol_servings",
        "colourful fruit or vegetables, green tea or dark chocolate",
      ),
  ],
  [
    "mufa_foods",
    (f: Facts) => servingsStep(f, "mufa", "mufa_servings", "olive oil, avocado or nuts"),
  ],
  ["aerobic", (f: Facts) => walk(f, "aerobic", "aerobic_minutes", "aerobic", "brisk walk or ride")],
  [
    "low_impact",
    (f: Facts) =>
      daysStep(
        f,
        "low_impact",
        "low_impact_days",
        "a swim, bike ride or yoga session",
        "low-impact",
      ),
  ],
  ["anti_inflammatory_foods", antiInflammatory],
  ["symptom_check_in", symptomCheckIn],
]);
