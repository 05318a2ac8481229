import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { forgetPendingLink, LINK_LIFETIME_MS, pendingLink, PENDING_LINK_KEY, rememberPendingLink } from "./pendingLink";

let kept: Map<string, string>;

beforeEach(() => {
  kept = new Map();
  vi.stubGlobal("localStorage", {
    getItem: (k: string) => kept.get(k) ?? null,
    setItem: (k: string, v: string) => void kept.set(k, v),
    removeItem: (k: string) => void kept.delete(k),
  });
});

afterEach(() => vi.unstubAllGlobals());

describe("the emailed link she waits for survives a reload (issue #14 leftover 2)", () => {
  const at = Date.parse("2026-12-03T14:05:00Z");

  it("is kept with her address and name, never her password, until forgotten", () => {
    rememberPendingLink({ kind: "signup", email: "ann@example.org", name: "Ann", at });
    expect(pendingLink(at + 60_000)).toEqual({ kind: "signup", email: "ann@example.org", name: "Ann", at });
    expect(kept.get(PENDING_LINK_KEY)).not.toMatch(/password/);
    forgetPendingLink();
    expect(pendingLink(at + 60_000)).toBeNull();
  });

  it("is forgotten once the link has expired: a day for sign-up, an hour for a reset", () => {
    rememberPendingLink({ kind: "signup", email: "ann@example.org", name: "Ann", at });
    expect(pendingLink(at + LINK_LIFETIME_MS.signup - 1)).not.toBeNull();
    expect(pendingLink(at + LINK_LIFETIME_MS.signup + 1)).toBeNull();
    expect(kept.has(PENDING_LINK_KEY)).toBe(false);
    rememberPendingLink({ kind: "forgot", email: "ann@example.org", name: "", at });
    expect(pendingLink(at + 2 * 3_600_000)).toBeNull();
  });

  it("reads nothing from a damaged or foreign value", () => {
    kept.set(PENDING_LINK_KEY, "{not json");
    expect(pendingLink(at)).toBeNull();
    kept.set(PENDING_LINK_KEY, JSON.stringify({ kind: "verify", email: "x", name: "", at }));
    expect(pendingLink(at)).toBeNull();
  });
});
