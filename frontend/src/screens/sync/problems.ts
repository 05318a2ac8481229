/**
 * What the Sync screen says about a change the server refused and a value that lost a merge,
 * in her words and units: the field by its plain name, a limit with its unit (in US units,
 * ounces and pounds first), the food it concerns, and which device each value came from.
 * The server's problem (docs/sync.md) names the field path ("items[0].grams"), the rule
 * ("less_than_equal") and a Pydantic sentence holding the limit ("... less than or equal to 5000").
 */
import { NOUN, nounOf } from "../../app/entries";
import { foodDisplayName } from "../../app/foodName";
import { fmtWeight, gramsToOz, kgToLb, lbToKg, type UnitSystem } from "../../app/units";
import { fmtDayTime } from "../../app/zone";
import { refusedFields, type ConflictRow, type RejectedOp } from "../../storage/store";

/** Field names in words, for "which field was not accepted" (plural ones say "were"). */
export const FIELD_WORDS: Record<string, string> = {
  time_zone: "time zone",
  birth_year: "birth year",
  height_cm: "height",
  sex: "sex",
  unit_system: "units",
  target_overrides: "targets",
  schedule_times: "dose times",
  eaten_at: "time",
  taken_at: "time",
  started_at: "time",
  measured_at: "date",
  worst_pain_0_10: "worst pain",
  weight_kg: "weight",
  weight_lb: "weight",
  nutrients_per_unit: "amounts",
  items: "foods",
  grams: "amount",
  minutes: "minutes",
  units: "number of doses",
  name: "name",
  value: "result",
};
const PLURAL = new Set(["targets", "dose times", "amounts", "foods", "minutes", "units"]);

export const fieldWords = (f: string): string => FIELD_WORDS[f] ?? f.replace(/_/g, " ");

/** "more than the 176 oz (5 kg) one food can be": what a limit is a limit of. */
const LIMIT_OF: Record<string, string> = {
  grams: "one food can be",
  weight_kg: "a weight can be",
  weight_lb: "a weight can be",
  minutes: "one workout can be",
  units: "one dose can be",
  worst_pain_0_10: "the pain scale goes",
};

/** A quantity in her units: food amounts in oz (US) or g/kg; weights in lb or kg. */
function quantity(field: string, value: number, system: UnitSystem, withMetric = false): string {
  const round = (n: number) => (Math.abs(n) >= 10 ? String(Math.round(n)) : String(Math.round(n * 10) / 10));
  const metricGrams = (g: number) => (g >= 1000 ? `${round(g / 1000)} kg` : `${round(g)} g`);
  if (field === "grams") return system === "us" ? `${round(gramsToOz(value))} oz${withMetric ? ` (${metricGrams(value)})` : ""}` : metricGrams(value);
  if (field === "weight_kg") return system === "us" ? `${round(kgToLb(value))} lb${withMetric ? ` (${round(value)} kg)` : ""}` : `${round(value)} kg`;
  if (field === "weight_lb") return `${round(value)} lb`;
  if (field === "minutes") return `${round(value)} minutes`;
  return round(value);
}

