/** Pure helpers for Trends' charts (no drawing here, so Vitest can hold them). */
import { addDays, units } from "../../scoring";
import { dayOf } from "../../app/day";
import { fmtDayMonth } from "../../app/zone";
import { LAB_LABEL } from "../../app/summary";
import { labFromCanonical, labUnitFor, weightKgOf, type UnitSystem } from "../../app/units";

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

/** A legend's value: the number with its unit, or "no data" (never "--"). */
export function legendValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "no data";
  return `${Math.round(value * 10) / 10} ${unit}`.trim();
}

/** A date on an axis or in a legend, from seconds since the epoch: "3 Dec" (in UTC: the points sit at noon UTC of their day). */
export function axisDate(seconds: number): string {
  return fmtDayMonth(new Date(seconds * 1000).toISOString().slice(0, 10));
}

/** Whether a series needs dots: a value with no neighbour (one day of pain) is no line at all. */
export function needsDots(values: readonly (number | null)[]): boolean {
  return values.some((v, i) => v !== null && (values[i - 1] ?? null) === null && (values[i + 1] ?? null) === null);
}

export interface LabSeries {
  kind: string;
  unit: string;
  times: number[];
  values: number[];
}

/**
 * The unit a kind of lab is charted in: the unit of her latest result of that kind, as her
 * letters print it (62 nmol/L typed in, 62 nmol/L on the axis, whatever her weights are in),
 * else the one her unit system suggests (labUnitFor: nmol/L and mmol/L in metric, ng/mL and
 * mg/dL in US units). There is no separate setting for lab units.
 */
export function chartLabUnit(kind: string, latestUnit: string | undefined, system: UnitSystem | undefined): string {
  if (latestUnit !== undefined) {
    try {
      units.canonicalLabValue(kind, 1, latestUnit);
      return latestUnit;
    } catch {
      // A unit that does not fit the kind: fall back to her settings' unit.
    }
  }
  return labUnitFor(kind, system);
}

/** Noon UTC of a calendar day, in seconds: where the charts put that day's point and gridline (scale.ts). */
export const dayPoint = (day: string): number => Date.parse(`${day}T12:00:00Z`) / 1000;

/**
 * Lab results per kind, all in one unit per kind (chartLabUnit), whatever unit each was typed
 * in, oldest first. Results in a unit that does not fit their kind are left out of the chart;
 * the table below still lists them as entered. Each sits on its day in her `zone` (noon UTC of
 * that day, as every chart's days and gridlines do): placed at its own instant, a result of
 * noon in Auckland (23:00 UTC the day before) sat on the previous day's gridline, and a result
 * away from noon UTC between two days.
 */
export function labSeries(labs: readonly { fields: Record<string, unknown> | null }[], system: UnitSystem | undefined, zone = "UTC"): LabSeries[] {
  const byKind = new Map<string, { t: number; at: number; canonical: number; unit: string }[]>();
  for (const r of labs) {
    const f = r.fields ?? {};
    const t = Date.parse(String(f.measured_at));
    if (typeof f.kind !== "string" || typeof f.value !== "number" || typeof f.unit !== "string" || Number.isNaN(t)) continue;
    try {
      const c = units.canonicalLabValue(f.kind, f.value, f.unit);
      const points = byKind.get(f.kind) ?? [];
      points.push({ t: dayPoint(dayOf(f.measured_at, zone) ?? new Date(t).toISOString().slice(0, 10)), at: t, canonical: c.value, unit: f.unit });
      byKind.set(f.kind, points);
    } catch {
      // Unknown kind or unit: nothing to draw.
    }
  }
  const order = Object.keys(LAB_LABEL);
  return [...byKind.entries()]
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
    .map(([kind, points]) => {
      points.sort((a, b) => a.at - b.at);
      const shown = chartLabUnit(kind, points[points.length - 1]?.unit, system);
      const digits = shown === "mmol/L" ? 100 : shown === "nmol/L" ? 1 : 10;
      const values = points.map((p) => Math.round(labFromCanonical(kind, p.canonical, shown) * digits) / digits);
      return { kind, unit: shown, times: points.map((p) => p.t), values };
    });
}

/** A series' marker shape: the lines differ by shape and dash too, never by colour alone. */
export type Marker = "circle" | "square" | "triangle" | "diamond";

/** A series' latest value and its index, or null when it has none. */
export function latestOf(values: readonly (number | null)[]): { value: number; index: number } | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return { value: v, index: i };
  }
  return null;
}

/** A component's target from the latest day with a report (Today's own, for today): null without one. */
export function latestTarget(reports: readonly ({ components: readonly { key: string; target: number | null }[] } | null)[], key: string): number | null {
  for (let i = reports.length - 1; i >= 0; i--) {
    const c = reports[i]?.components.find((x) => x.key === key);
    if (c && c.target !== null) return c.target;
  }
  return null;
}

/** The fewest days a Trends chart spans: one or two days of hers never fill its whole width. */
export const MIN_AXIS_DAYS = 7;

/**
 * The first day a Trends chart draws: her first day when the chosen period starts before it,
 * but never less than `minDays` days up to `today` (so on her 2nd day the charts span a week,
 * not 30 days with her points squashed against the right edge: issue #14); else the period's
 * own start. `first` null (her first day not known yet) keeps the whole period. Days are
 * "YYYY-MM-DD", so they compare as text.
 */
export function axisStart(periodStart: string, first: string | null, today: string, minDays = MIN_AXIS_DAYS): string {
  if (first === null) return periodStart;
  const latest = addDays(today, -(Math.max(1, minDays) - 1));
  const start = first < latest ? first : latest;
  return start > periodStart ? start : periodStart;
}

/**
 * The minutes a week's bar shows, or null ("no data") for a week that ended before her first
 * day: "0 min" said she did nothing in weeks before she joined (newcomer walk). `first` null
 * (her first day not known yet) holds nothing back, as the scores do (app/firstDay.ts).
 */
export function weekShown(last: string, first: string | null, minutes: () => number): number | null {
  return first !== null && last < first ? null : minutes();
}

/**
 * A week's bar's label, "week to 6 Nov", its date kept on one line: at 320 px with 200 % text
 * it broke into "week to 6" and "Nov" (the newcomer walk, issue #14).
 */
export function weekLabel(day: string): string {
  return `week to ${fmtDayMonth(day).replace(" ", "\u00a0")}`;
}
