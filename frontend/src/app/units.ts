/**
 * Display units. Everything is stored in metric (grams, centimetres, kilograms); the person's
 * `unit_system` ("metric" or "us", on the profile) only changes what is shown and typed.
 * In US units food amounts show ounces beside grams, because package labels give both and
 * portions in the catalog are weighed in grams.
 */
import { units } from "../scoring";
import { useLive } from "./hooks";
import { runtime } from "./runtime";

export const GRAMS_PER_OZ = 28.349523125;
export const CM_PER_INCH = 2.54;
export const { kgToLb, lbToKg } = units;

export type UnitSystem = "metric" | "us";

/** Zones of the United States: there, US units and US lab units are what people expect. */
const US_ZONE = /^(America\/(New_York|Chicago|Denver|Los_Angeles|Phoenix|Anchorage|Adak|Boise|Detroit|Juneau|Nome|Sitka|Yakutat|Metlakatla|Menominee|Indiana\/.+|Kentucky\/.+|North_Dakota\/.+)|Pacific\/Honolulu)$/;

/** The unit system to offer first, from the phone's time zone. */
export function guessUnitSystem(zone: string): UnitSystem {
  return US_ZONE.test(zone) ? "us" : "metric";
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

/** "170 g" in metric; "170 g · 6 oz" in US units (for labels that have brackets already). */
export function fmtGramsShort(grams: number, system: UnitSystem | undefined): string {
  const g = `${Math.round(grams)} g`;
  return system === "us" ? `${g} · ${oneDecimal(gramsToOz(grams))} oz` : g;
}

export function fmtHeight(cm: number, system: UnitSystem | undefined): string {
  if (system !== "us") return `${Math.round(cm)} cm`;
  const { ft, inches } = cmToFtIn(cm);
  return `${ft} ft ${inches} in`;
}

/**
 * Explanations come from the scoring engine (the same words as the server's), which speaks
 * metric; in US units their body weights are shown in pounds.
 */
export function localiseText(text: string, system: UnitSystem | undefined): string {
  if (system !== "us") return text;
  return text.replace(/(\d+(?:\.\d+)?) kg\b/g, (_, kg: string) => `${(Math.round(kgToLb(Number(kg)) * 10) / 10).toString()} lb`);
}
