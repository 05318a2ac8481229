/** One toast at a time ("Meal deleted. Undo"), 5 seconds, announced politely to screen readers. */
import { useEffect, useState } from "preact/hooks";

export interface Toast {
  id: number;
  text: string;
  action?: { label: string; run: () => void };
}

let current: Toast | null = null;
let seq = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<(t: Toast | null) => void>();

export const TOAST_MS = 5000;

export function showToast(text: string, action?: Toast["action"]): void {
  seq += 1;
  current = { id: seq, text, ...(action ? { action } : {}) };
  for (const fn of listeners) fn(current);
  clearTimeout(timer);
  timer = setTimeout(dismissToast, TOAST_MS);
}

export function dismissToast(): void {
  current = null;
  for (const fn of listeners) fn(null);
}

export function useToast(): Toast | null {
  const [t, setT] = useState<Toast | null>(current);
  useEffect(() => {
    listeners.add(setT);
    return () => listeners.delete(setT);
  }, []);
  return t;
}
