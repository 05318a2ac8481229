/**
 * Fortify's daily scores, offline: a pure TypeScript port of backend/fortify/scoring
 * (PROTOCOL.md §1-§5, §8). Plain data in (`DayInput`), plain data out (`DayReport`), in the JSON
 * shapes the API uses; no clock, no I/O, no DOM.
 */

export { computeDayReport } from "./engine";
export { computePatterns, EXERCISE_DAY_MINUTES, MIN_PAIN_DAYS, PATTERN_DAYS } from "./patterns";
export type * from "./types";
export { lin, roundHalfUp, roundPlaces } from "./formulas";
export {
  DEFAULT_TARGETS,
  TARGET_KEYS,
  effectiveTargets,
  targetValues,
  type EffectiveTarget,
  type TargetKey,
  type Targets,
} from "./targets";
export {
  ACTIVITY_CLASSES,
  CATALOG,
  MUSCLE_GROUPS,
  activity,
  resolveFlags,
  resolveMuscleGroups,
  type Activity,
  type WorkoutFlags,
} from "./activities";
export * as units from "./units";
export { addDays, localDate, parseInstant, windowStart } from "./timeline";
