/**
 * The activity catalog: how a workout counts (PROTOCOL.md §2).
 *
 * Each activity carries the protocol's five flags. One workout may carry several (a circuit
 * class is aerobic, weight-bearing and resistance). The seed's own examples are here as
 * written: brisk walking, jogging, stair climbing, dancing -> aerobic + weight-bearing; lifting
 * weights, resistance bands, squats, push-ups -> resistance; jumping, plyometrics, high-impact
 * aerobics -> high-impact (+ weight-bearing); swimming, cycling -> aerobic + low-impact; yoga ->
 * low-impact.
 *
 * A workout's own non-null flags override its activity's, and an activity the catalog does not
 * know has every flag false unless the workout sets it: an unknown key never earns credit by
 * accident. Resistance activities carry the muscle groups they usually train; a workout that
 * lists its own groups replaces them. The 51 rows are generated from backend/fortify/scoring/
 * tables.py (tables.gen.ts).
 */

import { ACTIVITIES, ACTIVITY_CLASSES, FULL_BODY, MUSCLE_GROUPS } from "./tables.gen";
import type { Workout } from "./types";

export { ACTIVITY_CLASSES, FULL_BODY, MUSCLE_GROUPS };
export type MuscleGroup = (typeof MUSCLE_GROUPS)[number];
export type ActivityClass = (typeof ACTIVITY_CLASSES)[number];

export interface WorkoutFlags {
  readonly aerobic: boolean;
  readonly weight_bearing: boolean;
  readonly resistance: boolean;
  readonly high_impact: boolean;
  readonly low_impact: boolean;
}

export interface Activity {
  readonly key: string;
  readonly label: string;
  readonly flags: WorkoutFlags;
  readonly muscle_groups: readonly MuscleGroup[];
}

const NO_FLAGS: WorkoutFlags = {
  aerobic: false,
  weight_bearing: false,
  resistance: false,
  high_impact: false,
  low_impact: false,
};

/** Whether a workout with these flags counts for one of ACTIVITY_CLASSES. */
export function hasClass(flags: WorkoutFlags, activityClass: ActivityClass): boolean {
  if (activityClass === "weight_bearing_aerobic") return flags.aerobic && flags.weight_bearing;
  return flags[activityClass];
}

/**
 * Compact catalog row: `flags` is a string of letters A W R H L (aerobic, weight-bearing,
 * resistance, high-impact, low-impact).
 */
function a(
  key: string,
  label: string,
  flags: string,
  muscleGroups: readonly MuscleGroup[] = [],
): Activity {
  return {
    key,
    label,
    flags: {
      aerobic: flags.includes("A"),
      weight_bearing: flags.includes("W"),
      resistance: flags.includes("R"),
      high_impact: flags.includes("H"),
      low_impact: flags.includes("L"),
    },
    muscle_groups: muscleGroups,
  };
}

/** Activity key -> activity, in catalog order (a Map, so keys like "constructor" are unknown). */
export const CATALOG: ReadonlyMap<string, Activity> = new Map(
  ACTIVITIES.map(([key, label, flags, muscleGroups]): [string, Activity] => [
    key,
    a(key, label, flags, muscleGroups),
  ]),
);

export function activity(key: string): Activity | undefined {
  return CATALOG.get(key);
}

/** The workout's own flags where set, else its activity's (all false for unknown keys). */
export function resolveFlags(workout: Workout): WorkoutFlags {
  const base = CATALOG.get(workout.activity)?.flags ?? NO_FLAGS;
  return {
    aerobic: workout.aerobic ?? base.aerobic,
    weight_bearing: workout.weight_bearing ?? base.weight_bearing,
    resistance: workout.resistance ?? base.resistance,
    high_impact: workout.high_impact ?? base.high_impact,
    low_impact: workout.low_impact ?? base.low_impact,
  };
}

function isMuscleGroup(name: string): name is MuscleGroup {
  return (MUSCLE_GROUPS as readonly string[]).includes(name);
}

/**
 * The groups a workout trained: its own list ("full_body" = all seven) or its activity's.
 * Unknown names are ignored, so the count never exceeds seven.
 */
export function resolveMuscleGroups(workout: Workout): Set<MuscleGroup> {
  let named: readonly string[] = workout.muscle_groups ?? [];
  if (named.length === 0) named = CATALOG.get(workout.activity)?.muscle_groups ?? [];
  if (named.includes(FULL_BODY)) return new Set(MUSCLE_GROUPS);
  return new Set(named.filter(isMuscleGroup));
}
