/**
 * The server's day report, asked for with If-None-Match: the last answer for each day is kept
 * with its ETag, so a report that has not changed since comes back as an empty 304 (the server
 * neither computes nor sends it). The tag names the person, so a kept answer is never taken for
 * someone else's.
 */
import { api } from "../api/client";
import type { DayReport } from "../scoring";

/** One GET of a day's report: the status, the ETag and the parsed body (when there is one). */
export type DayGetter = (
  day: string,
  headers: Record<string, string>,
) => Promise<{ status: number; etag: string | null; body: unknown }>;

const KEPT_DAYS = 14;

const viaApi: DayGetter = async (day, headers) => {
  const r = await api.GET("/api/v1/days/{day}", { params: { path: { day } }, headers });
  return { status: r.response.status, etag: r.response.headers.get("ETag"), body: r.data };
};

export class DayReports {
  private readonly kept = new Map<string, { etag: string; report: DayReport }>();

  constructor(private readonly get: DayGetter = viaApi) {}

  /** The report for `day`, or null when the server did not give one (offline, refused). */
  async fetch(day: string): Promise<DayReport | null> {
    // Offline the request could only fail, and the browser logs each failed one as an error.
    if (typeof navigator !== "undefined" && navigator.onLine === false) return null;
    const prior = this.kept.get(day);
    const answer = await this.get(day, prior ? { "If-None-Match": prior.etag } : {});
    if (answer.status === 304 && prior) return prior.report;
    if (answer.status !== 200 || !answer.body) return null;
    const report = answer.body as DayReport;
    this.kept.delete(day);
    if (answer.etag) this.kept.set(day, { etag: answer.etag, report });
    while (this.kept.size > KEPT_DAYS) this.kept.delete(this.kept.keys().next().value as string);
    return report;
  }
}

/** The page's one keeper of day reports. */
export const dayReports = new DayReports();

/**
 * Why the server's report for a day carries no scores (`scored: false`, every score null), or
 * null when it is scored. The report's type says numbers: an unscored one must never reach a
 * ring, where a null would be drawn as 0 she did not earn.
 *   "before-first": the day is before her first day (the server counts from `first_day`);
 *   "not-begun": the day is after the server's today for her: this phone's date (or its time
 *   zone) is ahead of her profile's.
 */
export function unscoredWhy(report: ServerDay): "before-first" | "not-begun" | null {
  if (report.scored !== false && typeof report.overall === "number") return null;
  return typeof report.first_day === "string" && report.date < report.first_day ? "before-first" : "not-begun";
}

/** What unscoredWhy reads of an answer (a DayReport is one; the API's adds `scored` and `first_day`). */
export interface ServerDay {
  readonly date: string;
  readonly overall: unknown;
  readonly scored?: unknown;
  readonly first_day?: unknown;
}
