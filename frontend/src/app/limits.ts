/**
 * "Inputs that cannot fail silently": every number a person types is checked against the one
 * table of entry limits (ENTRY_LIMITS, written in backend/fortify/scoring/tables.py, generated
 * into scoring/tables.gen.ts). Outside the hard range the number cannot be true and the form
 * refuses it in plain words (the server would refuse it too, 422); outside the usual range the
 * form asks "Are you sure?" and saves it exactly as typed when she says yes. Nothing is clamped.
 */
import { CALCIUM_SITTING_FULL_MG, ENTRY_LIMITS, TARGET_LIMITS } from "../scoring/tables.gen";
import { canonicalLabValue } from "../scoring/units";
import { num } from "../scoring/wording";
import { numberOnlyWords } from "./decimal";
import { GRAMS_PER_OZ } from "./units";

export type LimitKey = keyof typeof ENTRY_LIMITS;

/** An "ask" may name its two answers (app/doseAgain.ts: "Log another", "Cancel"); else "Yes, save it", "Change it". */
export type AmountCheck = { kind: "ok" } | { kind: "refuse"; message: string } | { kind: "ask"; message: string; field?: string; yes?: string; no?: string };

const OK: AmountCheck = { kind: "ok" };

/** A usual value of each kind of number, for "Type the number only, for example …" (the box says the same under itself). */
const EXAMPLE: Partial<Record<LimitKey, string>> = {
  workout_minutes: "30",
  morning_stiffness_minutes: "20",
  weight_kg: "70",
  weight_lb: "150",
  meal_item_grams: "100",
  dose_units: "1",
};

/** The hard range in words: "from 1 to 1440 minutes", "more than 0 and at most 20 tablets or doses". */
function rangeWords(key: LimitKey): string {
  const row = ENTRY_LIMITS[key];
  const unit = row.unit ? ` ${row.unit}` : "";
  if (row.above_hard_min) return `more than ${num(row.hard_min, 2)} and at most ${num(row.hard_max, 2)}${unit}`;
  return `from ${num(row.hard_min, 2)} to ${num(row.hard_max, 2)}${unit}`;
}

/**
 * `value` (in the row's unit) against row `key`. `say` is the amount in her words for the
 * question ("24 hours of yoga"); `refuse` replaces the refusal's wording where the row's unit is
 * not the one she typed in (a lab result in nmol/L).
 */
export function checkAmount(key: LimitKey, value: number, say: string, refuse?: string): AmountCheck {
  const row = ENTRY_LIMITS[key];
  const aboveMin = row.above_hard_min;
  if (!Number.isFinite(value)) return { kind: "refuse", message: numberOnlyWords(EXAMPLE[key] ?? "2") };
  if (value > row.hard_max || value < row.hard_min || (aboveMin && value === row.hard_min)) {
    return { kind: "refuse", message: refuse ?? `${say} is not possible: enter ${rangeWords(key)}.` };
  }
  if (value > row.usual_max) return { kind: "ask", message: `Are you sure? ${say} is far more than usual.` };
  if (value < row.usual_min) return { kind: "ask", message: `Are you sure? ${say} is far less than usual.` };
  return OK;
}

/** The one answer for several numbers of one form: any refusal first, then the first question. */
export function worstOf(checks: readonly AmountCheck[]): AmountCheck {
  return checks.find((c) => c.kind === "refuse") ?? checks.find((c) => c.kind === "ask") ?? OK;
}

/** "24 hours", "1 hour 30 minutes", "45 minutes". */
export function durationWords(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  const hours = h ? `${h} hour${h === 1 ? "" : "s"}` : "";
  const mins = m || !h ? `${m} minute${m === 1 ? "" : "s"}` : "";
  return [hours, mins].filter(Boolean).join(" ");
}

/** A workout's length: "24 hours of yoga". */
export function workoutMinutesCheck(minutes: number, activity: string): AmountCheck {
  return checkAmount("workout_minutes", minutes, `${durationWords(minutes)} of ${activity.toLowerCase()}`);
}

/** Morning stiffness in minutes (empty is "not logged", never checked). */
export function stiffnessCheck(minutes: number): AmountCheck {
  return checkAmount("morning_stiffness_minutes", minutes, `${durationWords(minutes)} of morning stiffness`);
}

/** A body weight in the unit she typed it in. */
export function weightCheck(value: number, us: boolean): AmountCheck {
  const unit = us ? "lb" : "kg";
  return checkAmount(us ? "weight_lb" : "weight_kg", value, `A weight of ${num(value, 1)} ${unit}`);
}

/** One food's amount in a meal: "5000 g of cheddar". */
export function gramsCheck(grams: number, food: string, us = false): AmountCheck {
  // Text that is no number ("about 4"): what to type, in the unit she types in.
  if (!Number.isFinite(grams)) return { kind: "refuse", message: numberOnlyWords(us ? "4" : "100") };
  if (!(grams > 0)) return { kind: "refuse", message: "Give the amount you ate." };
  if (!us) return checkAmount("meal_item_grams", grams, `${num(grams)} g of ${food}`);
  // In US units she typed ounces: the question and the limit are said in ounces (with pounds
  // for the large amounts these are), never in grams she did not type.
  const oz = (g: number) => g / GRAMS_PER_OZ;
  const said = (g: number) => (oz(g) >= 32 ? `${num(oz(g))} oz (${num(oz(g) / 16, 1)} lb)` : `${num(oz(g), 1)} oz`);
  const max = ENTRY_LIMITS.meal_item_grams.hard_max;
  return checkAmount("meal_item_grams", grams, `${said(grams)} of ${food}`, `${said(grams)} of ${food} is not possible: one food can be at most ${said(max)}.`);
}


