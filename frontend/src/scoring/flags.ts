/**
 * Flags (PROTOCOL.md §4): shown to the person, never scored.
 *
 * Each check returns a message or null; `dayFlags` keeps the protocol's table order. A flag is
 * raised once per key per day, with a message that names what triggered it.
 */

import { resolveFlags } from "./activities";
import { tracked } from "./adherence";
import type { Facts } from "./facts";
import { SITTING_SPAN_MS } from "./intake";
import {
  BONE_DENSITY_WINDOW_DAYS,
  CALCIUM_SITTING_HALF_MG,
  CALCIUM_SITTING_RULE,
  CALCIUM_UPPER_LIMIT_MG,
  FLAG_KEYS,
  JOINT_PAIN_HIGH,
  JOINT_PAIN_HIGH_DAYS,
  LIPIDS_LAB_WINDOW_DAYS,
  MAGNESIUM_SUPPLEMENT_UPPER_LIMIT_MG,
  VITAMIN_D_LAB_HIGH_NG_ML,
  VITAMIN_D_LAB_LOW_NG_ML,
  VITAMIN_D_LAB_WINDOW_DAYS,
  VITAMIN_D_SUPPLEMENT_UPPER_LIMIT_IU,
} from "./tables.gen";
import { addDays, compareText, type Dated, windowStart } from "./timeline";
import type { Dose, Flag, IsoDate, Lab } from "./types";
import { DXA_T_SCORE, LIPID_KINDS, VITAMIN_D_25OH } from "./units";
import { dayWords, num, say } from "./wording";

export {
  BONE_DENSITY_WINDOW_DAYS,
  JOINT_PAIN_HIGH,
  JOINT_PAIN_HIGH_DAYS,
  LIPIDS_LAB_WINDOW_DAYS,
  VITAMIN_D_LAB_HIGH_NG_ML,
  VITAMIN_D_LAB_LOW_NG_ML,
  VITAMIN_D_LAB_WINDOW_DAYS,
};

type Check = (f: Facts) => string | null;

/** v1.1: a calcium target set above 2000 mg is the person's upper limit. */
export function calciumAboveUl(f: Facts): string | null {
  const total = f.today.total("calcium_mg");
  const limit = f.calciumUpperLimitMg;
  if (total <= limit) return null;
  return say("flag.calcium_above_ul", { total: num(total), limit: calciumLimitWords(limit) });
}

export function calciumLimitWords(limitMg: number): string {
  if (limitMg === CALCIUM_UPPER_LIMIT_MG) return say("flag.calcium_above_ul.upper_limit");
  return say("calcium.own_target", { limit: num(limitMg) });
}

export function calciumSittingTooLarge(f: Facts): string | null {
  if (f.largestSittingMg <= CALCIUM_SITTING_HALF_MG) return null;
  return say("flag.calcium_sitting_too_large", {
    largest: num(f.largestSittingMg),
    rule: CALCIUM_SITTING_RULE,
  });
}

export function calciumCarbonateWithoutFood(f: Facts): string | null {
  const lonely = f.dosesToday.filter(
    (d) => d.entry.form === "calcium_carbonate" && !mealNear(f, d),
  );
  if (lonely.length === 0) return null;
  const times = lonely.map((d) => f.zone.time(d.at)).join(", ");
  return say("flag.calcium_carbonate_without_food", { times });
}

/** v1.1: on whatever local day the meal falls (a 23:30 dose with a 00:15 meal has food). */
function mealNear(f: Facts, dose: Dated<Dose>): boolean {
  return f.mealTimes.some((at) => Math.abs(at - dose.at) <= SITTING_SPAN_MS);
}

/** v1.1: doses of items set by the care team are left out (a prescribed weekly 50,000 IU). */
export function vitaminDAboveUl(f: Facts): string | null {
  const average = f.selfDirectedWeek.supplementAmount("vitamin_d_iu") / 7;
  const ownTarget = f.targets.vitamin_d_iu;
  if (
    average <= VITAMIN_D_SUPPLEMENT_UPPER_LIMIT_IU ||
    ownTarget > VITAMIN_D_SUPPLEMENT_UPPER_LIMIT_IU
  ) {
    return null;
  }
  return say("flag.vitamin_d_above_ul", { average: num(average) });
}

export function magnesiumSupplementAboveUl(f: Facts): string | null {
  const supplement = f.selfDirectedToday.supplementAmount("magnesium_mg");
  if (supplement <= MAGNESIUM_SUPPLEMENT_UPPER_LIMIT_MG) return null;
  return say("flag.magnesium_supplement_above_ul", { supplement: num(supplement) });
}

