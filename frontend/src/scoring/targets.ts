/**
 * Default targets (PROTOCOL.md §2) and the person's effective targets after overrides.
 *
 * Every target is a default the person or their clinician may override in the profile; the
 * override replaces the value wherever the protocol scores against that target, and the app
 * marks it "set by my care team" when the override says so. Sex-specific defaults use the
 * profile's sex; when it is not given, the higher value, so nobody is under-served by a missing
 * answer.
 *
 * The upper limits and the per-sitting limits are not targets: they are safety limits from NIH
 * ODS and cannot be overridden.
 */

import type { ScoringProfile, Sex } from "./types";

export const CALCIUM_UPPER_LIMIT_MG = 2000;
export const CALCIUM_SITTING_FULL_MG = 500;
export const CALCIUM_SITTING_HALF_MG = 600;
/**
 * The one wording of the sitting rule (PROTOCOL.md §2, §3), the same as the server's: Today,
 * History, the flag, Learn and the care-team report all say it this way.
 */
export const CALCIUM_SITTING_RULE = "full credit up to 500 mg at a time, half credit up to 600 mg";
export const VITAMIN_D_SUPPLEMENT_UPPER_LIMIT_IU = 4000;
export const MAGNESIUM_SUPPLEMENT_UPPER_LIMIT_MG = 350;

export const TARGET_KEYS = [
  "calcium_mg",
  "vitamin_d_iu",
  "magnesium_mg",
  "vitamin_k_mcg",
  "epa_dha_mg",
  "ala_g",
  "fiber_g",
  "soluble_fiber_servings",
  "polyphenol_servings",
  "mufa_servings",
  "weight_bearing_minutes",
  "aerobic_minutes",
  "resistance_days",
  "high_impact_days",
  "low_impact_days",
] as const;

export type TargetKey = (typeof TARGET_KEYS)[number];

/** Target key -> the value that applies to this person. */
export type Targets = Readonly<Record<TargetKey, number>>;

export interface DefaultTarget {
  readonly key: TargetKey;
  readonly female: number;
  readonly male: number;
  readonly unit: string;
  readonly source: string;
}

export interface EffectiveTarget {
  readonly key: TargetKey;
  readonly value: number;
  readonly unit: string;
  readonly source: string;
  readonly set_by_care_team: boolean;
  readonly overridden: boolean;
}

/** The default for a sex; the higher of the two when sex is not given. */
export function forSex(target: DefaultTarget, sex: Sex | null | undefined): number {
  if (sex === "female") return target.female;
  if (sex === "male") return target.male;
  return Math.max(target.female, target.male);
}

function same(key: TargetKey, value: number, unit: string, source: string): DefaultTarget {
  return { key, female: value, male: value, unit, source };
}

export const DEFAULT_TARGETS: readonly DefaultTarget[] = [
  same(
    "calcium_mg",
    1200,
    "mg/day",
    'seed ("Aim for 1200 mg of elemental calcium per day"); ' +
      "NIH ODS RDA women 51+ and everyone 71+",
  ),
  same(
    "vitamin_d_iu",
    1000,
    "IU/day (7-day average)",
    'seed (D3 "1000 to 4000 IU daily"); a 7-day average lets weekly regimens count',
  ),
  { key: "magnesium_mg", female: 320, male: 420, unit: "mg/day", source: "NIH ODS RDA, ages 51+" },
  {
    key: "vitamin_k_mcg",
    female: 90,
    male: 120,
    unit: "mcg/day",
    source: 'NIH ODS AI; seed (K2 MK-7/MK-4 "supplementation is a common strategy")',
  },
  same(
    "epa_dha_mg",
    250,
    "mg/day (7-day average)",
    "EFSA adequate intake for adults (about two servings of oily fish a week)",
  ),
  { key: "ala_g", female: 1.1, male: 1.6, unit: "g/day", source: "IOM adequate intake" },
  { key: "fiber_g", female: 21, male: 30, unit: "g/day", source: "IOM adequate intake, ages 51+" },
  same(
    "soluble_fiber_servings",
    2,
    "servings/day",
    "seed (oats, barley, apples, beans); FDA: 3 g oat/barley beta-glucan a day",
  ),
  same(
    "polyphenol_servings",
    5,
    "servings/day",
    "seed (colourful fruit and vegetables, green tea, dark chocolate, olive oil); " +
      "WHO >= 400 g fruit and vegetables = 5 x 80 g",
  ),
  same(
    "mufa_servings",
    1,
    "servings/day",
    "seed (olive oil, avocados); FDA qualified claim: 1.5 tbsp (20 g) oleic-rich oil",
  ),
  same(
    "weight_bearing_minutes",
    150,
    "minutes in 7 days",
    "seed table; US Physical Activity Guidelines 2018",
  ),
  same("aerobic_minutes", 150, "minutes in 7 days", "US Physical Activity Guidelines 2018"),
  same(
    "resistance_days",
    2,
    "days in 7 days",
    'seed ("2-3 sessions per week, targeting all major muscle groups"); ' +
      "CDC groups: legs, hips, back, abdomen, chest, shoulders, arms",
  ),
  same(
    "high_impact_days",
    2,
    "days in 7 days",
    'seed ("short bursts... 2-3 times per week", "with caution"); ' +
      "only when cleared for high impact",
  ),
  same("low_impact_days", 2, "days in 7 days", "seed (swimming, cycling, yoga for joint pain)"),
];

/** Every target key with the value that applies to this person, in protocol order. */
export function effectiveTargets(profile: ScoringProfile): EffectiveTarget[] {
  return DEFAULT_TARGETS.map((target) => effective(target, profile));
}

/** Target key -> effective value. */
export function targetValues(profile: ScoringProfile): Targets {
  const values: Partial<Record<TargetKey, number>> = {};
  for (const target of effectiveTargets(profile)) values[target.key] = target.value;
  return values as Targets;
}

/** The default, or the override; `source` always cites the protocol's default. */
function effective(target: DefaultTarget, profile: ScoringProfile): EffectiveTarget {
  const overrides = profile.target_overrides ?? {};
  const override = Object.hasOwn(overrides, target.key) ? overrides[target.key] : undefined;
  return {
    key: target.key,
    value: override === undefined ? forSex(target, profile.sex) : override.value,
    unit: target.unit,
    source: target.source,
    set_by_care_team: override !== undefined && (override.set_by_care_team ?? false),
    overridden: override !== undefined,
  };
}
