/**
 * Scales and ticks for Trends' charts (pure: Vitest holds them). The value axis runs from 0 to
 * a round number a little above the highest value (or over a fixed range: scores 0–100); the
 * date axis has a tick on whole days, weeks or months, as many as fit at the text size. Times
 * are seconds since the epoch; a day's point sits at noon UTC of that day (series.ts).
 */

const DAY_S = 86_400;

/** The smallest step of 1, 2, 2.5 or 5 times a power of ten that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5]) if (m * power >= raw * (1 - 1e-9)) return m * power;
  return 10 * power;
}

/** Cleans float noise off a tick (0.30000000000000004 → 0.3). */
const clean = (v: number) => Number(v.toPrecision(12));

/**
 * The value axis's range when none is fixed: from 0 (lower for a negative value) to a round
 * number a tenth above the highest value, so no line runs along the chart's top edge.
 */
export function autoRange(values: readonly (number | null)[]): [number, number] {
  let lo = 0;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (hi === -Infinity) return [0, 1];
  if (hi <= lo) hi = lo + (Math.abs(lo) || 1);
  const span = hi - lo;
  const step = niceStep(span / 5);
  return [clean(Math.floor(lo / step) * step), clean(Math.ceil((hi + span * 0.1) / step) * step)];
}

/** Value ticks on round steps within [lo, hi], at most `most` of them (at least 2 when room allows). */
export function valueTicks(lo: number, hi: number, most: number): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep((hi - lo) / Math.max(1, most));
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(clean(v));
  return out;
}

/** Noon UTC of the first day of the month `index` months after January 1970, in seconds. */
const monthStart = (index: number) => Date.UTC(1970, index, 1, 12) / 1000;

/**
 * Date ticks within [lo, hi] (seconds) when `most` ticks would fit side by side: every day,
 * 2, 3, 7 or 14 days, or the first of every 1, 2, 3, 6, 12, 24 or 60 months, the finest whose
 * ticks are far enough apart. Days are counted from the epoch, so the ticks stay put as the
 * range moves by a day.
 */
export function dateTicks(lo: number, hi: number, most: number): number[] {
  const least = (hi - lo) / Math.max(1, most);
  for (const days of [1, 2, 3, 7, 14]) {
    if (days * DAY_S < least) continue;
    const ticks: number[] = [];
    const first = Math.ceil((lo - DAY_S / 2) / DAY_S / days) * days;
    for (let d = first; d * DAY_S + DAY_S / 2 <= hi; d += days) ticks.push(d * DAY_S + DAY_S / 2);
    return ticks;
  }
  const start = new Date(lo * 1000);
  const firstMonth = (start.getUTCFullYear() - 1970) * 12 + start.getUTCMonth();
  const months = [1, 2, 3, 6, 12, 24, 60].find((m) => m * 30.4 * DAY_S >= least) ?? 120;
  const ticks: number[] = [];
  for (let m = Math.ceil(firstMonth / months) * months; monthStart(m) <= hi; m += months) {
    if (monthStart(m) >= lo) ticks.push(monthStart(m));
  }
  return ticks;
}

/** A value tick as written on the axis: "1,000", "2.5". */
export function tickText(v: number): string {
  return new Intl.NumberFormat("en", { maximumFractionDigits: 4 }).format(v);
}
