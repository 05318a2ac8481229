/**
 * The catalog's offline pack: fetched when online (with If-None-Match, so an unchanged pack is
 * a 304), kept in IndexedDB, searched locally so food search works with no network.
 */
import { runtime } from "./runtime";
import type { EntityFields, MealItem } from "../api/entities";
import type { Fields, FoodRow, StoredRecord } from "../storage/store";
import { foodRowOf, uuid } from "../storage/store";

export interface PackFood extends FoodRow {
  food_group?: string;
  nutrients_per_100g?: Record<string, number>;
  portions?: [string, number][];
  synonyms?: string[];
  servings_grams?: Record<string, number>;
  favourite?: boolean;
  recent?: boolean;
}

export async function refreshFoodPack(): Promise<void> {
  const rt = runtime();
  if (!rt || (typeof navigator !== "undefined" && !navigator.onLine)) return;
  const etag = await rt.store.getMeta<string>("foods_etag");
  const count = await rt.store.db.foods.count();
  const headers: Record<string, string> = { Authorization: `Bearer ${rt.session.token}` };
  if (etag && count > 0) headers["If-None-Match"] = etag;
  try {
    const r = await fetch("/api/v1/foods/offline-pack", { headers });
    if (r.status !== 200) {
      // Read to its (empty) end: a response left unread is cancelled when it is collected,
      // which Chromium logged as an aborted request on every page load (issue #14 §6).
      await r.arrayBuffer();
      return;
    }
    const body = (await r.json()) as { foods: PackFood[] };
    await rt.store.foods.replaceFoods(body.foods);
    await rt.store.setMeta("foods_etag", r.headers.get("ETag"));
  } catch {
    // Offline or refused: the stored pack stays.
  }
}

/** A food as the server's search answers it (`GET /api/v1/foods`). */
export interface ServerFood {
  id: string;
  name: string;
  source: string;
  source_id?: string | null;
  food_group: string;
  synonyms?: string[];
  portions: { label: string; grams: number }[];
  nutrients_per_100g: Record<string, number | null>;
  servings_grams?: Record<string, number | null>;
  tags?: string[];
  favourite?: boolean;
  recent?: boolean;
}

/** A server result in the pack's compact shape (known nutrients only), so one picker serves both. */
export function packFoodOf(food: ServerFood): PackFood {
  const known = <T,>(o: Record<string, T | null> | undefined) =>
    Object.fromEntries(Object.entries(o ?? {}).filter((e): e is [string, T] => e[1] !== null && e[1] !== undefined));
  return {
    id: food.id,
    name: food.name,
    source: food.source,
    food_group: food.food_group,
    nutrients_per_100g: known(food.nutrients_per_100g),
    portions: food.portions.map((p): [string, number] => [p.label, p.grams]),
    synonyms: food.synonyms ?? [],
    servings_grams: known(food.servings_grams),
    ...(food.source_id ? { source_id: food.source_id } : {}),
    ...(food.favourite ? { favourite: true } : {}),
    ...(food.recent ? { recent: true } : {}),
  };
}

/**
 * Asks the server's search (curated + every USDA food + the person's own), cancellable: a
 * newer keystroke aborts the older request. Null when offline, signed out or refused, so the
 * caller falls back to the offline search.
 */
export async function searchServer(query: string, signal: AbortSignal, limit = 25): Promise<PackFood[] | null> {
  const rt = runtime();
  if (!rt || (typeof navigator !== "undefined" && !navigator.onLine)) return null;
  const url = `/api/v1/foods?${new URLSearchParams({ q: query, limit: String(limit) })}`;
  try {
    const r = await fetch(url, { headers: { Authorization: `Bearer ${rt.session.token}` }, signal });
    if (r.status !== 200) return null;
    const body = (await r.json()) as { items: ServerFood[] };
    return body.items.map(packFoodOf);
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    return null;
  }
}

