/**
 * Activity over W7 (PROTOCOL.md §1): minutes, days and muscle groups per class.
 *
 * Minutes are weighted by intensity (moderate 1, vigorous 2, light 0), because the 2018
 * Physical Activity Guidelines count 75 vigorous minutes as 150 moderate ones and do not count
 * light activity. Days are distinct local days with at least one workout of the class, whatever
 * its intensity: a gentle yoga session is still a low-impact day. Weight-bearing aerobic minutes
 * need both flags on the same workout.
 */

import {
  ACTIVITY_CLASSES,
  type ActivityClass,
  hasClass,
  resolveFlags,
  resolveMuscleGroups,
} from "./activities";
import { compareText, type Dated } from "./timeline";
import type { IsoDate, Workout } from "./types";

export const INTENSITY_FACTOR: Readonly<Record<string, number>> = {
  light: 0,
  moderate: 1,
  vigorous: 2,
};

export interface ActivitySummary {
  readonly minutes: Readonly<Record<ActivityClass, number>>;
  readonly days: Readonly<Record<ActivityClass, number>>;
  /** Sorted names of the muscle groups trained in W7. */
  readonly muscleGroups: readonly string[];
  /** The classes with at least one workout on the scored day itself. */
  readonly today: ReadonlySet<ActivityClass>;
}

function perClass<T>(make: () => T): Record<ActivityClass, T> {
  const out = {} as Record<ActivityClass, T>;
  for (const activityClass of ACTIVITY_CLASSES) out[activityClass] = make();
  return out;
}

/** Summary of the given dated workouts, which must all lie in W7(day). */
export function summarize(workouts: readonly Dated<Workout>[], day: IsoDate): ActivitySummary {
  const minutes = perClass(() => 0);
  const days = perClass(() => new Set<IsoDate>());
  const groups = new Set<string>();
  for (const { day: workoutDay, entry: workout } of workouts) {
    const flags = resolveFlags(workout);
    const intensity = workout.intensity ?? "moderate";
    const factor = Object.hasOwn(INTENSITY_FACTOR, intensity)
      ? (INTENSITY_FACTOR[intensity] ?? 0)
      : 0;
    const weighted = workout.minutes * factor;
    for (const activityClass of ACTIVITY_CLASSES) {
      if (hasClass(flags, activityClass)) {
        minutes[activityClass] += weighted;
        days[activityClass].add(workoutDay);
      }
    }
    if (flags.resistance) {
      for (const group of resolveMuscleGroups(workout)) groups.add(group);
    }
  }
  const dayCounts = perClass(() => 0);
  const today = new Set<ActivityClass>();
  for (const activityClass of ACTIVITY_CLASSES) {
    dayCounts[activityClass] = days[activityClass].size;
    if (days[activityClass].has(day)) today.add(activityClass);
  }
  return {
    minutes,
    days: dayCounts,
    muscleGroups: [...groups].sort(compareText),
    today,
  };
}
