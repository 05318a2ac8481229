/**
 * Fortify's service worker: its own typed entry (tsconfig here: lib WebWorker).
 *
 * - Precaches the app shell (the list is injected at build time by vite-plugin-pwa) and drops
 *   the caches of older builds.
 * - Navigations fall back to the precached index.html so every route opens offline, except
 *   /api/ paths, which always go to the network (an API URL must never answer with the app).
 * - Updates wait: the page shows "A new version is ready" and sends SKIP_WAITING when the
 *   person taps Reload, so a half-filled form is never swapped out from under them.
 * - Background Sync (Chromium): the page registers the tag "fortify-sync" when a push fails;
 *   when the browser fires it, the worker asks any open page to run its sync engine. The
 *   engine lives in the page (it owns IndexedDB and the session); when no page is open the
 *   worker has nothing to do and the next start syncs.
 */
/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<{ url: string; revision: string | null } | string>;
};

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(
  new NavigationRoute(createHandlerBoundToURL("index.html"), {
    denylist: [/^\/api\//, /^\/readyz/, /^\/healthz/],
  }),
);

self.addEventListener("message", (event: ExtendableMessageEvent) => {
  const data: unknown = event.data;
  if (data && typeof data === "object" && (data as { type?: unknown }).type === "SKIP_WAITING") {
    void self.skipWaiting();
  }
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("sync", (event) => {
  const sync = event as SyncEvent;
  if (sync.tag !== "fortify-sync") return;
  sync.waitUntil(
    self.clients.matchAll({ type: "window" }).then((clients) => {
      for (const client of clients) client.postMessage({ type: "SYNC_NOW" });
    }),
  );
});
