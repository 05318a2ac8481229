/**
 * Nutrient and serving sums, and calcium sittings (PROTOCOL.md §1, §3 bone).
 *
 * A day's amount is the sum over its meal items and doses; an unknown amount (missing or null)
 * adds nothing and is never read as a measured 0. Every logged dose counts as a supplement
 * source, whatever its `kind`: a calcium tablet a clinician filed as a "medicine" is still
 * supplement calcium, and NIH ODS's magnesium upper limit covers "supplements and medicines"
 * alike.
 *
 * Sittings. The gut absorbs calcium best in amounts of 500 mg or less at a time, so the
 * protocol scores the largest *sitting*, not the largest tablet: two 400 mg tablets 45 minutes
 * apart are one 800 mg sitting. Sittings are formed greedily in time order: the first calcium
 * dose opens a sitting, every later dose taken within 60 minutes (inclusive) of that first dose
 * joins it, and the first dose beyond the 60 minutes opens the next sitting. Anchoring on the
 * first dose (not the previous one) stops a chain of doses 50 minutes apart from merging into
 * one all-day "sitting".
 */

import type { Dated, EpochMs } from "./timeline";
import type { Dose, Meal, Nutrients, Servings } from "./types";

/** 60 minutes, in milliseconds: the span of a sitting, and of "with food". */
export const SITTING_SPAN_MS = 60 * 60 * 1000;
export const SERVING_KEYS = ["soluble_fiber", "polyphenol", "mufa"] as const;
export const VITAMIN_K_FORMS: ReadonlySet<string> = new Set([
  "vitamin_k2_mk7",
  "vitamin_k2_mk4",
  "vitamin_k1",
]);

/** One nutrient amount; unknown counts as nothing. */
export function amount(nutrients: Nutrients | null | undefined, key: string): number {
  if (nutrients == null || !Object.hasOwn(nutrients, key)) return 0;
  return nutrients[key] ?? 0;
}

export function epaDha(nutrients: Nutrients | null | undefined): number {
  return amount(nutrients, "epa_mg") + amount(nutrients, "dha_mg");
}

/** Sums of one or more days: nutrients split by source, servings from both. */
export class Intake {
  constructor(
    readonly food: ReadonlyMap<string, number>,
    readonly supplement: ReadonlyMap<string, number>,
    /** Always holds the three SERVING_KEYS (0 when nothing was logged), then any other group. */
    readonly servings: ReadonlyMap<string, number>,
  ) {}

  total(key: string): number {
    return this.foodAmount(key) + this.supplementAmount(key);
  }

  foodAmount(key: string): number {
    return this.food.get(key) ?? 0;
  }

  supplementAmount(key: string): number {
    return this.supplement.get(key) ?? 0;
  }

  serving(group: string): number {
    return this.servings.get(group) ?? 0;
  }

  epaDhaMg(): number {
    return this.total("epa_mg") + this.total("dha_mg");
  }
}

export function sumIntake(meals: Iterable<Meal>, doses: Iterable<Dose>): Intake {
  const food = new Map<string, number>();
  const supplement = new Map<string, number>();
  const servings = new Map<string, number>(SERVING_KEYS.map((key) => [key, 0]));
  for (const meal of meals) {
    for (const item of meal.items ?? []) {
      add(food, item.nutrients);
      add(servings, item.servings);
    }
  }
  for (const dose of doses) {
    add(supplement, dose.nutrients);
    add(servings, dose.servings);
  }
  return new Intake(food, supplement, servings);
}

function add(into: Map<string, number>, amounts: Nutrients | Servings | null | undefined): void {
  if (amounts == null) return;
  for (const [key, value] of Object.entries(amounts)) {
    if (value != null) into.set(key, (into.get(key) ?? 0) + value);
  }
}

/**
 * Supplement calcium per sitting (see the module comment), in time order.
 * `doses` must already be in time order; doses without calcium are ignored.
 */
export function calciumSittings(doses: readonly Dated<Dose>[]): number[] {
  const sittings: number[] = [];
  let openedAt: EpochMs | null = null;
  for (const { at, entry } of doses) {
    const calcium = amount(entry.nutrients, "calcium_mg");
    if (calcium <= 0) continue;
    if (openedAt !== null && at - openedAt <= SITTING_SPAN_MS && sittings.length > 0) {
      sittings[sittings.length - 1] = (sittings[sittings.length - 1] ?? 0) + calcium;
    } else {
      openedAt = at;
      sittings.push(calcium);
    }
  }
  return sittings;
}

/** A dose of a vitamin K form, or any dose whose nutrients list vitamin K. */
/**
 * A dose of a vitamin K form (v1.1: even with no amount entered; a dose without a form has its
 * item's, see facts.withItemForm), or any dose whose nutrients list vitamin K.
 */
export function containsVitaminK(dose: Dose): boolean {
  return (
    (dose.form != null && VITAMIN_K_FORMS.has(dose.form)) ||
    amount(dose.nutrients, "vitamin_k_mcg") > 0
  );
}