export function vitaminKWithAnticoagulant(f: Facts): string | null {
  if (!(f.profile.on_anticoagulant === true && f.vitaminKSupplementToday)) return null;
  return say("flag.vitamin_k_with_anticoagulant");
}

export function highImpactNotCleared(f: Facts): string | null {
  if (f.profile.cleared_for_high_impact === true) return null;
  if (!f.workoutsToday.some((w) => resolveFlags(w).high_impact)) return null;
  return say("flag.high_impact_not_cleared");
}

export function vitaminDLabDue(f: Facts): string | null {
  if (hasLab(f, new Set([VITAMIN_D_25OH]), VITAMIN_D_LAB_WINDOW_DAYS)) return null;
  return say("flag.vitamin_d_lab_due");
}

export function vitaminDLabLow(f: Facts): string | null {
  const latest = latestLab(f, VITAMIN_D_25OH);
  if (latest === null || latest.value_canonical >= VITAMIN_D_LAB_LOW_NG_ML) return null;
  return say("flag.vitamin_d_lab_low", { value: num(latest.value_canonical, 1) });
}

export function vitaminDLabHigh(f: Facts): string | null {
  const latest = latestLab(f, VITAMIN_D_25OH);
  if (latest === null || latest.value_canonical <= VITAMIN_D_LAB_HIGH_NG_ML) return null;
  return say("flag.vitamin_d_lab_high", { value: num(latest.value_canonical, 1) });
}

export function lipidsLabDue(f: Facts): string | null {
  if (hasLab(f, LIPID_KINDS, LIPIDS_LAB_WINDOW_DAYS)) return null;
  return say("flag.lipids_lab_due");
}

export function boneDensityDue(f: Facts): string | null {
  if (hasLab(f, new Set([DXA_T_SCORE]), BONE_DENSITY_WINDOW_DAYS)) return null;
  return say("flag.bone_density_due");
}

function hasLab(f: Facts, kinds: ReadonlySet<string>, days: number): boolean {
  const first = windowStart(f.day, days);
  return f.labs.some((lab) => kinds.has(lab.entry.kind) && first <= lab.day);
}

function latestLab(f: Facts, kind: string): Lab | null {
  const results = f.labs.filter((lab) => lab.entry.kind === kind);
  return results[results.length - 1]?.entry ?? null;
}

export function jointPainHigh(f: Facts): string | null {
  const days = new Set(
    f.symptomsW7.filter((s) => s.entry.worst_pain_0_10 >= JOINT_PAIN_HIGH).map((s) => s.day),
  );
  if (days.size < JOINT_PAIN_HIGH_DAYS) return null;
  return say("flag.joint_pain_high", { days: String(days.size) });
}

export function medicationMissed(f: Facts): string | null {
  const yesterday = addDays(f.day, -1);
  const missed = f.regimen
    .filter(
      (item) =>
        tracked(item) &&
        (f.itemStarts.get(item.id) ?? yesterday) <= yesterday &&
        !dosedOn(f, item.id, yesterday),
    )
    .map((item) => item.name);
  if (missed.length === 0) return null;
  return say("flag.medication_missed", {
    names: missed.sort(compareText).join(", "),
    yesterday: dayWords(yesterday),
  });
}

function dosedOn(f: Facts, itemId: string, day: IsoDate): boolean {
  return f.doses.some((d) => d.day === day && d.entry.regimen_item_id === itemId);
}

const CHECK: Readonly<Record<(typeof FLAG_KEYS)[number], Check>> = {
  calcium_above_ul: calciumAboveUl,
  calcium_sitting_too_large: calciumSittingTooLarge,
  calcium_carbonate_without_food: calciumCarbonateWithoutFood,
  vitamin_d_above_ul: vitaminDAboveUl,
  magnesium_supplement_above_ul: magnesiumSupplementAboveUl,
  vitamin_k_with_anticoagulant: vitaminKWithAnticoagulant,
  high_impact_not_cleared: highImpactNotCleared,
  vitamin_d_lab_due: vitaminDLabDue,
  vitamin_d_lab_low: vitaminDLabLow,
  vitamin_d_lab_high: vitaminDLabHigh,
  lipids_lab_due: lipidsLabDue,
  bone_density_due: boneDensityDue,
  joint_pain_high: jointPainHigh,
  medication_missed: medicationMissed,
};

/** Every check, in the protocol's table order (tables.FLAG_KEYS). */
export const CHECKS: readonly (readonly [string, Check])[] = FLAG_KEYS.map(
  (key): readonly [string, Check] => [key, CHECK[key]],
);

/** Every raised flag, in the protocol's table order. */
export function dayFlags(f: Facts): Flag[] {
  const flags: Flag[] = [];
  for (const [key, check] of CHECKS) {
    const message = check(f);
    if (message !== null) flags.push({ key, message });
  }
  return flags;
}
