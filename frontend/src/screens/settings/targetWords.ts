/**
 * Targets in plain words, for the short summary at onboarding and in Settings: "1,200 mg a
 * day", "1 serving a day", "150 minutes a week". The protocol's units ("minutes in 7 days",
 * "IU/day (7-day average)") never reach the screen; plurals follow the number.
 */
import type { EffectiveTarget, TargetKey } from "../../scoring";

export interface TargetGroup {
  readonly key: "nutrients" | "foods" | "exercise";
  readonly title: string;
  /** The targets of the group, in the order the Adjust list shows them. */
  readonly keys: readonly TargetKey[];
  /** The few shown in the summary; the rest wait behind "Adjust". */
  readonly headline: readonly TargetKey[];
}

export const TARGET_GROUPS: readonly TargetGroup[] = [
  {
    key: "nutrients",
    title: "Nutrients from food and supplements",
    keys: ["calcium_mg", "vitamin_d_iu", "magnesium_mg", "vitamin_k_mcg", "epa_dha_mg", "ala_g", "fiber_g"],
    headline: ["calcium_mg", "vitamin_d_iu", "epa_dha_mg", "fiber_g"],
  },
  {
    key: "foods",
    title: "Foods to include",
    keys: ["polyphenol_servings", "soluble_fiber_servings", "mufa_servings"],
    headline: ["polyphenol_servings", "soluble_fiber_servings", "mufa_servings"],
  },
  {
    key: "exercise",
    title: "Exercise",
    keys: ["weight_bearing_minutes", "aerobic_minutes", "resistance_days", "low_impact_days", "high_impact_days"],
    headline: ["weight_bearing_minutes", "aerobic_minutes", "resistance_days"],
  },
];

/** The plain name of each target, as the summary and the Adjust list say it. */
export const TARGET_NAME: Record<TargetKey, string> = {
  calcium_mg: "Calcium",
  vitamin_d_iu: "Vitamin D",
  magnesium_mg: "Magnesium",
  vitamin_k_mcg: "Vitamin K",
  epa_dha_mg: "Omega-3 from fish (EPA and DHA)",
  ala_g: "Omega-3 from plants (ALA)",
  fiber_g: "Fibre",
  soluble_fiber_servings: "Oats, barley, beans or apples",
  polyphenol_servings: "Colourful fruit and vegetables",
  mufa_servings: "Olive oil, avocado or nuts",
  weight_bearing_minutes: "Weight-bearing exercise (walking, dancing, stairs)",
  aerobic_minutes: "Exercise that gets you a little out of breath",
  resistance_days: "Strength training",
  high_impact_days: "High-impact exercise (jumping)",
  low_impact_days: "Gentle exercise for the joints (swimming, cycling, yoga)",
};

/** "1,200" for 1200, "1.1" for 1.1: whole numbers with a thousands comma, else one decimal. */
export function fmtTargetNumber(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? rounded.toLocaleString("en-GB") : rounded.toFixed(1);
}

function counted(value: number, one: string, many: string): string {
  const text = fmtTargetNumber(value);
  return `${text} ${text === "1" ? one : many}`;
}

/** The short unit of an input ("mg", "servings", "minutes"): what the number box is in. */
export function inputUnit(unit: string, value = 2): string {
  const head = unit.split(/[\s/]/)[0] ?? "";
  if (head === "servings") return value === 1 ? "serving" : "servings";
  if (head === "days") return value === 1 ? "day" : "days";
  return head;
}

/** "1,200 mg a day", "1,000 IU a day on average over the week", "1 serving a day", "2 days a week". */
export function targetAmount(t: Pick<EffectiveTarget, "value" | "unit">): string {
  const head = t.unit.split(/[\s/]/)[0] ?? "";
  const averaged = /7-day average/.test(t.unit);
  if (/in 7 days$/.test(t.unit)) {
    if (head === "minutes") return `${counted(t.value, "minute", "minutes")} a week`;
    if (head === "days") return `${counted(t.value, "day", "days")} a week`;
  }
  const amount = head === "servings" ? counted(t.value, "serving", "servings") : `${fmtTargetNumber(t.value)} ${head}`;
  return `${amount} a day${averaged ? " on average over the week" : ""}`;
}

/** One summary line: "Calcium: 1,200 mg a day". */
export function targetLine(t: Pick<EffectiveTarget, "key" | "value" | "unit">): string {
  return `${TARGET_NAME[t.key]}: ${targetAmount(t)}`;
}

/** The targets the summary shows for a group: high-impact only once she is cleared for it. */
export function headlineTargets(group: TargetGroup, targets: readonly EffectiveTarget[], cleared: boolean): EffectiveTarget[] {
  const byKey = new Map(targets.map((t) => [t.key, t]));
  const keys = group.headline.filter((k) => k !== "high_impact_days" || cleared);
  return keys.map((k) => byKey.get(k)).filter((t): t is EffectiveTarget => t !== undefined);
}
