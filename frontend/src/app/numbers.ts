/**
 * One rounding rule per kind of number, so the same fact reads the same everywhere on a screen:
 * a component's "12 of 1000 IU" beside its explanation's "averages 12 of 1000 IU a day", never
 * "12.3" beside "12". The places are the explanation's own (scoring/components.ts writes them
 * with `num`, half up), so the two cannot disagree: whole numbers for mg, mcg, IU, minutes,
 * days and check-ins; one decimal for servings, BMI, body weight and grams of ALA.
 */
import { num } from "../scoring/wording";

/** Places by unit (the first word of a component's unit: "IU/day (7-day average)" is IU). */
const PLACES_BY_UNIT: Record<string, number> = {
  servings: 1,
  BMI: 1,
  kg: 1,
  lb: 1,
};

/** Where one component differs from its unit's rule (fiber is whole grams, ALA one decimal). */
const PLACES_BY_COMPONENT: Record<string, number> = {
  ala: 1,
};

export function placesFor(unit: string, component?: string): number {
  if (component !== undefined && component in PLACES_BY_COMPONENT) return PLACES_BY_COMPONENT[component] ?? 0;
  const head = unit.split(/[\s/]/)[0] ?? "";
  return PLACES_BY_UNIT[head] ?? 0;
}

/** `value` rounded by its unit's rule ("12", "1.5"), with no trailing ".0". */
export function fmtAmount(value: number, unit: string, component?: string): string {
  return num(value, placesFor(unit, component));
}
