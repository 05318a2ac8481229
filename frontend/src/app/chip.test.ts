import { describe, expect, it } from "vitest";
import type { SyncStatus } from "../sync/engine";
import { chipWords } from "./ui";

const status = (patch: Partial<SyncStatus>): SyncStatus => ({
  phase: "idle",
  pending: 0,
  attention: 0,
  lastSyncedAt: null,
  everSynced: true,
  retryInMs: null,
  ...patch,
});

describe("the sync chip's words", () => {
  it("keeps a short form of every state for a narrow screen with large text", () => {
    const cases: [Partial<SyncStatus>, boolean, string, string][] = [
      [{}, true, "Synced", "Synced"],
      [{}, false, "Synced", "Offline"],
      [{ pending: 6 }, false, "Only on this device (6)", "Offline (6)"],
      [{ pending: 6 }, true, "Only on this device (6)", "Not sent (6)"],
      [{ attention: 2, pending: 1 }, true, "Needs attention (2)", "Check (2)"],
      [{ phase: "signed-out" }, true, "Sign in again", "Sign in"],
      [{ everSynced: false }, true, "Not synced yet", "Not synced"],
    ];
    for (const [patch, online, text, short] of cases) {
      const words = chipWords(status(patch), online);
      expect([words.text, words.short]).toEqual([text, short]);
      // Short enough for one line at 320 px with 200 % text (about 12 characters).
      expect(words.short.length).toBeLessThanOrEqual(12);
    }
  });
});
