/** Saving and deleting entries from screens: local first, then a sync soon after; undo on delete. */
import type { EntityFields, EntityName } from "../api/entities";
import type { Fields } from "../storage/store";
import { uuid } from "../storage/store";
import { runtime } from "./runtime";
import { showToast } from "./toast";

export const NOUN: Partial<Record<EntityName, string>> = {
  meals: "Meal",
  doses: "Dose",
  workouts: "Workout",
  symptoms: "Joint symptoms entry",
  labs: "Lab result",
  measurements: "Weight",
  regimen: "Medicine or supplement",
  custom_foods: "Your own food",
  favourites: "Favourite food",
};

/** The noun for any entity name, a server's conflict included (it may name one this app lacks). */
export function nounOf(entity: string): string | undefined {
  return Object.entries(NOUN).find(([name]) => name === entity)?.[1];
}

/**
 * Saves a record from a form: every field of it, typed by the server's schema for the entity
 * (`EntityFields`), so a payload the server would refuse at push time fails `tsc` instead.
 */
export async function saveEntry<E extends EntityName>(
  entity: E,
  id: string | null,
  fields: EntityFields[E],
  // Writes that belong with this one (a medicine's reminder days): queued right behind it,
  // before the sync this save starts, so they go out in the same push, in that order.
  alongside?: (id: string) => Promise<void>,
): Promise<string> {
  const rt = runtime();
  if (!rt) throw new Error("not signed in");
  const key = id ?? uuid();
  await rt.store.save(entity, key, fields);
  // Saved again after sync refused its create ("Edit" on the Sync screen): that refusal is settled.
  await rt.store.settleRefusedCreate(entity, key);
  if (alongside) await alongside(key);
  await rt.changed();
  const written: Fields = fields;
  if (entity === "regimen" && Array.isArray(written.schedule_times) && written.schedule_times.length > 0) {
    // A medicine time was just saved: the moment to offer reminders on this device.
    // (reminders/push is fetched then: it is not in the first download, issue #14).
    void import("../reminders/push")
      .then((m) => m.offerPush())
      .then((message) => message && showToast(message))
      .catch(() => undefined);
  }
  return key;
}

/**
 * Deletes at once (no confirmation dialog) and offers Undo for at least ten seconds (app/toast.ts). `what` names the
 * record in the toast ("Oat milk deleted."); by default its kind does ("Meal deleted.").
 */
export async function deleteEntry(entity: EntityName, id: string, what?: string): Promise<void> {
  const rt = runtime();
  if (!rt) return;
  // Kept for Undo: once the delete has synced, the phone no longer holds the record.
  const before = (await rt.store.get(entity, id))?.fields ?? null;
  await rt.store.remove(entity, id);
  await rt.changed();
  showToast(`${what ?? NOUN[entity] ?? "Entry"} deleted.`, {
    label: "Undo",
    run: () => {
      void rt.store.undoRemove(entity, id, before).then(() => rt.changed());
    },
  });
}
