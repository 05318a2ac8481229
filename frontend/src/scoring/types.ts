/**
 * Plain data in and out of the scoring engine: the TypeScript mirror of
 * backend/fortify/scoring/model.py.
 *
 * Field names are the JSON shapes' (snake_case), so an entry read from IndexedDB or from the
 * API goes in as it is, and a `DayReport` has the shape of the server's report: the PWA shows
 * the local report at once and swaps in the server's after sync without a mapping layer.
 *
 * Timestamps are ISO 8601 strings that carry their UTC offset ("2026-03-10T08:00:00+01:00");
 * the engine works out each entry's local day itself from the profile's IANA zone, so a caller
 * may pass more entries than one day needs (the last 90 days, every lab up to the day). Dates
 * are ISO calendar dates ("2026-03-10"). Optional fields take model.py's defaults.
 *
 * Nutrient records use the keys of docs/entries-contract.md; a missing key or `null` means
 * "unknown" and adds nothing. Servings records use `soluble_fiber`, `polyphenol`, `mufa`.
 */

/** A local calendar date, "YYYY-MM-DD". */
export type IsoDate = string;
/** An instant with its UTC offset, ISO 8601: "2026-03-10T08:00:00+00:00" (or "...Z"). */
export type IsoInstant = string;

export type Sex = "female" | "male";
export type Intensity = "light" | "moderate" | "vigorous";
export type Domain = "bone" | "heart" | "joint";

export type Nutrients = Readonly<Record<string, number | null | undefined>>;
export type Servings = Readonly<Record<string, number | null | undefined>>;

// --- input -------------------------------------------------------------------------------------

/** A person's (or their clinician's) own value for one target key. */
export interface TargetOverride {
  readonly value: number;
  readonly set_by_care_team?: boolean;
}

/** The profile fields that scoring reads (other profile fields are ignored). */
export interface ScoringProfile {
  readonly sex?: Sex | null;
  readonly height_cm?: number | null;
  /** IANA zone; "UTC" when absent. */
  readonly time_zone?: string | null;
  readonly cleared_for_high_impact?: boolean;
  readonly on_anticoagulant?: boolean;
  readonly osteoporosis?: boolean;
  readonly target_overrides?: Readonly<Record<string, TargetOverride>> | null;
}

/** One food of a meal, with the nutrient and serving amounts as eaten. */
export interface MealItem {
  readonly food_name?: string;
  readonly grams?: number | null;
  readonly nutrients?: Nutrients | null;
  readonly servings?: Servings | null;
}

export interface Meal {
  readonly id?: string;
  readonly eaten_at: IsoInstant;
  readonly name?: string;
  readonly items?: readonly MealItem[];
}

/** One logged dose of a medicine or supplement; `nutrients` are the dose's totals. */
export interface Dose {
  readonly id?: string;
  readonly taken_at: IsoInstant;
  readonly kind?: string;
  readonly form?: string | null;
  readonly regimen_item_id?: string | null;
  readonly units?: number;
  readonly nutrients?: Nutrients | null;
  readonly servings?: Servings | null;
}

/**
 * An entry of "my medicines and supplements". `nutrients_per_unit`, `default_units` and
 * `schedule_times` are optional; the next best action uses them to phrase
 * "take your evening calcium dose: 400 mg ...".
 */
export interface RegimenItem {
  readonly id: string;
  readonly name: string;
  readonly kind?: string;
  readonly form?: string;
  readonly prescribed_daily?: boolean;
  readonly started_on?: IsoDate | null;
  readonly created_at: IsoInstant;
  readonly active?: boolean;
  readonly nutrients_per_unit?: Nutrients | null;
  readonly default_units?: number;
  readonly schedule_times?: readonly string[] | null;
  /** v1.1: prescribed or recommended by the care team; its doses skip the upper-limit flags. */
  readonly set_by_care_team?: boolean;
  /**
   * The item's earliest logged dose, for its start (PROTOCOL.md §1), when the caller passes
   * only recent doses; the engine also looks at the item's doses it was given.
   */
  readonly earliest_dose_at?: IsoInstant | null;
}

/** A workout; a non-null flag overrides the activity catalog's flag. */
export interface Workout {
  readonly id?: string;
  readonly started_at: IsoInstant;
  readonly activity: string;
  readonly minutes: number;
  readonly intensity?: Intensity;
  readonly aerobic?: boolean | null;
  readonly weight_bearing?: boolean | null;
  readonly resistance?: boolean | null;
  readonly high_impact?: boolean | null;
  readonly low_impact?: boolean | null;
  readonly muscle_groups?: readonly string[] | null;
}

