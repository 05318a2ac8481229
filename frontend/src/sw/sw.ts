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
 *   when the browser fires it, the worker asks any open page to run its sync engine, or, with
 *   no page open, runs the same engine itself (see the Background Sync section below).
 */
/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { ExpirationPlugin } from "workbox-expiration";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { CacheFirst } from "workbox-strategies";
import { backgroundSync, SYNC_TAG } from "./background-sync";
import { installReminders, retryReminderCalls } from "./reminders";

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

// The pages that need the server anyway (sign in and the mailed links' pages; in Settings:
// reminders, the care-team report, password, account deletion) are left out of the precache (issue #14, its 400 KB budget): their chunk is
// kept here the first time it is fetched, online, so a page opened once opens offline later too
// (and says there that it needs a connection). Content-hashed names: a cached file never changes;
// the few of older builds are dropped past the limit.
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith("/assets/online/"),
  new CacheFirst({ cacheName: "fortify-online-pages", plugins: [new ExpirationPlugin({ maxEntries: 8 })] }),
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

// --- Reminders (docs/reminders.md §3; the handlers live in ./reminders.ts) -------------------
// Push → a notification with "Taken" / "Snooze 30 min"; its buttons log the dose (through the
// outbox when offline) or snooze; a plain click opens Today. Snoozes and "Done"s made offline
// are sent again when the browser fires the sync tag.

installReminders(self);

// --- Background Sync (./background-sync.ts) ---------------------------------------------------
// The tag the page registers when a sync fails: an open page is asked to sync; with none open,
// the worker runs the sync engine itself with the session it finds in IndexedDB. The same tag
// also sends again the reminder calls (snoozes, "Done"s) made offline.
//
// One listener for both: the worker stays alive until both are over, and the event fails (the
// browser fires the tag again later) only when the engine could not reach the server
// (`retryReminderCalls` never rejects; its calls wait in their own queue).

self.addEventListener("sync", (event) => {
  const sync = event as SyncEvent;
  if (sync.tag !== SYNC_TAG) return;
  const engine = backgroundSync(self);
  const reminderCalls = retryReminderCalls();
  sync.waitUntil(engine.finally(() => reminderCalls));
});
