/**
 * The sync protocol's types, all taken from the generated OpenAPI types (schema.d.ts), never
 * written by hand: the entity names the server publishes (`SyncEntityName`), each entity's
 * fields as the server validates them on push, and the wire shapes of push and pull.
 *
 * Why it matters here: a write is kept on the phone first and reaches the server later, so a
 * payload the server refuses is found out only at push time, when it lands in "needs
 * attention". Typing every write by the server's own schema moves that refusal to `tsc`.
 */
import type { components } from "./schema";

type Schemas = components["schemas"];

/** The kinds of record sync carries ("meals", "profile", "custom_foods", …). */
export type EntityName = Schemas["SyncEntityName"];

/**
 * Each entity's fields as the server checks them on push (backend/fortify/sync/entities.py):
 * the entry kinds' `…Fields`, `ReminderFields`, `ProfileUpdate` and `CustomFoodFields`; a
 * favourite is its id alone, with no fields.
 */
interface FieldsByEntity {
  meals: Schemas["MealFields"];
  regimen: Schemas["RegimenFields"];
  doses: Schemas["DoseFields"];
  workouts: Schemas["WorkoutFields"];
  symptoms: Schemas["SymptomFields"];
  labs: Schemas["LabFields"];
  measurements: Schemas["MeasurementFields"];
  reminders: Schemas["ReminderFields"];
  profile: Schemas["ProfileUpdate"];
  custom_foods: Schemas["CustomFoodFields"];
  favourites: Record<string, never>;
}

/**
 * The fields of a whole record of entity `E`. Indexed by `EntityName`, so an entity the server
 * adds and this map forgets fails `tsc` (after `npm run gen:api`).
 */
export type EntityFields = { [E in EntityName]: FieldsByEntity[E] };

/** A meal's item as the server takes it (food, grams, nutrients and servings as eaten). */
export type MealItem = Schemas["MealItem"];

// --- the wire: POST /api/v1/sync/push and GET /api/v1/sync/pull ---------------------------------

/** One pushed operation. */
export type WireOp = Schemas["Operation"];
/** The answer to one pushed operation. */
export type OpAnswer = Schemas["OpResult"];
/** The answer to a push: one `OpAnswer` per operation. */
export type PushAnswer = Schemas["PushResponse"];
/** A value that lost a merge on the server. */
export type ServerConflict = Schemas["ConflictRead"];
/** A server record as sync sends it; `fields` is null for a tombstone. */
export type RemoteRecord = Schemas["Record"];
/** One page of a pull. */
export type PullPage = Schemas["PullResponse"];
