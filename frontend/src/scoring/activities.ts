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
 * lists its own groups replaces them. Same 51 rows as backend/fortify/scoring/activities.py.
 */

import type { Workout } from "./types";

export const MUSCLE_GROUPS = [
  "legs",
  "hips",
  "back",
  "abdomen",
  "chest",
  "shoulders",
  "arms",
] as const;
export type MuscleGroup = (typeof MUSCLE_GROUPS)[number];
export const FULL_BODY = "full_body";

export const ACTIVITY_CLASSES = [
  "aerobic",
  "weight_bearing_aerobic",
  "resistance",
  "high_impact",
  "low_impact",
] as const;
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

const LEGS_HIPS: readonly MuscleGroup[] = ["legs", "hips"];
const UPPER: readonly MuscleGroup[] = ["chest", "shoulders", "arms"];
const ALL: readonly MuscleGroup[] = MUSCLE_GROUPS;

/** Activity key -> activity, in catalog order (a Map, so keys like "constructor" are unknown). */
export const CATALOG: ReadonlyMap<string, Activity> = new Map(
  [
    // Weight-bearing aerobic (seed: brisk walking, jogging, stair climbing, dancing).
    a("brisk_walking", "Brisk walking", "AW"),
    a("walking", "Walking", "AW"),
    a("nordic_walking", "Nordic walking", "AW"),
    a("treadmill_walking", "Treadmill walking", "AW"),
    a("jogging", "Jogging", "AW"),
    a("running", "Running", "AW"),
    a("stair_climbing", "Stair climbing", "AW"),
    a("stair_stepper", "Stair stepper machine", "AW"),
    a("dancing", "Dancing", "AW"),
    a("zumba", "Zumba", "AW"),
    a("hiking", "Hiking", "AW"),
    a("tennis", "Tennis", "AW"),
    a("pickleball", "Pickleball", "AW"),
    a("badminton", "Badminton", "AW"),
    a("golf", "Golf (walking the course)", "AW"),
    a("gardening", "Gardening", "AW"),
    a("step_aerobics", "Step aerobics", "AW"),
    a("cross_country_skiing", "Cross-country skiing", "AW"),
    a("fitness_boxing", "Fitness boxing", "AW"),
    a("elliptical", "Elliptical trainer", "AWL"),
    a("low_impact_aerobics", "Low-impact aerobics", "AWL"),
    // Resistance (seed: lifting weights, resistance bands, squats, push-ups).
    a("lifting_weights", "Lifting weights", "R", ALL),
    a("weight_machines", "Weight machines", "R", ALL),
    a("resistance_bands", "Resistance bands", "R", [...LEGS_HIPS, "back", ...UPPER]),
    a("squats", "Squats", "R", [...LEGS_HIPS, "back"]),
    a("lunges", "Lunges", "R", LEGS_HIPS),
    a("step_ups", "Step-ups", "R", LEGS_HIPS),
    a("push_ups", "Push-ups", "R", [...UPPER, "abdomen"]),
    a("planks", "Planks", "R", ["abdomen", "back", "shoulders"]),
    a("bodyweight_exercises", "Bodyweight exercises", "R", ALL),
    a("kettlebell", "Kettlebell training", "R", [...LEGS_HIPS, "back", "shoulders", "arms"]),
    a("pilates", "Pilates", "RL", ["abdomen", "back", "hips"]),
    a("circuit_training", "Circuit training", "AWR", ALL),
    // High-impact (seed: jumping, plyometrics, high-impact aerobics; "with caution").
    a("jumping", "Jumping", "WH"),
    a("plyometrics", "Plyometrics", "WH"),
    a("high_impact_aerobics", "High-impact aerobics", "AWH"),
    a("jump_rope", "Jump rope", "AWH"),
    a("hopping", "Hopping drills", "WH"),
    a("basketball", "Basketball", "AWH"),
    a("volleyball", "Volleyball", "AWH"),
    // Low-impact (seed: swimming, cycling, yoga for joint pain).
    a("swimming", "Swimming", "AL"),
    a("water_aerobics", "Water aerobics", "AL"),
    a("aqua_jogging", "Aqua jogging", "AL"),
    a("cycling", "Cycling", "AL"),
    a("stationary_cycling", "Stationary cycling", "AL"),
    a("rowing", "Rowing", "AL"),
    a("kayaking", "Kayaking", "AL"),
    a("yoga", "Yoga", "L"),
    a("tai_chi", "Tai chi", "WL"),
    a("stretching", "Stretching", "L"),
    a("balance_training", "Balance training", "WL"),
  ].map((row): [string, Activity] => [row.key, row]),
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
