import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ACTION_TOAST_MS, currentToast, dismissToast, holdToast, releaseToast, showToast, TOAST_MS } from "./toast";

describe("toast lifetimes", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    dismissToast();
    vi.useRealTimers();
  });

  it("an Undo toast stays at least ten seconds", () => {
    showToast("Workout deleted.", { label: "Undo", run: () => undefined });
    vi.advanceTimersByTime(9_999);
    expect(currentToast()?.text).toBe("Workout deleted.");
    vi.advanceTimersByTime(1);
    expect(currentToast()).toBeNull();
    expect(ACTION_TOAST_MS).toBeGreaterThanOrEqual(10_000);
  });

  it("a toast that only informs goes after its own time", () => {
    showToast("Breakfast saved");
    vi.advanceTimersByTime(TOAST_MS - 1);
    expect(currentToast()?.text).toBe("Breakfast saved");
    vi.advanceTimersByTime(1);
    expect(currentToast()).toBeNull();
  });

  it("stays while the focus is in it, and gets its whole time again when the focus leaves", () => {
    showToast("Meal deleted.", { label: "Undo", run: () => undefined });
    vi.advanceTimersByTime(9_000);
    holdToast();
    vi.advanceTimersByTime(60_000);
    expect(currentToast()?.text).toBe("Meal deleted.");
    releaseToast();
    vi.advanceTimersByTime(ACTION_TOAST_MS - 1);
    expect(currentToast()).not.toBeNull();
    vi.advanceTimersByTime(1);
    expect(currentToast()).toBeNull();
  });
});
