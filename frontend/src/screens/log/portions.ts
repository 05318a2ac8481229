/**
 * Which portion chip is lit. Two portions may weigh the same (a food's "1 cup" and "1 container"
 * are both 245 g), and an amount typed in ounces comes back as grams with a decimal: lighting
 * every chip whose grams equal the amount lit two at once. One chip is lit at a time: the one
 * tapped, while the amount is still its weight; else the first whose weight the amount is; else
 * none (a custom amount).
 */

/** A food's portions as the pack carries them: [label, grams]. */
export type Portion = readonly [label: string, grams: number];

/** An amount within half a gram of a portion is that portion (ounces round-trip to 0.1 g). */
const SAME_GRAMS = 0.5;

/** The index of the lit chip, or null; `tapped` is the index of the chip tapped last. */
export function litPortion(portions: readonly Portion[], grams: string, tapped: number | null): number | null {
  const g = Number(grams);
  if (grams.trim() === "" || !Number.isFinite(g) || g <= 0) return null;
  const weighs = (p: Portion | undefined) => p !== undefined && Math.abs(p[1] - g) < SAME_GRAMS;
  if (tapped !== null && weighs(portions[tapped])) return tapped;
  const first = portions.findIndex(weighs);
  return first < 0 ? null : first;
}
