/** Number formatting for the one-line explanations, flags and next best action. */

import { roundPlaces } from "./formulas";

/** `x` rounded half up to `places` decimals, without a trailing ".0". */
export function num(x: number, places = 0): string {
  const value = roundPlaces(x, places);
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(places);
}

/** "1 day", "2 days", "1.5 servings". */
export function plural(count: number, word: string, places = 0): string {
  const text = num(count, places);
  return text === "1" ? `${text} ${word}` : `${text} ${word}s`;
}
