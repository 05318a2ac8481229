/**
 * One toast at a time ("Meal deleted. Undo"), announced politely to screen readers.
 *
 * A toast that only informs stays 6 seconds (and goes at her next tap: ui.tsx). A toast with
 * an action (Undo) stays at least 10 seconds, long enough for an unsteady hand to find and reach
 * the button, and does not go while the focus is inside it: a keyboard or screen-reader user
 * who has moved to "Undo" is never left with the button vanishing under her.
 */
import { useEffect, useState } from "preact/hooks";

export interface Toast {
  id: number;
  text: string;
  action?: { label: string; run: () => void };
}

let current: Toast | null = null;
let seq = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let held = false;
const listeners = new Set<(t: Toast | null) => void>();

/** How long a toast that only informs stays. */
export const TOAST_MS = 6000;
/** How long a toast with an action (Undo) stays at least. */
export const ACTION_TOAST_MS = 10_000;

function lifetime(t: Toast): number {
  return t.action ? ACTION_TOAST_MS : TOAST_MS;
}

export function showToast(text: string, action?: Toast["action"]): void {
  seq += 1;
  current = { id: seq, text, ...(action ? { action } : {}) };
  held = false;
  for (const fn of listeners) fn(current);
  clearTimeout(timer);
  timer = setTimeout(dismissToast, lifetime(current));
}

export function dismissToast(): void {
  clearTimeout(timer);
  held = false;
  current = null;
  for (const fn of listeners) fn(null);
}

/** The focus moved into the toast: it stays until the focus leaves (or she acts on it). */
export function holdToast(): void {
  if (!current) return;
  held = true;
  clearTimeout(timer);
}

/** The focus left the toast: it gets its whole time again from now. */
export function releaseToast(): void {
  if (!current || !held) return;
  held = false;
  clearTimeout(timer);
  timer = setTimeout(dismissToast, lifetime(current));
}

/** The toast showing now (for tests and the view). */
export function currentToast(): Toast | null {
  return current;
}

export function useToast(): Toast | null {
  const [t, setT] = useState<Toast | null>(current);
  useEffect(() => {
    listeners.add(setT);
    return () => listeners.delete(setT);
  }, []);
  return t;
}
