/**
 * The words of the toast after a log form is saved: she lands on Today, her entry far below the
 * fold, and needs to hear that it worked ("Breakfast saved."), and, offline, where it is now.
 */
import type { EntityName } from "../api/entities";
import type { Fields } from "../storage/store";
import { jointPainNote } from "./jointPain";

const SAVED_NOUN: Partial<Record<EntityName, string>> = {
  meals: "Meal",
  doses: "Dose",
  workouts: "Workout",
  symptoms: "Joint symptoms",
  labs: "Lab result",
  measurements: "Weight",
};

/** "Breakfast saved." online; "Breakfast saved on this phone; will sync when online." offline. */
export function savedWords(entity: EntityName, fields: Fields, online: boolean): string {
  const named = entity === "meals" && typeof fields.name === "string" && fields.name.trim() ? fields.name.trim() : null;
  const what = named ?? SAVED_NOUN[entity] ?? "Entry";
  const saved = online ? `${what} saved.` : `${what} saved on this phone; will sync when online.`;
  // Pain of 5/10 or more is named back to her, with when to tell her care team (app/jointPain.ts).
  const pain = entity === "symptoms" ? jointPainNote(fields.worst_pain_0_10) : null;
  return pain ? `${saved} ${pain}` : saved;
}
