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