/** Food ids from this person's meals, most recent first. */
export function recentFoodIds(meals: StoredRecord[], limit = 8): string[] {
  // As instants: meals written with different UTC offsets do not sort as text.
  const sorted = [...meals].sort((a, b) => (Date.parse(String(b.fields?.eaten_at)) || 0) - (Date.parse(String(a.fields?.eaten_at)) || 0));
  const out: string[] = [];
  for (const m of sorted) {
    for (const item of (m.fields?.items as { food_id?: string | null }[] | undefined) ?? []) {
      if (item.food_id && !out.includes(item.food_id)) out.push(item.food_id);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** A meal item for `grams` of a pack food: nutrients and servings as eaten. */
export function itemFor(food: PackFood, grams: number): MealItem {
  const nutrients: Record<string, number> = {};
  for (const [k, v] of Object.entries(food.nutrients_per_100g ?? {})) nutrients[k] = Math.round(((v * grams) / 100) * 1000) / 1000;
  const servings: Record<string, number> = {};
  for (const [k, g] of Object.entries(food.servings_grams ?? {})) if (g > 0) servings[k] = Math.round((grams / g) * 1000) / 1000;
  return { food_id: food.id, food_name: food.name, grams, nutrients, servings };
}

/** The portion a food of the person's own is labelled in, when the label is per serving. */
export const SERVING = "1 serving";

/** What a person types for a food of their own (amounts as on the label). */
export interface CustomFoodInput {
  name: string;
  /** null: the nutrients are per 100 g; otherwise per serving of this many grams. */
  servingGrams: number | null;
  nutrients: Record<string, number>;
}

/** The `custom_foods` record's fields: the server's CustomFoodFields (nutrients per 100 g). */
export function customFoodFields(input: CustomFoodInput): EntityFields["custom_foods"] {
  const scale = input.servingGrams ? 100 / input.servingGrams : 1;
  const per100: Record<string, number> = {};
  for (const [k, v] of Object.entries(input.nutrients)) per100[k] = Math.round(v * scale * 1000) / 1000;
  return {
    name: input.name.trim(),
    food_group: "other",
    nutrients_per_100g: per100,
    portions: input.servingGrams ? [{ label: SERVING, grams: input.servingGrams }] : [],
  };
}

/** A `custom_foods` record as a row of the offline pack (the compact format search reads). */
export function customFoodRow(id: string, fields: Fields): PackFood {
  return foodRowOf(id, fields) as PackFood;
}

/** Saves a food of the person's own (kept on this phone first, sent when online); its pack row. */
export async function saveCustomFood(input: CustomFoodInput): Promise<PackFood> {
  const rt = runtime();
  if (!rt) throw new Error("not signed in");
  const id = uuid();
  const fields = customFoodFields(input);
  const row = customFoodRow(id, fields);
  await rt.store.foods.saveCustomFood(id, fields, row);
  await rt.changed();
  return row;
}

/**
 * The form's values for a stored `custom_foods` record (the inverse of `customFoodFields`):
 * per serving when it has a "1 serving" portion, else per 100 g. Amounts are rounded to 2
 * decimals, which gives back what was typed for any label value with up to 2 decimals.
 */
export function customFoodInput(fields: Fields): CustomFoodInput {
  const portions = (fields.portions as { label: string; grams: number }[] | undefined) ?? [];
  const serving = portions.find((p) => p.label === SERVING)?.grams ?? null;
  const scale = serving ? serving / 100 : 1;
  const nutrients: Record<string, number> = {};
  for (const [k, v] of Object.entries((fields.nutrients_per_100g as Record<string, unknown> | undefined) ?? {})) {
    if (typeof v === "number") nutrients[k] = Math.round(v * scale * 100) / 100;
  }
  return { name: String(fields.name ?? ""), servingGrams: serving, nutrients };
}

/**
 * Saves an edit of a food of the person's own, through the outbox like every edit (only the
 * changed fields are sent); search shows the new values at once. Its food group and any other
 * portions it has are kept.
 */
export async function updateCustomFood(id: string, input: CustomFoodInput): Promise<void> {
  const rt = runtime();
  if (!rt) throw new Error("not signed in");
  const prev = (await rt.store.get("custom_foods", id))?.fields ?? {};
  // Everything but the food group, which the form does not show.
  const { name, nutrients_per_100g, portions = [] } = customFoodFields(input);
  const others = ((prev.portions as { label: string; grams: number }[] | undefined) ?? []).filter((p) => p.label !== SERVING);
  await rt.store.save("custom_foods", id, { name, nutrients_per_100g, portions: [...portions, ...others] });
  await rt.changed();
}

/** Keeps a food found online on this phone (a recent food), so offline search finds it too. */
export async function rememberFood(food: PackFood): Promise<void> {
  const rt = runtime();
  if (!rt) return;
  await rt.store.foods.rememberFood({ ...food, recent: true });
  await rt.changed();
}

/** `food`: the row to keep when the food came from the server's search and is not on the phone. */
export async function setFavourite(foodId: string, on: boolean, food?: PackFood): Promise<void> {
  const rt = runtime();
  if (!rt) return;
  if (food) await rt.store.foods.rememberFood(food);
  await rt.store.foods.setFavourite(foodId, on);
  await rt.changed();
}