/** The value a problem's field path points at in the refused fields ("items[0].grams"). */
function valueAt(fields: unknown, path: string[]): unknown {
  let at: unknown = fields;
  for (const part of path) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

const BOUND = /(less|greater) than( or equal to)? (-?[\d.]+)/;

/** One error of a refusal in words; null when it is not one this knows how to say better. */
function errorText(r: RejectedOp, error: { field?: unknown; rule?: unknown; detail?: unknown }, system: UnitSystem): string | null {
  if (typeof error.field !== "string" || typeof error.detail !== "string") return null;
  // "fields.items[0].grams" → ["items", "0", "grams"], from the first part the change has.
  let path = error.field.split(/[.[\]]+/).filter(Boolean);
  const start = path.findIndex((p) => r.fields && Object.hasOwn(r.fields, p));
  if (start < 0) return null;
  path = path.slice(start);
  const leaf = path[path.length - 1]!;
  const bound = BOUND.exec(error.detail);
  if (!bound) return null;
  const limit = Number(bound[3]);
  const value = valueAt(r.fields, path);
  // The thing it is about: a meal's food by its name, else the entry.
  const item = path[0] === "items" && path.length >= 3 ? valueAt(r.fields, path.slice(0, 2)) : null;
  const foodName = item && typeof item === "object" ? (item as { food_name?: unknown }).food_name : null;
  const subject = typeof foodName === "string" ? foodDisplayName(foodName) : (NOUN[r.entity] ?? "This entry");
  const shown = typeof value === "number" ? quantity(leaf, value, system) : fieldWords(leaf);
  const most = bound[1] === "less";
  const of = LIMIT_OF[leaf] ?? `the ${fieldWords(leaf)} can be`;
  const limitText = quantity(leaf, limit, system, true);
  return most ? `${subject}: ${shown} is more than the ${limitText} ${of}.` : `${subject}: ${shown} is less than ${limitText}, the least ${of}.`;
}

/** The refusal in plain words: which field (in words), the limit in her units, which food. */
export function refusalText(r: RejectedOp, system: UnitSystem = "metric"): string {
  const p = r.problem as { detail?: unknown; errors?: { field?: unknown; rule?: unknown; detail?: unknown }[] } | null;
  const said = (p?.errors ?? []).map((e) => errorText(r, e, system)).filter((t): t is string => t !== null);
  if (said.length) return said.join(" ");
  const noun = r.entity === "profile" ? "Your profile" : (NOUN[r.entity] ?? "A change");
  const fields = refusedFields(r).map(fieldWords);
  const raw = typeof p?.errors?.[0]?.detail === "string" ? p.errors[0].detail : typeof p?.detail === "string" ? p.detail : "";
  const why = raw.replace(/\ban IANA /g, "a ").replace(/\bIANA\b ?/g, "").replace(/\b[a-z]+(_[a-z0-9]+)+\b/g, (k) => fieldWords(k));
  const plural = fields.length > 1 || (fields.length === 1 && PLURAL.has(fields[0]!));
  const which = fields.length ? `the ${fields.join(" and ")} ${plural ? "were" : "was"} not accepted` : "this change was not accepted";
  return `${noun}: ${which}${why ? ` (${why})` : ""}.`;
}

/** A conflict row as the server sends it (docs/sync.md): which device wrote each value. */
export type Conflict = ConflictRow & { losing_device?: string | null; winning_device?: string | null };

/** One value of a field in her units: a weight in lb, a time on her clock, a list by its size. */
export function conflictValue(field: string, v: unknown, system: UnitSystem): string {
  if (v === null || v === undefined) return "deleted";
  if (typeof v === "number") {
    if (field === "weight_kg") return fmtWeight(v, system);
    // A weight typed in pounds is kept in pounds: said to 0.1 lb, as she typed it.
    if (field === "weight_lb") return system === "us" ? `${v.toFixed(1)} lb` : fmtWeight(lbToKg(v), system);
    return quantity(field, v, system);
  }
  if (typeof v === "string") return /_at$/.test(field) && !Number.isNaN(Date.parse(v)) ? fmtDayTime(v) : `“${v}”`;
  if (Array.isArray(v)) return field === "items" ? `${v.length} food${v.length === 1 ? "" : "s"}` : `${v.length} item${v.length === 1 ? "" : "s"}`;
  return "an earlier version";
}

/** "this phone", "another device", or "" when the server did not say. */
const source = (device: string | null | undefined, mine: string | null): string =>
  !device ? "" : device === mine ? " (from this phone)" : " (from another device)";

/** A conflict in words: the field by name, both values in her units, where each came from, when. */
export function conflictText(c: Conflict, system: UnitSystem, myDevice: string | null): string {
  const when = c.created_at ? ` on ${fmtDayTime(c.created_at)}` : "";
  if (c.field === "*") {
    // The whole entry: one device deleted it while the other changed it. Said as what happened
    // ("kept deleted … the earlier version" read as nonsense to an outside walk, and the
    // set-aside change was in fact the newer one).
    const by = (device: string | null | undefined) => (!device ? "" : device === myDevice ? " on this phone" : " on another device");
    return c.winning_value === null
      ? `The whole entry was deleted${by(c.winning_device)}, and the change made to it${by(c.losing_device)} was set aside${when}.`
      : `The entry was changed${by(c.winning_device)}, and deleting it${by(c.losing_device)} was set aside${when}: it is still there.`;
  }
  const what = fieldWords(c.field)[0]!.toUpperCase() + fieldWords(c.field).slice(1);
  let kept = conflictValue(c.field, c.winning_value, system);
  let lost = conflictValue(c.field, c.losing_value, system);
  // Two different numbers must never read the same ("150 lb" and "150 lb" for 150.0 and 149.5):
  // then both are said exactly.
  if (kept === lost && typeof c.winning_value === "number" && typeof c.losing_value === "number" && c.winning_value !== c.losing_value) {
    kept = `${kept} (exactly ${c.winning_value})`;
    lost = `${lost} (exactly ${c.losing_value})`;
  }
  return `${what}: kept ${kept}${source(c.winning_device, myDevice)}; the other change, ${lost}${source(c.losing_device, myDevice)}, was set aside${when}.`;
}


/**
 * The notice on the phone whose change lost (another device's later write replaced it): it
 * learns of it only from a pull, so it says so at once, in the Sync screen's words and her units.
 */
export function lostEditNotice(rows: readonly Conflict[], system: UnitSystem, myDevice: string | null): string {
  const first = rows[0];
  if (!first) return "";
  if (rows.length > 1) return `${rows.length} of your changes were replaced by changes from another device. Sync lists them; you can put yours back.`;
  const noun = nounOf(first.entity) ?? "A record";
  return `${noun}: changed on another device after this phone. ${conflictText(first, system, myDevice)}`;
}
