/**
 * "Date of the test" on a lab result: she copies it from a letter, often days or weeks later,
 * so she gives the date only (today in her zone by default) and the result is stored at noon of
 * that day in her zone: an instant, as the API's `measured_at` expects, that falls on that day
 * wherever the clock's minutes or summer time land. A saved result whose date she does not
 * change keeps its own instant.
 */
import { whenProblem } from "./when";
import { instantFromWall, wallTime } from "./zone";

export interface TestDateState {
  /** The saved result's instant; null for a new result. */
  saved: string | null;
  /** The date she typed ("2026-11-20"); null while untouched. */
  typed: string | null;
}

/** The date the field shows: what she typed, else the saved result's day, else today, in `zone`. */
export function testDateValue(state: TestDateState, zone: string, nowMs: number = Date.now()): string {
  if (state.typed !== null) return state.typed;
  return wallTime(state.saved ?? undefined, zone, nowMs).slice(0, 10);
}

/** The instant to save, or why not, in words. */
export function testDateInstant(state: TestDateState, zone: string, nowMs: number = Date.now()): { at: string } | { problem: string } {
  const value = testDateValue(state, zone, nowMs);
  if (state.saved !== null && (state.typed === null || state.typed === wallTime(state.saved, zone).slice(0, 10))) return { at: state.saved };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return { problem: "Enter the date of the test." };
  let at: string;
  try {
    at = instantFromWall(`${value}T12:00`, zone);
  } catch {
    return { problem: "Enter the date of the test." };
  }
  const problem = whenProblem(at, nowMs);
  return problem ? { problem: problem.replace("Enter a date and time.", "Enter the date of the test.") } : { at };
}
