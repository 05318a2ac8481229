/**
 * Wires the storage module, the sync engine and the API together for one signed-in person,
 * and decides WHEN the engine runs: at start, when the browser comes online, when the page
 * becomes visible, every three minutes while open, shortly after a local write, and when the
 * service worker relays a Background Sync event (Chromium). The engine itself never decides.
 */
import { api, setToken } from "../api/client";
import { disablePush } from "../reminders/push";
import { Store } from "../storage/store";
import { SyncEngine } from "../sync/engine";
import { transport } from "../sync/transport";
import { writeDeviceSession } from "../storage/session";
import { dbName, loadSession, saveSession, type Session } from "./session";

export const SYNC_INTERVAL_MS = 3 * 60_000;
const WRITE_DEBOUNCE_MS = 800;

export interface Runtime {
  session: Session;
  store: Store;
  engine: SyncEngine;
  /** Call after every local write: recounts now, syncs shortly after. */
  changed(): void;
  close(): void;
}

async function registerBackgroundSync(): Promise<void> {
  try {
    const reg = await navigator.serviceWorker?.ready;
    const sync = (reg as unknown as { sync?: { register(tag: string): Promise<void> } })?.sync;
    await sync?.register("fortify-sync");
  } catch {
    // Not available (Firefox, Safari) or not allowed: the page's own loop covers it.
  }
}

let current: Runtime | null = null;
const watchers = new Set<(rt: Runtime | null) => void>();

export function runtime(): Runtime | null {
  return current;
}

/** Calls `fn` whenever a person signs in or out on this tab. */
export function onRuntimeChange(fn: (rt: Runtime | null) => void): () => void {
  watchers.add(fn);
  return () => watchers.delete(fn);
}

function setCurrent(rt: Runtime | null): void {
  current = rt;
  for (const fn of watchers) fn(rt);
}

export function startRuntime(session: Session): Runtime {
  current?.close();
  setToken(session.token);
  const store = Store.open(dbName(session.email));
  // Whether this phone ever synced, read synchronously: the sync chip's first paint must not
  // say "Not synced yet" for a moment on every start.
  const syncedKey = `fortify.synced:${dbName(session.email)}`;
  const engine = new SyncEngine(store, transport, { everSynced: localStorage.getItem(syncedKey) === "1" });
  let debounce: ReturnType<typeof setTimeout> | undefined;
  const kick = () => void engine.syncNow();
  const onVisible = () => {
    if (document.visibilityState === "visible") kick();
  };
  const onMessage = (event: MessageEvent) => {
    if ((event.data as { type?: string } | null)?.type === "SYNC_NOW") kick();
  };
  window.addEventListener("online", kick);
  document.addEventListener("visibilitychange", onVisible);
  navigator.serviceWorker?.addEventListener("message", onMessage);
  const interval = setInterval(kick, SYNC_INTERVAL_MS);
  const unsubscribe = engine.subscribe((s) => {
    if (s.everSynced && localStorage.getItem(syncedKey) !== "1") localStorage.setItem(syncedKey, "1");
    if (s.phase === "offline" || s.phase === "retrying") void registerBackgroundSync();
  });
  void navigator.storage?.persist?.().catch(() => false);

  const rt: Runtime = {
    session,
    store,
    engine,
    changed() {
      void engine.refreshCounts();
      clearTimeout(debounce);
      debounce = setTimeout(kick, WRITE_DEBOUNCE_MS);
    },
    close() {
      engine.stop();
      unsubscribe();
      clearInterval(interval);
      clearTimeout(debounce);
      window.removeEventListener("online", kick);
      document.removeEventListener("visibilitychange", onVisible);
      navigator.serviceWorker?.removeEventListener("message", onMessage);
      store.db.close();
      if (current === rt) setCurrent(null);
    },
  };
  setCurrent(rt);
  // The start-up sync waits for an idle moment so it never competes with Today's first render.
  const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 300));
  void engine.refreshCounts().then(() => idle(kick, { timeout: 1500 }));
  return rt;
}

export function resumeRuntime(): Runtime | null {
  const session = loadSession();
  if (!session) return null;
  // Sessions saved before the IndexedDB mirror existed: give the service worker its copy,
  // once the page is idle (it is not needed for the first screen).
  window.setTimeout(() => void writeDeviceSession(session), 3000);
  return startRuntime(session);
}

/** Signs in with email and password; the device name says which phone this is. */
export async function signIn(email: string, password: string, userId: string | null = null): Promise<Runtime> {
  const device_name = guessDeviceName();
  const r = await api.POST("/api/v1/sessions", { body: { email, password, device_name } });
  if (!r.data) throw r.error ?? new Error("sign-in failed");
  const session: Session = { token: r.data.token, email, userId, sessionId: r.data.id };
  saveSession(session);
  const rt = startRuntime(session);
  await rt.engine.syncNow();
  const profile = (await rt.store.list("profile"))[0];
  if (profile) {
    session.userId = profile.id;
    saveSession(session);
  }
  return rt;
}

export async function signUp(email: string, password: string, display_name: string): Promise<Runtime> {
  const r = await api.POST("/api/v1/accounts", { body: { email, password, display_name } });
  if (!r.data) throw r.error ?? new Error("sign-up failed");
  return signIn(email, password, r.data.id);
}

/** Signs out this device. The local database stays: unsynced changes wait for the next sign-in. */
export async function signOut(): Promise<void> {
  const rt = current;
  // While the token still works: this device must stop getting the person's reminders.
  await disablePush();
  try {
    await api.DELETE("/api/v1/sessions/current");
  } catch {
    // Offline: the token expires on its own; it is forgotten here either way.
  }
  rt?.close();
  setToken(null);
  saveSession(null);
}

function guessDeviceName(): string {
  const ua = navigator.userAgent;
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iPhone" : /Mac/.test(ua) ? "Mac" : /Windows/.test(ua) ? "Windows" : /Linux/.test(ua) ? "Linux" : "device";
  const browser = /Edg\//.test(ua) ? "Edge" : /Chrome\//.test(ua) ? "Chrome" : /Firefox\//.test(ua) ? "Firefox" : /Safari\//.test(ua) ? "Safari" : "browser";
  return `${browser} on ${os}`;
}
