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
