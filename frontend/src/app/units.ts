/**
 * Display units. Everything is stored in metric (grams, centimetres, kilograms); the person's
 * `unit_system` ("metric" or "us", on the profile) only changes what is shown and typed.
 * In US units food amounts show ounces beside grams, because package labels give both and
 * portions in the catalog are weighed in grams.
 */
import { units } from "../scoring";
import { useLive } from "./hooks";
import { runtime } from "./runtime";
import type { Fields, StoredRecord } from "../storage/store";

export const GRAMS_PER_OZ = 28.349523125;
export const CM_PER_INCH = 2.54;
export const { kgToLb, lbToKg } = units;

export type UnitSystem = "metric" | "us";

/** Zones of the United States: there, US units and US lab units are what people expect. */
export const US_ZONE = /^(America\/(New_York|Chicago|Denver|Los_Angeles|Phoenix|Anchorage|Adak|Boise|Detroit|Juneau|Nome|Sitka|Yakutat|Metlakatla|Menominee|Indiana\/.+|Kentucky\/.+|North_Dakota\/.+)|Pacific\/Honolulu)$/;

/**
 * The paper her report prints on: US Letter where she lives in the United States (her profile's
 * zone), A4 everywhere else. Her units are not asked: a British woman who weighs herself in
 * pounds still prints on A4.
 */
export function paperFor(zone: string): "a4" | "letter" {
  return US_ZONE.test(zone) ? "letter" : "a4";
}

/** The person's unit system; undefined while it loads. */
export function useUnitSystem(): UnitSystem | undefined {
  const rt = runtime();
  return useLive(async () => {
    const fields = rt ? (await rt.store.list("profile"))[0]?.fields : undefined;
    return fields?.unit_system === "us" ? "us" : "metric";
  }, [rt]);
}

export const gramsToOz = (g: number): number => g / GRAMS_PER_OZ;
export const ozToGrams = (oz: number): number => oz * GRAMS_PER_OZ;

const oneDecimal = (n: number): string => (Math.round(n * 10) / 10).toString();

/** "250 g" in metric; "250 g (8.8 oz)" in US units. */
export function fmtGrams(grams: number, system: UnitSystem | undefined): string {
  const g = `${Math.round(grams)} g`;
  return system === "us" ? `${g} (${oneDecimal(gramsToOz(grams))} oz)` : g;
}

/** Centimetres to whole feet and inches rounded to 0.5 (5 ft 5 in for 165 cm). */
export function cmToFtIn(cm: number): { ft: number; inches: number } {
  const total = Math.round((cm / CM_PER_INCH) * 2) / 2;
  const ft = Math.floor(total / 12);
  return { ft, inches: Math.round((total - ft * 12) * 2) / 2 };
}

export function ftInToCm(ft: number, inches: number): number {
  return Math.round((ft * 12 + inches) * CM_PER_INCH * 10) / 10;
}

export function fmtHeight(cm: number, system: UnitSystem | undefined): string {
  if (system !== "us") return `${Math.round(cm)} cm`;
  const { ft, inches } = cmToFtIn(cm);
  return `${ft} ft ${inches} in`;
}

/** "68.0 kg" or "150.0 lb": every weight on every screen goes through here, one decimal. */
export function fmtWeight(kg: number, system: UnitSystem | undefined): string {
  return system === "us" ? `${kgToLb(kg).toFixed(1)} lb` : `${kg.toFixed(1)} kg`;
}

/**
 * Explanations come from the scoring engine (the same words as the server's), which speaks
 * metric; in US units their body weights are shown in pounds, and in metric a vitamin D result
 * in nmol/L. The engine prints a weight to 0.1 kg, which is not enough for pounds (150 lb is
 * 68.04 kg, printed "68.0", which is 149.9 lb): `exactKg` are the stored weights, and a printed
 * weight that one of them rounds to is converted from that exact value, so the explanation says
 * what the entry list says.
 */
export function localiseText(
  text: string,
  system: UnitSystem | undefined,
  exactKg: readonly number[] = [],
  vitaminDUnit?: string,
): string {
  let out = text;
  // The engine speaks ng/mL (the seed's thresholds). Vitamin D is said in the unit of her latest
  // result when she typed one (62 nmol/L stays nmol/L even in US units, as Trends charts it),
  // else in her unit system's: nmol/L in metric.
  if ((vitaminDUnit ?? (system === "us" ? "ng/mL" : "nmol/L")) === "nmol/L") {
    out = out
      .replace(/(\d+(?:\.\d+)?) ng\/mL\b/g, (_, v: string) => fmtLab(units.vitaminD25ohNgMlToNmolL(Number(v)), "nmol/L"))
      .replace(/below 30\.$/, "below 75 nmol/L (30 ng/mL).")
      .replace(/above 50\.$/, "above 125 nmol/L (50 ng/mL).");
  }
  if (system !== "us") return out;
  return out.replace(/(\d+(?:\.\d+)?) kg\b/g, (_, printed: string) => {
    const exact = exactKg.find((kg) => kg.toFixed(1) === Number(printed).toFixed(1));
    return fmtWeight(exact ?? Number(printed), "us");
  });
}