/** How many tablets in one dose. */
export function doseUnitsCheck(units: number): AmountCheck {
  return checkAmount("dose_units", units, `${num(units, 2)} tablets or doses at one time`);
}

/**
 * Why a large calcium dose is asked about, in the protocol's words (PROTOCOL.md: the calcium
 * sitting, flag `calcium_sitting_too_large`): "far more than usual" alone gave her no reason.
 */
export const CALCIUM_AT_ONCE_WHY = `Calcium is absorbed best in small amounts: about ${num(CALCIUM_SITTING_FULL_MG)} mg or less at a time.`;

/** Nutrients a supplement dose can carry, with the words for them (and, where the protocol gives one, why a large dose is asked about). */
const DOSE_NUTRIENTS: Record<string, { key: LimitKey; words: (v: number) => string; why?: string }> = {
  calcium_mg: { key: "calcium_mg", words: (v) => `${num(v)} mg of calcium`, why: CALCIUM_AT_ONCE_WHY },
  magnesium_mg: { key: "magnesium_mg", words: (v) => `${num(v)} mg of magnesium` },
  vitamin_d_iu: { key: "vitamin_d_iu", words: (v) => `${num(v)} IU of vitamin D` },
  vitamin_k_mcg: { key: "vitamin_k_mcg", words: (v) => `${num(v)} mcg of vitamin K` },
  epa_mg: { key: "epa_mg", words: (v) => `${num(v)} mg of EPA` },
  dha_mg: { key: "dha_mg", words: (v) => `${num(v)} mg of DHA` },
  fiber_g: { key: "fiber_g", words: (v) => `${num(v, 1)} g of fibre` },
};

/** The amounts of one supplement dose (or one tablet of it): "30000 IU of vitamin D in one dose". */
export function doseNutrientChecks(nutrients: Record<string, unknown>, what = "in one dose"): AmountCheck[] {
  return Object.entries(nutrients).flatMap(([k, v]) => {
    const n = DOSE_NUTRIENTS[k];
    if (!n || typeof v !== "number") return [];
    const check = checkAmount(n.key, v, `${n.words(v)} ${what}`);
    return [check.kind === "ask" && n.why && v > ENTRY_LIMITS[n.key].usual_max ? { ...check, message: `${check.message} ${n.why}` } : check];
  });
}

/**
 * A dose of `units` of an item whose one unit carries `perUnit`: the number of tablets, and the
 * dose's amounts where more than one tablet made them unusual (one tablet's amount was asked
 * about when the item was saved, so a weekly 50 000 IU prescription asks once, not weekly).
 */
export function doseChecks(units: number, perUnit: Record<string, unknown>): AmountCheck[] {
  const first = doseUnitsCheck(units);
  if (first.kind !== "ok" || units <= 1) return [first];
  const total = Object.fromEntries(Object.entries(perUnit).map(([k, v]) => [k, typeof v === "number" ? v * units : v]));
  return [first, ...doseNutrientChecks(total)];
}

/** A lab result in the unit she typed, checked in the test's canonical unit. */
export function labCheck(kind: string, unit: string, value: string, label: string): AmountCheck {
  // Words that are no number: the box's own words (askFirst leaves them to the box, said once).
  if (value.trim() === "" || Number.isNaN(Number(value))) return { kind: "refuse", message: value.trim() ? numberOnlyWords("2") : "Enter the result as a number." };
  const key = `lab_${kind}`;
  if (!(key in ENTRY_LIMITS)) return OK;
  let canonical: number;
  try {
    canonical = canonicalLabValue(kind, Number(value), unit).value;
  } catch {
    return { kind: "refuse", message: `${unit} is not a unit for this test.` };
  }
  const shown = unit === "T-score" ? `A T-score of ${value}` : `${value} ${unit} of ${label}`;
  return checkAmount(key as LimitKey, canonical, shown, `${value} ${unit} is outside what this test can show. Check the number and the unit on your letter.`);
}

/**
 * A target she sets (the profile's target_overrides), in the target's unit, against its row of
 * TARGET_LIMITS: outside the hard range refused in plain words (the server refuses it too),
 * outside the usual range asked about, with the advice to check it with her care team first.
 * `name` is the target in her words ("Calcium").
 */
export function targetCheck(key: string, value: number, name: string): AmountCheck {
  const row = (TARGET_LIMITS as Record<string, (typeof TARGET_LIMITS)[keyof typeof TARGET_LIMITS] | undefined>)[key];
  if (!row) return OK;
  const unit = row.unit.replace("/day", " a day").replace(" in 7 days", " a week");
  const said = `A ${name.toLowerCase()} target of ${num(value, 2)} ${unit}`;
  if (!Number.isFinite(value) || value < row.hard_min || value > row.hard_max || (row.above_hard_min && value === row.hard_min)) {
    return { kind: "refuse", message: `${said} is not possible: enter from ${num(row.hard_min, 2)} to ${num(row.hard_max, 2)} ${unit}.` };
  }
  if (value > row.usual_max || value < row.usual_min) {
    const way = value > row.usual_max ? "more" : "less";
    return { kind: "ask", message: `Are you sure? ${said} is far ${way} than usual (${num(row.usual_min, 2)} to ${num(row.usual_max, 2)}): ask your care team before you set it.` };
  }
  return OK;
}
