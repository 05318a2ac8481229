/**
 * The one-tap action under Today's "Next best step": which log form the step's key opens, and
 * what it is prefilled with (issue #14, F27).
 *
 * The report carries the step's component key and its sentence, not the supplement the engine
 * chose (the server's report has the same shape, and both engines' sentences are pinned by the
 * golden phrase file). The sentence names that supplement ("… dose (Calcium citrate)", "a dose
 * of …", "Take your …"), so the item is found by its name in the sentence: a calcium step that
 * suggests milk instead (a dose would pass the upper limit) names no item and opens the meal
 * form. A key with no sensible form (or one the engine does not make) has no action.
 */

/** Where the step's button goes and what it says. */
export interface StepAction {
  readonly href: string;
  readonly label: string;
}

/** A regimen item as the engine sees it: its id, its name, whether it is still taken. */
export interface StepItem {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
}

/** Keys whose step may be a dose of one of her supplements. */
const DOSE_KEYS: ReadonlySet<string> = new Set(["calcium_total", "vitamin_d", "vitamin_k", "magnesium"]);

/** The food a sentence suggests by name, searched for when the meal form opens. */
const FOOD_SEARCH: Readonly<Record<string, string>> = {
  calcium_total: "milk",
  vitamin_k: "spinach",
  magnesium: "almonds",
  epa_dha: "salmon",
  ala: "flaxseed",
  fiber: "beans",
  soluble_fiber_foods: "oats",
  mufa_foods: "olive oil",
};

const MEAL_KEYS: ReadonlySet<string> = new Set([
  "calcium_total",
  "vitamin_d",
  "vitamin_k",
  "magnesium",
  "epa_dha",
  "ala",
  "fiber",
  "soluble_fiber_foods",
  "polyphenol_foods",
  "mufa_foods",
  "anti_inflammatory_foods",
]);

/** The activity a workout step suggests, chosen in the workout form when it opens. */
const WORKOUT_ACTIVITY: Readonly<Record<string, string | null>> = {
  weight_bearing: "brisk_walking",
  aerobic: "brisk_walking",
  resistance: "bodyweight_exercises",
  high_impact: "jumping",
  // "a swim, bike ride or yoga session": her choice, so the list opens with none chosen.
  low_impact: null,
};

/** The item the sentence names (the longest name that appears, so "Calcium" loses to "Calcium citrate"). */
export function namedItem(text: string, items: readonly StepItem[]): StepItem | null {
  let best: StepItem | null = null;
  for (const item of items) {
    const name = item.name.trim();
    if (!item.active || name === "" || !text.includes(name)) continue;
    if (best === null || name.length > best.name.trim().length) best = item;
  }
  return best;
}

/** The button for a next best step, or null when the step has no form to open. */
export function stepAction(key: string, text: string, items: readonly StepItem[]): StepAction | null {
  if (DOSE_KEYS.has(key)) {
    const item = namedItem(text, items);
    if (item !== null) return { href: `/log/dose?item=${encodeURIComponent(item.id)}`, label: "Log this dose" };
  }
  if (MEAL_KEYS.has(key)) {
    const food = FOOD_SEARCH[key];
    return { href: food ? `/log/meal?search=${encodeURIComponent(food)}` : "/log/meal", label: "Log food" };
  }
  if (key in WORKOUT_ACTIVITY) {
    const activity = WORKOUT_ACTIVITY[key];
    const params = new URLSearchParams();
    if (activity) params.set("activity", activity);
    // "Take a 20-minute brisk walk": the form's minutes follow the sentence.
    const minutes = /\b(\d{1,3})-minute\b/.exec(text)?.[1];
    if (minutes) params.set("minutes", minutes);
    const q = params.toString();
    return { href: q ? `/log/workout?${q}` : "/log/workout", label: "Log a workout" };
  }
  if (key === "symptom_check_in") return { href: "/log/symptom", label: "Log how your joints feel" };
  return null;
}
