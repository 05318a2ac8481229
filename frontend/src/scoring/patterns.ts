/**
 * Patterns (PROTOCOL.md §8, v1.1): what the person's own log shows, never scored; the
 * TypeScript port of backend/fortify/scoring/patterns.py, held to the same golden vectors, so
 * Trends can show the pattern offline.
 *
 * `pain_after_exercise` compares worst joint pain on days after an exercise day with days after
 * a rest day, over the 56 local days d-55 … d. A pain day is a day with a check-in (its pain:
 * the day's largest worst-pain value); it is "after exercise" when the day before holds at
 * least 20 weighted minutes of any workout (moderate 1, vigorous 2, light 0, as in §1).
 *
 * Exact arithmetic: pain values are integers, so each mean is S/n and the difference is
 * (S_r·n_e − S_e·n_r)/(n_e·n_r); each is rounded half up to one decimal as
 * floor((20·num + den) / (2·den)) tenths. The numbers stay far below 2^53 and an exact
 * quotient is exact in floating point, so both engines agree on exactly ±1.0. The wording
 * follows the difference as shown (rounded).
 */

import { INTENSITY_FACTOR } from "./exercise";
import { addDays, localDate, parseIsoDate, windowStart } from "./timeline";
import type { DayInput, DaysNeeded, IsoDate, PainAfterExercise, Patterns } from "./types";
import { plural, say } from "./wording";

export const PATTERN_DAYS = 56;
export const MIN_PAIN_DAYS = 7;
export const EXERCISE_DAY_MINUTES = 20;
const CLEAR_DIFFERENCE_TENTHS = 10;

export function computePatterns(inp: DayInput): Patterns {
  const zoneName = inp.profile.time_zone || "UTC";
  const day = parseIsoDate(inp.day);
  const first = windowStart(day, PATTERN_DAYS);
  const pain = new Map<IsoDate, number>();
  for (const s of inp.symptoms ?? []) {
    const d = localDate(s.measured_at, zoneName);
    if (d < first || d > day) continue;
    pain.set(d, Math.max(s.worst_pain_0_10, pain.get(d) ?? s.worst_pain_0_10));
  }
  const minutes = new Map<IsoDate, number>();
  for (const w of inp.workouts ?? []) {
    const d = localDate(w.started_at, zoneName);
    const intensity = w.intensity ?? "moderate";
    const factor = Object.hasOwn(INTENSITY_FACTOR, intensity) ? (INTENSITY_FACTOR[intensity] ?? 0) : 0;
    minutes.set(d, (minutes.get(d) ?? 0) + w.minutes * factor);
  }
  return { pain_after_exercise: painAfterExercise(pain, minutes) };
}

export function painAfterExercise(
  pain: ReadonlyMap<IsoDate, number>,
  minutes: ReadonlyMap<IsoDate, number>,
): PainAfterExercise {
  const afterExercise: number[] = [];
  const afterRest: number[] = [];
  for (const day of [...pain.keys()].sort()) {
    const exercised = (minutes.get(addDays(day, -1)) ?? 0) >= EXERCISE_DAY_MINUTES;
    (exercised ? afterExercise : afterRest).push(pain.get(day) ?? 0);
  }
  const nE = afterExercise.length;
  const nR = afterRest.length;
  const needed: DaysNeeded = {
    after_exercise: Math.max(0, MIN_PAIN_DAYS - nE),
    after_rest: Math.max(0, MIN_PAIN_DAYS - nR),
  };
  if (needed.after_exercise > 0 || needed.after_rest > 0) {
    return {
      shown: false,
      after_exercise_days: nE,
      after_rest_days: nR,
      mean_after_exercise: null,
      mean_after_rest: null,
      difference: null,
      direction: null,
      days_needed: needed,
      text: notYetText(needed),
    };
  }
  const sE = afterExercise.reduce((a, b) => a + b, 0);
  const sR = afterRest.reduce((a, b) => a + b, 0);
  const meanE = tenths(sE, nE);
  const meanR = tenths(sR, nR);
  const difference = tenths(sR * nE - sE * nR, nE * nR);
  const direction =
    difference >= CLEAR_DIFFERENCE_TENTHS
      ? "lower"
      : difference <= -CLEAR_DIFFERENCE_TENTHS
        ? "higher"
        : "no_clear_difference";
  return {
    shown: true,
    after_exercise_days: nE,
    after_rest_days: nR,
    mean_after_exercise: meanE / 10,
    mean_after_rest: meanR / 10,
    difference: difference / 10,
    direction,
    days_needed: needed,
    text: shownText(meanE, meanR, difference, direction),
  };
}

/** numerator/denominator rounded half up to one decimal, in tenths, exactly. */
export function tenths(numerator: number, denominator: number): number {
  return Math.floor((20 * numerator + denominator) / (2 * denominator));
}

function oneDecimal(t: number): string {
  const sign = t < 0 ? "-" : "";
  const a = Math.abs(t);
  return `${sign}${Math.floor(a / 10)}.${a % 10}`;
}

function shownText(
  meanE: number,
  meanR: number,
  difference: number,
  direction: "lower" | "higher" | "no_clear_difference",
): string {
  const opening = say("pattern.opening", { exercise: oneDecimal(meanE), rest: oneDecimal(meanR) });
  const notProof = say("pattern.not_proof");
  if (direction === "no_clear_difference") {
    return say("pattern.no_clear_difference", { opening, not_proof: notProof });
  }
  const shown = direction === "lower" ? difference : -difference;
  return say(`pattern.${direction}`, {
    opening,
    difference: oneDecimal(shown),
    not_proof: notProof,
  });
}

function notYetText(needed: DaysNeeded): string {
  const parts: string[] = [];
  if (needed.after_exercise > 0) {
    const count = plural(needed.after_exercise, "more check-in");
    parts.push(say("pattern.needed.after_exercise", { count }));
  }
  if (needed.after_rest > 0) {
    const count = plural(needed.after_rest, "more check-in");
    parts.push(say("pattern.needed.after_rest", { count }));
  }
  return say("pattern.needed", { parts: parts.join(say("pattern.needed.and")) });
}
