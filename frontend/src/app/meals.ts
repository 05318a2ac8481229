/**
 * "Repeat a meal": yesterday's breakfast (or any past meal) logged again in one tap. The copy is
 * a new meal (a new id, eaten now) saved like any entry, so it works offline through the
 * outbox; the toast offers Undo, which deletes the copy.
 */
import { addDays, localDate } from "../scoring";
import type { EntityFields, MealItem } from "../api/entities";
import { fieldsOf, type StoredRecord } from "../storage/store";
import { nowInstant } from "./day";
import { foodDisplayName } from "./foodName";
import { saveEntry } from "./entries";
import { runtime } from "./runtime";
import { showToast } from "./toast";
import { wallTime } from "./zone";

export interface PastMeal {
  id: string;
  name: string;
  eatenAt: string;
  /** "yesterday", "today", or a short date ("Mon 30 Nov"). */
  when: string;
  /** The foods, as one line ("Porridge; Milk, reduced fat, 2%"): readable names, a semicolon between foods. */
  foods: string;
  items: MealItem[];
}

type Item = { food_name?: unknown; grams?: unknown; food_id?: unknown };

/** What makes two meals the same meal to repeat: the name and the foods with their amounts. */
function signature(name: string, items: Item[]): string {
  return JSON.stringify([name, items.map((i) => [i.food_id ?? null, i.food_name, i.grams])]);
}

function whenLabel(eatenAt: string, zone: string, now: string): string {
  const day = localDate(eatenAt, zone);
  const todayDate = localDate(now, zone);
  if (day === todayDate) return "today";
  if (day === addDays(todayDate, -1)) return "yesterday";
  return new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(`${day}T12:00:00Z`));
}

function pastMealOf(m: StoredRecord, zone: string, now: string): PastMeal {
  const f = fieldsOf(m, "meals");
  const items = f.items ?? [];
  return {
    id: m.id,
    name: String(f.name ?? "Meal"),
    eatenAt: String(f.eaten_at),
    when: whenLabel(String(f.eaten_at), zone, now),
    foods: items.map((i) => foodDisplayName(String(i.food_name ?? ""))).filter(Boolean).join("; "),
    items,
  };
}

/** One logged meal as a meal to repeat (History's "Log again"); null for a meal with no foods. */
export function asPastMeal(meal: StoredRecord, now: string, zone: string): PastMeal | null {
  if (meal.deleted || typeof meal.fields?.eaten_at !== "string" || !Array.isArray(meal.fields?.items) || meal.fields.items.length === 0) return null;
  return pastMealOf(meal, zone, now);
}

/**
 * Past meals whose name, foods or day contain every word of `query` (any order, any case):
 * "oat yog" finds "Breakfast: Porridge oats, Greek yogurt". An empty query keeps them all.
 */
export function filterPastMeals(meals: readonly PastMeal[], query: string): PastMeal[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...meals];
  return meals.filter((m) => {
    const text = `${m.name} ${m.foods} ${m.when}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/**
 * The person's meals to repeat, newest first: one per distinct meal (the same breakfast eaten
 * every day is listed once, at its latest), meals with no foods left out.
 */
export function pastMeals(meals: StoredRecord[], now: string, zone: string, limit = Infinity): PastMeal[] {
  const sorted = meals
    .filter((m) => !m.deleted && typeof m.fields?.eaten_at === "string" && Array.isArray(m.fields?.items) && (m.fields.items as unknown[]).length > 0)
    .filter((m) => Date.parse(String(m.fields!.eaten_at)) <= Date.parse(now))
    .sort((a, b) => Date.parse(String(b.fields!.eaten_at)) - Date.parse(String(a.fields!.eaten_at)));
  const seen = new Set<string>();
  const out: PastMeal[] = [];
  for (const m of sorted) {
    const f = fieldsOf(m, "meals");
    const key = signature(String(f.name ?? "Meal"), f.items ?? []);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(pastMealOf(m, zone, now));
    if (out.length >= limit) break;
  }
  return out;
}

/** The fields of a repeat of `meal`, eaten at `at`: the same name and foods (copies). */
export function repeatFields(meal: PastMeal, at: string): EntityFields["meals"] {
  return { name: meal.name, eaten_at: at, items: meal.items.map((item) => structuredClone(item)) };
}

/**
 * What the toast says after "Log again": the time it took (now) and how to change it, since one
 * tap gives no choice of time (newcomer walk); Undo beside it.
 */
export function repeatWords(name: string, nowWall: string): string {
  return `${name} logged again. Eaten now (${nowWall}): tap Edit on it to change the time.`;
}

/** Logs `meal` again now; the toast's Undo deletes the new meal. Returns the new meal's id. */
export async function repeatMeal(meal: PastMeal): Promise<string> {
  const at = nowInstant();
  const id = await saveEntry("meals", null, repeatFields(meal, at));
  showToast(repeatWords(meal.name, wallTime(at).slice(11, 16)), {
    label: "Undo",
    run: () => {
      const rt = runtime();
      if (rt) void rt.store.remove("meals", id).then(() => rt.changed());
    },
  });
  return id;
}

/**
 * A food already in a meal at a new amount: its nutrients and servings scaled from its own
 * (so it works for any food, on the phone or not, and keeps what the item was saved with).
 * Rounded like `itemFor`. An item of no weight has nothing to scale from and keeps its values.
 */
export function resizeItem<T extends { grams: number; nutrients?: Record<string, number> | null; servings?: Record<string, number> | null }>(item: T, grams: number): T {
  if (!(item.grams > 0)) return { ...item, grams };
  const k = grams / item.grams;
  const scale = (m: Record<string, number> | null | undefined) =>
    m ? Object.fromEntries(Object.entries(m).map(([key, v]) => [key, Math.round(v * k * 1000) / 1000])) : m;
  return { ...item, grams, nutrients: scale(item.nutrients), servings: scale(item.servings) };
}
