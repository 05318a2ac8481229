import { describe, expect, it } from "vitest";
import { sourceWords, type SourceState } from "./source";

const synced: SourceState = { server: false, unscored: null, failed: false, online: true, pending: 0, phase: "idle" };

describe("the line under Today's rings", () => {
  it("says up to date with the server's report", () => {
    expect(sourceWords({ ...synced, server: true })).toBe("Up to date.");
  });

  it("says 'when online' only when offline", () => {
    expect(sourceWords({ ...synced, online: false })).toMatch(/when online/);
    expect(sourceWords({ ...synced, phase: "offline" })).toMatch(/when online/);
    for (const phase of ["idle", "syncing", "retrying"]) expect(sourceWords({ ...synced, phase })).not.toMatch(/online/);
  });

  it("says what it waits for while online", () => {
    expect(sourceWords({ ...synced, pending: 2 })).toBe("Worked out on this phone; checked once your changes are sent.");
    expect(sourceWords({ ...synced, phase: "retrying" })).toMatch(/did not answer/);
    expect(sourceWords({ ...synced, failed: true })).toMatch(/did not come through/);
    expect(sourceWords(synced)).toBe("Worked out on this phone; checking with the server.");
  });

  it("says why the server has no score for the day, never a score of 0", () => {
    expect(sourceWords({ ...synced, unscored: "not-begun" })).toMatch(/today has not begun.*date and time/);
    expect(sourceWords({ ...synced, unscored: "before-first" })).toMatch(/the day your records start/);
  });
});
