/**
 * A readable name for a food whose catalog name is USDA's ("Milk, reduced fat, fluid, 2%
 * milkfat, with added vitamin A and vitamin D" becomes "Milk, reduced fat, 2%"). Pure: the
 * full name stays the food's name (stored with the meal, shown as secondary text); this is
 * only what a list or heading shows first. Short names (the curated foods, her own) come back
 * unchanged.
 */

/** Parts that say nothing she chooses by: grading, trimming, fortification, the form of milk. */
const NOISE: readonly RegExp[] = [
  /^fluid$/i,
  /^(un)?enriched$/i,
  /^trimmed to .* fat$/i,
  /^all grades$/i,
  /^(choice|select|prime)$/i,
  /^broilers or fryers$/i,
  /^separable lean and fat$/i,
  /^solids and liquids$/i,
  /^mature seeds$/i,
  /^variety meats and by-products$/i,
  /^NFS$/,
];

/** A fortification list goes on over several parts ("fortified with calcium, vitamins A, B12, D2"). */
const FORTIFICATION = /^(with added|without added|fortified with|added) (vitamins?|calcium|iron|phosphorus|potassium|sodium|zinc|magnesium|ascorbic acid|folic acid)\b/i;
const LIST_GOES_ON = /^(and )?(vitamins?\b|[A-Z]\d*$|[A-Z]\d+\b|calcium|iron|phosphorus|potassium|sodium|zinc|magnesium|folic acid|riboflavin|niacin|thiamin)/i;

/** Parts said more plainly. */
const PLAIN: readonly [RegExp, string][] = [
  [/^(\d+(?:\.\d+)?%) milkfat$/i, "$1"],
  [/^separable lean only$/i, "lean"],
  [/^meat only$/i, "meat only"],
];

/** The most parts a readable name keeps ("Beef, top sirloin, steak, lean, cooked"). */
const MAX_PARTS = 5;

/** Splits at commas outside parentheses. */
function parts(name: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === "(") depth += 1;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    else if (ch === "," && depth === 0) {
      out.push(name.slice(start, i));
      start = i + 1;
    }
  }
  out.push(name.slice(start));
  return out.map((p) => p.trim()).filter(Boolean);
}

/** "QUAKER" → "Quaker", "CAMPBELL'S" → "Campbell's"; words with a lower-case letter are kept. */
function unshout(part: string): string {
  return part.replace(/\b[A-Z][A-Z'&.-]{2,}\b/g, (w) => w[0] + w.slice(1).toLowerCase());
}

export function foodDisplayName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed.includes(",") && !/[A-Z]{3,}/.test(trimmed)) return trimmed;
  const kept: string[] = [];
  let listing = false; // inside a fortification list
  for (const raw of parts(trimmed)) {
    // "(include apple, blueberry…)": a list of what a group covers, not the food's name.
    const p = raw.replace(/\s*\((includes?|including)\b[^)]*\)/gi, "").trim();
    if (FORTIFICATION.test(p)) {
      listing = true;
      continue;
    }
    if (listing && LIST_GOES_ON.test(p)) continue;
    listing = false;
    if (!p || NOISE.some((re) => re.test(p))) continue;
    kept.push(unshout(PLAIN.reduce((s, [re, to]) => s.replace(re, to), p)));
  }
  if (kept.length === 0) return trimmed;
  const shown = kept.slice(0, MAX_PARTS).join(", ");
  return shown.charAt(0).toUpperCase() + shown.slice(1);
}

/** The full name, when it says more than the display name (for secondary text); else null. */
export function fullNameIfDifferent(name: string): string | null {
  return foodDisplayName(name) === name.trim() ? null : name.trim();
}
