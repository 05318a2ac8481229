import { describe, expect, it } from "vitest";
import { syncSummary } from "./SyncScreen";

describe("the Sync screen's status line", () => {
  it("says synced only when nothing is waiting and nothing needs attention", () => {
    expect(syncSummary(0, 0)).toBe("Everything on this device is synced.");
  });

  it("never says synced under a 'needs attention' badge", () => {
    expect(syncSummary(0, 1)).toBe("1 change needs your attention (below).");
    expect(syncSummary(0, 2)).not.toMatch(/synced/);
    expect(syncSummary(3, 1)).toBe("3 changes are only on this device. 1 change needs your attention (below).");
  });
});
