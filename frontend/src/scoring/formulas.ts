/**
 * The protocol's small formulas, in one place so every module (and the Python engine) agrees.
 *
 * Rounding: scores are "rounded half up", but half-way values are common (0.45 x 25/90 = 0.125)
 * and binary floating point often lands them a hair below the half (12.499999999999998). So
 * every engine rounds as floor(100 x + 0.5 + 1e-9): the 1e-9 swallows float noise far smaller
 * than any real difference between two days (PROTOCOL.md §3).
 */

export const ROUNDING_EPSILON = 1e-9;

/**
 * Credit for reaching `target`: min(max(x / target, 0), 1). A target of 0 or less (only
 * possible through an override) asks for nothing, so it is met.
 */
export function lin(x: number, target: number): number {
  if (target <= 0) return 1;
  return Math.min(Math.max(x / target, 0), 1);
}

/** A 0..1 fraction as a 0..100 score: floor(100 x + 0.5 + 1e-9). */
export function roundHalfUp(x: number): number {
  return Math.floor(100 * x + 0.5 + ROUNDING_EPSILON);
}

/** Half-up rounding to `places` decimals, with the same epsilon as the scores. */
export function roundPlaces(x: number, places: number): number {
  const scale = 10 ** places;
  return Math.floor(x * scale + 0.5 + ROUNDING_EPSILON) / scale;
}
