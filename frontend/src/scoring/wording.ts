/** The engine's sentences: templates from tables.WORDING, numbers formatted the protocol's way. */

import { roundPlaces } from "./formulas";
import { WORDING } from "./tables.gen";

export type WordingKey = keyof typeof WORDING;

/** The template `key` with each `{name}` replaced by `values[name]` (throws if one is missing). */
export function say(key: WordingKey, values: Readonly<Record<string, string>> = {}): string {
  return WORDING[key].replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`wording ${key}: no value for {${name}}`);
    return value;
  });
}

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

// English names, not the phone's locale: both engines write the same sentence (wording.py).
const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"] as const;

/** "Thursday 3 December": a day (YYYY-MM-DD) as a sentence says it (an ISO date read as code, issue #14). */
export function dayWords(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return `${WEEKDAY_NAMES[weekday] ?? ""} ${d} ${MONTH_NAMES[m - 1] ?? ""}`;
}