export interface Symptom {
  readonly id?: string;
  readonly measured_at: IsoInstant;
  readonly worst_pain_0_10: number;
  readonly morning_stiffness_minutes?: number | null;
}

export interface Measurement {
  readonly id?: string;
  readonly measured_at: IsoInstant;
  readonly weight_kg: number;
}

/** A lab result already converted to its canonical unit (see units.canonicalLabValue). */
export interface Lab {
  readonly id?: string;
  readonly measured_at: IsoInstant;
  readonly kind: string;
  readonly value_canonical: number;
}

/** Everything the engine needs for one local day `day`. */
export interface DayInput {
  readonly day: IsoDate;
  readonly profile: ScoringProfile;
  readonly meals?: readonly Meal[];
  readonly doses?: readonly Dose[];
  readonly regimen?: readonly RegimenItem[];
  readonly workouts?: readonly Workout[];
  readonly symptoms?: readonly Symptom[];
  readonly measurements?: readonly Measurement[];
  readonly labs?: readonly Lab[];
}

// --- output ------------------------------------------------------------------------------------

/**
 * One scored component. `weight` is the protocol's; `effective_weight` is after exclusions were
 * renormalised away (0 when excluded). `credit` is rounded to 3 decimals for display.
 */
export interface ComponentResult {
  readonly key: string;
  readonly domain: Domain;
  readonly weight: number;
  readonly effective_weight: number;
  readonly credit: number;
  readonly value: number | null;
  readonly target: number | null;
  readonly unit: string;
  readonly excluded: boolean;
  readonly excluded_reason: string | null;
  readonly explanation: string;
}

/** The day's sums (and W7 sums) that the components were scored from. */
export interface Totals {
  readonly calcium_mg: number;
  readonly calcium_food_mg: number;
  readonly calcium_supplement_mg: number;
  readonly largest_calcium_sitting_mg: number;
  readonly vitamin_d_iu: number;
  readonly vitamin_d_iu_7day_avg: number;
  readonly vitamin_d_supplement_iu_7day_avg: number;
  readonly magnesium_mg: number;
  readonly magnesium_supplement_mg: number;
  readonly vitamin_k_mcg: number;
  readonly vitamin_k_food_mcg: number;
  readonly epa_dha_mg: number;
  readonly epa_dha_mg_7day_avg: number;
  readonly ala_g: number;
  readonly fiber_g: number;
  readonly servings: Readonly<Record<string, number>>;
  readonly minutes_w7: Readonly<Record<string, number>>;
  readonly days_w7: Readonly<Record<string, number>>;
  readonly muscle_groups_w7: readonly string[];
}

export interface Flag {
  readonly key: string;
  readonly message: string;
}

/** Share of days with a logged dose; null when the period has no days (item not started). */
export interface Adherence {
  readonly regimen_item_id: string;
  readonly name: string;
  readonly days_7: number | null;
  readonly days_30: number | null;
  readonly days_90: number | null;
}

export interface NextBestAction {
  readonly key: string;
  readonly points: number;
  readonly text: string;
}

export interface DaysNeeded {
  readonly after_exercise: number;
  readonly after_rest: number;
}

/**
 * PROTOCOL.md §8: worst joint pain on days after exercise days vs after rest days. The means,
 * the difference and the direction are null while the pattern is not shown.
 */
export interface PainAfterExercise {
  readonly shown: boolean;
  readonly after_exercise_days: number;
  readonly after_rest_days: number;
  readonly mean_after_exercise: number | null;
  readonly mean_after_rest: number | null;
  readonly difference: number | null;
  readonly direction: "lower" | "higher" | "no_clear_difference" | null;
  readonly days_needed: DaysNeeded;
  readonly text: string;
}

/** Every pattern of §8 for one day (one so far). */
export interface Patterns {
  readonly pain_after_exercise: PainAfterExercise;
}

export interface DayReport {
  readonly date: IsoDate;
  readonly overall: number;
  readonly bone: number;
  readonly heart: number;
  readonly joint: number;
  readonly components: readonly ComponentResult[];
  readonly totals: Totals;
  readonly flags: readonly Flag[];
  readonly adherence: readonly Adherence[];
  readonly next_best_action: NextBestAction | null;
  readonly entry_count: number;
}