/** The unit of her latest vitamin D result as she typed it, if she has one. */
export function latestVitaminDUnit(labs: readonly StoredRecord[]): string | undefined {
  let latest: { at: number; unit: string } | undefined;
  for (const r of labs) {
    const f = r.fields ?? {};
    const at = Date.parse(String(f.measured_at));
    if (f.kind !== units.VITAMIN_D_25OH || typeof f.unit !== "string" || Number.isNaN(at)) continue;
    if (!latest || at > latest.at) latest = { at, unit: f.unit };
  }
  return latest?.unit;
}

/**
 * Lab results: the unit shown for a kind. US units → the US convention (ng/mL, mg/dL); metric
 * (the UK, Europe, Canada, Australia…) → SI units (nmol/L, mmol/L), the units on her letters.
 * A result is scored in the protocol's canonical unit whatever is shown.
 */
export function labUnitFor(kind: string, system: UnitSystem | undefined): string {
  const canonical = units.CANONICAL_UNIT.get(kind) ?? "";
  if (system === "us" || canonical === "T-score") return canonical;
  return kind === units.VITAMIN_D_25OH ? "nmol/L" : units.LIPID_KINDS.has(kind) ? "mmol/L" : canonical;
}

/** A canonical value (ng/mL, mg/dL) in `unit`, for display. */
export function labFromCanonical(kind: string, value: number, unit: string): number {
  if (unit === units.CANONICAL_UNIT.get(kind)) return value;
  if (kind === units.VITAMIN_D_25OH && unit === "nmol/L") return units.vitaminD25ohNgMlToNmolL(value);
  if (kind === units.TRIGLYCERIDES && unit === "mmol/L") return value * units.MMOL_L_PER_MG_DL_TRIGLYCERIDES;
  if (units.CHOLESTEROL_KINDS.has(kind) && unit === "mmol/L") return value * units.MMOL_L_PER_MG_DL_CHOLESTEROL;
  return value;
}

/** "62 nmol/L": a lab value rounded as labs print it (one decimal, two for mmol/L). */
export function fmtLab(value: number, unit: string): string {
  // 25(OH)D in nmol/L is printed whole, which also gives back a whole value typed in nmol/L
  // after its trip through ng/mL (62 → 24.8 → 62).
  const digits = unit === "mmol/L" ? 100 : unit === "nmol/L" ? 1 : 10;
  return `${(Math.round(value * digits) / digits).toString()} ${unit}`;
}

/** A weight in brackets a label may carry already ("170 g", "6 oz", "6.0 oz"). */
const WEIGHT_IN_LABEL = /^\d+(\.\d+)?\s?(g|oz)$/;

/**
 * A portion, in one format everywhere (the meal form's chips, a search result's calcium line,
 * My foods): its label, then its weight in her units in brackets: "1 cup (244 g)", in US units
 * "1 cup (8.6 oz)". A weight the label gives already ("1 container (170 g)", "(6 oz)") is replaced
 * by hers, never given twice (a label that is only a weight, "3 oz", becomes hers alone); anything else in its brackets stays first: "1 cup (240 ml, 244 g)".
 */
export function portionLabel(label: string, grams: number, system: UnitSystem | undefined): string {
  const weight = system === "us" ? `${oneDecimal(gramsToOz(grams))} oz` : `${Math.round(grams)} g`;
  // A portion named by its weight alone ("3 oz", "100 g") is that weight in her units: never "3 oz (3 oz)".
  if (WEIGHT_IN_LABEL.test(label.trim())) return weight;
  const bracket = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(label);
  if (!bracket) return `${label.trim()} (${weight})`;
  const said = bracket[2]!.split(",").map((part) => part.trim()).filter((part) => part && !WEIGHT_IN_LABEL.test(part));
  return `${bracket[1]!.trim()} (${[...said, weight].join(", ")})`;
}

/**
 * A weight entry's kilograms, whatever unit it was entered in: an entry keeps the unit it was
 * typed in (`weight_lb` or `weight_kg`, the server stores both the value and that unit, and the
 * exports write both), so every reader converts here, never by reading `weight_kg` alone.
 */
export function weightKgOf(fields: Fields | null | undefined): number | null {
  const f = fields ?? {};
  if (typeof f.weight_kg === "number") return f.weight_kg;
  return typeof f.weight_lb === "number" ? lbToKg(f.weight_lb) : null;
}

/** Every weight of a person's measurement records, in kg (for `localiseText`'s exact values). */
export function weightsKgOf(records: readonly StoredRecord[]): number[] {
  return records.map((r) => weightKgOf(r.fields)).filter((v): v is number => v !== null);
}

/**
 * A search result's calcium line. Metric: per 100 g, as food labels there print it. US units:
 * per the food's first household portion (the amount the meal form starts at: "300 mg calcium
 * per 1 cup (240 ml, 8.6 oz)"), or per 3.5 oz (100 g) for a food without one; "per 100 g" alone meant
 * nothing to someone who weighs in ounces. Never "0 mg" for a food that does not say.
 */
export function calciumLine(mgPer100g: number | undefined, portions: readonly (readonly [string, number])[] | undefined, system: UnitSystem | undefined): string {
  if (mgPer100g === undefined) return "calcium not known";
  const first = portions?.[0];
  if (system !== "us") return `${Math.round(mgPer100g)} mg calcium per 100 g`;
  if (first && first[1] > 0) return `${Math.round((mgPer100g * first[1]) / 100)} mg calcium per ${portionLabel(first[0], first[1], system)}`;
  return `${Math.round(mgPer100g)} mg calcium per ${oneDecimal(gramsToOz(100))} oz (100 g)`;
}
