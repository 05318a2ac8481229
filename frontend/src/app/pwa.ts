/**
 * Service worker registration, from code (the CSP forbids inline scripts). The update flow is
 * a prompt: a new worker waits until the person taps "Reload", which sends it SKIP_WAITING, and
 * the page reloads once the new worker controls it. The steps of vite-plugin-pwa's
 * `registerSW` (prompt mode), written out here: through it, workbox-window (5.8 KB) was
 * precached for these few lines (issue #14).
 */
type Apply = () => void;
let pending: Apply | null = null;
const listeners = new Set<(fn: Apply) => void>();

export function startPwa(): void {
  const sw = navigator.serviceWorker;
  // The dev server has no built worker.
  if (!sw || !import.meta.env.PROD) return;
  sw.register("/sw.js", { scope: "/", type: "classic" }).then(
    (reg) => {
      // A worker that installed while no page was open to ask: offer it now.
      if (reg.waiting && sw.controller) offer(reg);
      reg.addEventListener("updatefound", () => {
        const next = reg.installing;
        next?.addEventListener("statechange", () => {
          // Installed while another worker controls this page: an update, waiting for her.
          if (next.state === "installed" && sw.controller) offer(reg);
        });
      });
    },
    (error: unknown) => console.error("The offline helper could not be registered", error),
  );
}

function offer(reg: ServiceWorkerRegistration): void {
  pending = () => {
    navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload(), { once: true });
    reg.waiting?.postMessage({ type: "SKIP_WAITING" });
  };
  for (const fn of listeners) fn(pending);
}

export function onUpdateReady(fn: (apply: Apply) => void): () => void {
  listeners.add(fn);
  if (pending) fn(pending);
  return () => listeners.delete(fn);
}
