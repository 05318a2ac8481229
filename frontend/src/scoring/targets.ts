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

import * as tables from "./tables.gen";
import type { ScoringProfile, Sex } from "./types";

export {
  CALCIUM_SITTING_FULL_MG,
  CALCIUM_SITTING_HALF_MG,
  CALCIUM_SITTING_RULE,
  CALCIUM_UPPER_LIMIT_MG,
  MAGNESIUM_SUPPLEMENT_UPPER_LIMIT_MG,
  TARGET_KEYS,
  VITAMIN_D_SUPPLEMENT_UPPER_LIMIT_IU,
} from "./tables.gen";

export type TargetKey = (typeof tables.TARGET_KEYS)[number];

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

/** The protocol's defaults, one per target key (generated from tables.py). */
export const DEFAULT_TARGETS: readonly DefaultTarget[] = tables.DEFAULT_TARGETS;

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
