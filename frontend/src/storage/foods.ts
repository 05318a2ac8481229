/**
 * The food pack's side of the local store: search reads the offline pack (the `foods` table),
 * never the records, so every change to a food of the person's own (`custom_foods`) or to a
 * favourite (`favourites`, fields `{}`, id = the food's id), local or pulled, is laid into the
 * pack in the same transaction as the record (`mirrorFood`, called by store.ts), and the pack
 * download keeps the local changes the server has not heard of yet (`replaceFoods`).
 */
import type { EntityFields } from "../api/entities";
import { keyOf, type Fields, type FoodRow, type FortifyDb } from "./db";
import type { Store } from "./store";

/**
 * A `custom_foods` record (the server's CustomFoodFields: nutrients per 100 g, portions as
 * {label, grams}) as a row of the offline pack, the compact format food search reads.
 */
export function foodRowOf(id: string, fields: Fields): FoodRow {
  const nutrients = Object.fromEntries(
    Object.entries((fields.nutrients_per_100g as Record<string, unknown> | undefined) ?? {}).filter(
      (e): e is [string, number] => typeof e[1] === "number",
    ),
  );
  const portions = ((fields.portions as { label: string; grams: number }[] | undefined) ?? []).map((p): [string, number] => [p.label, p.grams]);
  const synonyms = (fields.synonyms as string[] | undefined) ?? [];
  return {
    id,
    name: String(fields.name ?? "My food"),
    source: "user",
    food_group: String(fields.food_group ?? "other"),
    nutrients_per_100g: nutrients,
    portions,
    ...(synonyms.length ? { synonyms } : {}),
  };
}

/**
 * Food search reads the pack (the foods table), not records: a food of the person's own or
 * a favourite that came from another device is laid into it as it arrives, with the local
 * record's state (queued local changes still win, as in store.ts's `applyRecord`). Called
 * inside the transaction of the write or the pulled page that changed the record.
 */
export async function mirrorFood(db: FortifyDb, entity: "custom_foods" | "favourites", id: string): Promise<void> {
  const rec = await db.records.get(keyOf(entity, id));
  const live = !!rec && !rec.deleted && !!rec.fields;
  const row = await db.foods.get(id);
  if (entity === "favourites") {
    if (row && (row.favourite === true) !== live) await db.foods.put({ ...row, favourite: live });
    return;
  }
  if (!live) {
    if (row) await db.foods.delete(id);
    return;
  }
  // A food brought back by Undo has no pack row left: its favourite record still says.
  const fav = await db.records.get(keyOf("favourites", id));
  const favourite = row ? row.favourite === true : !!fav && !fav.deleted;
  await db.foods.put({ ...foodRowOf(id, rec.fields ?? {}), ...(favourite ? { favourite: true } : {}) });
}

/** The person's own foods, favourites and the pack itself: `store.foods`. */
export class Foods {
  constructor(private readonly store: Store) {}

  private get db(): FortifyDb {
    return this.store.db;
  }

  /**
   * Saves a food of the person's own: the record and its outbox op (synced like any record)
   * and its row in the food pack, in one transaction, so search finds it at once, offline too.
   */
  async saveCustomFood(id: string, fields: EntityFields["custom_foods"], row: FoodRow): Promise<void> {
    await this.store.rw(["records", "outbox", "foods"], async () => {
      await this.store.save("custom_foods", id, fields);
      await this.db.foods.put(row);
    });
  }

  /** Keeps a food found by the server's search (not in the pack) on this phone, so it is found offline. */
  async rememberFood(row: FoodRow): Promise<void> {
    await this.store.rw(["foods"], async () => {
      if (!(await this.db.foods.get(row.id))) await this.db.foods.put(row);
    });
  }

  /**
   * Marks or unmarks a food as a favourite. The favourite is a record keyed by the food's id
   * (so toggling twice lands on one record) and the pack row's flag changes with it, so every
   * list shows the new state before the server has heard of it.
   */
  async setFavourite(foodId: string, on: boolean): Promise<void> {
    await this.store.rw(["records", "outbox", "foods"], async () => {
      const key = keyOf("favourites", foodId);
      if (on) await this.store.save("favourites", foodId, {});
      else {
        // A favourite that came with the pack has no local record yet: make one to delete.
        if (!(await this.db.records.get(key))) {
          await this.db.records.put({ key, entity: "favourites", id: foodId, fields: {}, version: null, deleted: false, touched: Date.now() });
        }
        await this.store.remove("favourites", foodId);
      }
      const row = await this.db.foods.get(foodId);
      if (row) await this.db.foods.put({ ...row, favourite: on });
    });
  }

  /**
   * Replaces the food pack with the server's. Local changes the server may not have yet win:
   * the person's own foods missing from the pack are kept, their queued edits and deletes
   * stay applied, and
   * favourites still in the outbox keep the state the person gave them.
   */
  async replaceFoods(foods: FoodRow[]): Promise<void> {
    await this.store.rw(["foods", "records", "outbox"], async () => {
      const byId = new Map(foods.map((f) => [f.id, f]));
      const outbox = await this.db.outbox.toArray();
      const pendingFoods = new Set(outbox.filter((o) => o.entity === "custom_foods").map((o) => o.key));
      for (const r of await this.db.records.where("entity").equals("custom_foods").toArray()) {
        const live = !r.deleted && !!r.fields;
        if (pendingFoods.has(r.key)) {
          // An edit or delete the server has not heard of yet: the pack's copy is older.
          if (!live) byId.delete(r.id);
          else byId.set(r.id, { ...foodRowOf(r.id, r.fields ?? {}), ...(byId.get(r.id)?.favourite ? { favourite: true } : {}) });
        } else if (live && !byId.has(r.id)) byId.set(r.id, foodRowOf(r.id, r.fields ?? {}));
      }
      const pending = new Set(outbox.filter((o) => o.entity === "favourites").map((o) => o.key));
      for (const r of await this.db.records.where("entity").equals("favourites").toArray()) {
        const food = byId.get(r.id);
        if (food && pending.has(r.key)) byId.set(r.id, { ...food, favourite: !r.deleted });
      }
      await this.db.foods.clear();
      await this.db.foods.bulkPut([...byId.values()]);
    });
  }
}
