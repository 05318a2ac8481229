/** Pure helpers for Trends' charts (no uPlot here, so Vitest can hold them). */
import { units } from "../../scoring";
import { dayOf } from "../../app/day";
import { fmtDayMonth } from "../../app/zone";
import { weightKgOf, type UnitSystem } from "../../app/units";

/**
 * Body weight per day in her units (kg, or lb in US units), one decimal, the day's last
 * weighing; null on days with none. Weights typed in pounds are read as pounds.
 */
export function weightSeries(
  measurements: readonly { fields: Record<string, unknown> | null }[],
  days: readonly string[],
  zone: string,
  system: UnitSystem | undefined,
): (number | null)[] {
  const last = new Map<string, { at: number; kg: number }>();
  for (const r of measurements) {
    const f = r.fields ?? {};
    const kg = weightKgOf(f);
    const d = dayOf(f.measured_at, zone);
    const at = Date.parse(String(f.measured_at));
    if (kg === null || !d) continue;
    const known = last.get(d);
    if (!known || at >= known.at) last.set(d, { at, kg });
  }
  return days.map((d) => {
    const w = last.get(d);
    if (!w) return null;
    const shown = system === "us" ? units.kgToLb(w.kg) : w.kg;
    return Math.round(shown * 10) / 10;
  });
}

/** A legend's value: the number with its unit, or "no data" (never uPlot's "--"). */
export function legendValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "no data";
  return `${Math.round(value * 10) / 10} ${unit}`.trim();
}

/** A date on an axis or in a legend, from uPlot's seconds: "3 Dec" (in UTC: the points sit at noon UTC of their day). */
export function axisDate(seconds: number): string {
  return fmtDayMonth(new Date(seconds * 1000).toISOString().slice(0, 10));
}

/** Whether a series needs dots: a value with no neighbour (one day of pain) is no line at all. */
export function needsDots(values: readonly (number | null)[]): boolean {
  return values.some((v, i) => v !== null && (values[i - 1] ?? null) === null && (values[i + 1] ?? null) === null);
}
