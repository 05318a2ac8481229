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

/** The fields of a day report's component that its one-line amount reads. */
export interface ComponentAmount {
  key: string;
  credit: number;
  value: number | null;
  target: number | null;
  unit: string;
  excluded: boolean;
}

/** Unit words that agree with the number before them: "1 serving", "2 servings". */
const SINGULAR: Record<string, string> = { servings: "serving", days: "day", "check-ins": "check-in" };

/** The credit in words, where "percent of target" would say something untrue. */
export function creditWords(credit: number): string {
  return credit >= 1 ? "full credit" : credit > 0 ? "half credit" : "no credit";
}

/**
 * The amount beside a component's name, one fact in the explanation's own numbers. Calcium per
 * sitting is a limit, not a target to reach (PROTOCOL.md §3: up to 500 mg at a time counts in
 * full, up to 600 mg half): "600 mg at one time · half credit", never "600 of 500 mg".
 */
export function componentAmount(c: ComponentAmount): string {
  if (c.excluded) return "not counted";
  if (c.key === "calcium_sittings") {
    const at = c.value === null || c.value === 0 ? "no calcium supplement" : `${fmtAmount(c.value, c.unit, c.key)} ${c.unit} at one time`;
    return `${at} · ${creditWords(c.credit)}`;
  }
  if (c.target === null || c.value === null) return `${Math.round(c.credit * 100)}%`;
  const target = fmtAmount(c.target, c.unit, c.key);
  const unit = target === "1" ? SINGULAR[c.unit] ?? c.unit : c.unit;
  return `${fmtAmount(c.value, c.unit, c.key)} of ${target} ${unit}`;
}

/** What the progress bar says to a screen reader: a limit's credit, or the share of a target. */
export function componentProgressWords(c: ComponentAmount): string {
  if (c.key === "calcium_sittings") return creditWords(c.credit);
  return `${Math.round(c.credit * 100)} percent of target`;
}
