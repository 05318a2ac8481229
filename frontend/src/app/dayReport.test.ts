import { describe, expect, it, vi } from "vitest";
import { DayReports, unscoredWhy, type DayGetter, type ServerDay } from "./dayReport";

const report = (overall: number) => ({ date: "2026-11-20", overall }) as unknown;

function server(): { get: DayGetter; sent: Record<string, string>[]; version: { n: number } } {
  const sent: Record<string, string>[] = [];
  const version = { n: 1 };
  const get: DayGetter = async (_day, headers) => {
    sent.push(headers);
    const tag = `W/"v${version.n}"`;
    if (headers["If-None-Match"] === tag) return { status: 304, etag: tag, body: undefined };
    return { status: 200, etag: tag, body: report(version.n * 10) };
  };
  return { get, sent, version };
}

describe("DayReports", () => {
  it("sends the kept tag and reuses the kept report on a 304", async () => {
    const s = server();
    const reports = new DayReports(s.get);
    const first = await reports.fetch("2026-11-20");
    const again = await reports.fetch("2026-11-20");
    expect(s.sent).toEqual([{}, { "If-None-Match": 'W/"v1"' }]);
    expect(again).toBe(first);
  });

  it("takes the new report when the server's changed", async () => {
    const s = server();
    const reports = new DayReports(s.get);
    await reports.fetch("2026-11-20");
    s.version.n = 2;
    expect(await reports.fetch("2026-11-20")).toEqual(report(20));
    expect(await reports.fetch("2026-11-20")).toEqual(report(20));
    expect(s.sent[2]).toEqual({ "If-None-Match": 'W/"v2"' });
  });

  it("gives nothing for a refused answer and keeps no tag for it", async () => {
    const reports = new DayReports(async () => ({ status: 401, etag: null, body: undefined }));
    expect(await reports.fetch("2026-11-20")).toBeNull();
  });

  it("asks nothing offline (a request could only fail, logged by the browser): the phone's own report stands", async () => {
    const s = server();
    const reports = new DayReports(s.get);
    vi.stubGlobal("navigator", { onLine: false });
    try {
      expect(await reports.fetch("2026-11-20")).toBeNull();
      expect(s.sent).toEqual([]);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(await reports.fetch("2026-11-20")).not.toBeNull();
    expect(s.sent).toEqual([{}]);
  });
});

describe("unscoredWhy", () => {
  const base: ServerDay = { date: "2026-12-05", overall: 40, scored: true, first_day: "2026-11-01" };
  const unscored: ServerDay = { ...base, scored: false, overall: null };

  it("is null for a scored day", () => {
    expect(unscoredWhy(base)).toBeNull();
  });

  it("names a day after the server's today, and a day before her first", () => {
    expect(unscoredWhy(unscored)).toBe("not-begun");
    expect(unscoredWhy({ ...unscored, date: "2026-10-30" })).toBe("before-first");
  });

  it("never takes a null score for a scored one", () => {
    expect(unscoredWhy({ ...base, overall: null })).toBe("not-begun");
  });
});
