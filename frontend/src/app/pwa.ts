/**
 * Service worker registration, from code (the CSP forbids inline scripts). The update flow is
 * a prompt: a new worker waits until the person taps "Reload", which sends SKIP_WAITING.
 */
import { registerSW } from "virtual:pwa-register";

type Apply = () => void;
let pending: Apply | null = null;
const listeners = new Set<(fn: Apply) => void>();

export function startPwa(): void {
  if (!("serviceWorker" in navigator)) return;
  const update = registerSW({
    immediate: true,
    onNeedRefresh() {
      pending = () => void update(true);
      for (const fn of listeners) fn(pending);
    },
  });
}

export function onUpdateReady(fn: (apply: Apply) => void): () => void {
  listeners.add(fn);
  if (pending) fn(pending);
  return () => listeners.delete(fn);
}
