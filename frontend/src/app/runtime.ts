/**
 * Wires the storage module, the sync engine and the API together for one signed-in person,
 * and decides WHEN the engine runs: at start, when the browser comes online, when the page
 * becomes visible, every three minutes while open, shortly after a local write, and when the
 * service worker relays a Background Sync event (Chromium). The engine itself never decides.
 */
import Dexie from "dexie";
import { api, setToken } from "../api/client";
import type { paths } from "../api/schema";
import { Store } from "../storage/store";
import { SyncEngine } from "../sync/engine";
import { transport } from "../sync/transport";
import { deleteDeviceSessionDb, writeDeviceSession } from "../storage/session";
import { dbName, loadSession, saveSession, type Session } from "./session";
import { forgetProfileZone, setProfileZone } from "./zone";
import { navigate } from "./router";
import { forgetPendingLink } from "./pendingLink";
import { showToast } from "./toast";
import { ENDED_KEY, endedSession, isEndedPerson, rememberEnded } from "./ended";

export const SYNC_INTERVAL_MS = 3 * 60_000;
const WRITE_DEBOUNCE_MS = 800;

/** Push is set up and taken down rarely: its module is fetched then, not in the first download. */
const disablePush = () => import("../reminders/push").then((m) => m.disablePush());

export interface Runtime {
  session: Session;
  store: Store;
  engine: SyncEngine;
  /**
   * Call after every local write: recounts now, syncs shortly after. Resolves once the counts
   * are recounted, so a screen that awaits it never shows "Synced" with the write unsent.
   */
  changed(): Promise<void>;
  close(): void;
}

async function registerBackgroundSync(): Promise<void> {
  try {
    // Background Sync is not in TypeScript's DOM lib: the registration may have a `sync`.
    const reg: (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined =
      await navigator.serviceWorker?.ready;
    await reg?.sync?.register("fortify-sync");
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
  // Her zone for the screens that show a time before any of them has read the profile. Read by
  // the entity index: listMany reads (and clones) every record she has, and Today's first
  // render is already waiting on one such read (issue #14: TBT).
  forgetProfileZone();
  void store.list("profile").then((rows) => setProfileZone(rows[0]?.fields?.time_zone)).catch(() => undefined);
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
    // Her account was deleted on another device: nothing here may outlive it.
    if (s.phase === "signed-out" && s.signedOutReason === "account_deleted") void accountGone(session.email);
    // Ended any other way (a password reset because the phone was lost, a sign-out from another
    // device): her data is hidden at once behind the sign-in screen, and kept (ended.ts).
    else if (s.phase === "signed-out") endedElsewhere(session, s.signedOutReason ?? null);
  });
  // Another device's write replaced one of this phone's: the chip says "Needs attention", and
  // this says what and where to put it back, at once.
  // The Sync screen's words are fetched when there is something to tell (they are precached,
  // but not in the first download: issue #14).
  const offLostEdits = engine.onLostEdits((rows, deviceId) => {
    void Promise.all([store.listMany(["profile"]), import("../screens/sync/problems")]).then(([by, { lostEditNotice }]) => {
      const system = by.get("profile")?.[0]?.fields?.unit_system === "us" ? "us" : "metric";
      showToast(lostEditNotice(rows, system, deviceId), { label: "See Sync", run: () => navigate("/sync") });
    });
  });
  void navigator.storage?.persist?.().catch(() => false);

  const rt: Runtime = {
    session,
    store,
    engine,
    changed() {
      clearTimeout(debounce);
      debounce = setTimeout(kick, WRITE_DEBOUNCE_MS);
      return engine.refreshCounts();
    },
    close() {
      engine.stop();
      unsubscribe();
      offLostEdits();
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
  // Only if she is still signed in by then: a sign-out in those seconds must not bring it back.
  window.setTimeout(() => {
    if (loadSession()?.token === session.token) void writeDeviceSession(session);
  }, 3000);
  return startRuntime(session);
}

export type SessionCreated = paths["/api/v1/sessions"]["post"]["responses"][201]["content"]["application/json"];

/**
 * Starts the person's runtime from a new session and syncs once. The local database is the
 * person's own (named after her email): whatever waited in its outbox since her session ended
 * elsewhere is pushed now, and another person signing in here opens another database, so it
 * never receives hers.
 */
export async function begin(created: SessionCreated, closeFirst = false): Promise<Runtime> {
  // Opening a link signs this device in afresh: whoever was signed in here is closed first.
  if (closeFirst) current?.close();
  const session: Session = { token: created.token, email: created.email, userId: created.user_id, sessionId: created.id };
  // Signed in: no emailed link is awaited any more ("Check your inbox" is over).
  forgetPendingLink();
  // Her own session again: what waited in her database is hers to see (another person's
  // sign-in leaves the record, so the sign-in screen can still offer to remove her data).
  if (isEndedPerson(session.email)) rememberEnded(null);
  void saveSession(session);
  const rt = startRuntime(session);
  await rt.engine.syncNow();
  return rt;
}

const LAST_EMAIL = "fortify.last-email";

/** The address to offer on the sign-in form after a session ended elsewhere. */
export function lastEmail(): string {
  return sessionStorage.getItem(LAST_EMAIL) ?? endedSession()?.email ?? "";
}

/**
 * The session ended elsewhere (signed out, revoked, expired, password changed): forget the
 * token but keep the person's database, outbox included, for when she signs in again.
 */
export function endSessionHere(): void {
  const rt = current;
  if (rt) sessionStorage.setItem(LAST_EMAIL, rt.session.email);
  rt?.close();
  setToken(null);
  void saveSession(null);
}

/**
 * The server refused this phone's session (ended.ts): remember whose data is kept and why,
 * forget the session, and show the sign-in screen instead of her data.
 */
function endedElsewhere(session: Session, reason: string | null): void {
  rememberEnded({ email: session.email, token: session.token, reason });
  endSessionHere();
  navigate("/signin?again=1", true);
}

/** Deletes everything Fortify keeps for `email` on this device (the person's database, marks). */
export async function removeLocalData(email: string): Promise<void> {
  const name = dbName(email);
  if (current?.session.email === email) current.close();
  localStorage.removeItem(`fortify.synced:${name}`);
  await Dexie.delete(name);
}

/**
 * The account is gone (deleted here or on another device): clear this device as "remove my data"
 * does (her database, the service worker's session mirror, every `fortify.*` mark), go to the start.
 */
async function accountGone(email: string): Promise<void> {
  endSessionHere();
  await removeEverythingOf(email);
  location.replace("/signin?deleted=1");
}

/** Deletes the account (password needed), then everything of hers on this device. */
export async function deleteAccount(password: string): Promise<void> {
  const rt = current;
  if (!rt) return;
  const r = await api.POST("/api/v1/account/delete", { body: { password } });
  if (r.response.status !== 204) throw r.error ?? new Error("deletion failed");
  await disablePush().catch(() => undefined);
  await accountGone(rt.session.email);
}

/** Changes the password; other devices are signed out, this one stays. */
export async function changePassword(current_password: string, new_password: string): Promise<void> {
  const r = await api.POST("/api/v1/password", { body: { current_password, new_password } });
  if (r.response.status !== 204) throw r.error ?? new Error("change failed");
}

/**
 * Signs out this device. `removeData` (what Settings does once nothing is left unsent) deletes
 * everything of hers on this phone; without it her database stays, and its unsent changes are
 * pushed when she signs in again here as herself.
 */
export async function signOut(removeData: boolean): Promise<void> {
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
  await saveSession(null);
  if (removeData && rt) await removeEverythingOf(rt.session.email);
}

/** Fortify's localStorage keys that belong to the device's user, not to one person's database. */
const DEVICE_KEY_PREFIX = "fortify.";

/**
 * Signing out (once nothing is unsent) and "Remove my data from this phone": her database, the service worker's session mirror, every
 * `fortify.*` localStorage key (push asked/subscription, install dismissed, sync marks) and
 * the address kept for signing in again. Another person's database (and its sync mark) stays:
 * it may hold that person's changes not yet sent, and deleting them is not hers to choose. The
 * Cache Storage holds only the app shell (the service worker caches no API answers), so it
 * stays too.
 */
export async function removeEverythingOf(email: string): Promise<void> {
  await removeLocalData(email);
  await deleteDeviceSessionDb();
  sessionStorage.removeItem(LAST_EMAIL);
  const others = new Set<string>();
  try {
    for (const d of await indexedDB.databases()) if (d.name) others.add(`fortify.synced:${d.name}`);
  } catch {
    // indexedDB.databases() is missing in old browsers: every sync mark goes (a mark only
    // saves one "not yet synced" notice, so losing another person's is harmless).
  }
  // Another person's ended session (her data kept for her next sign-in) is hers, not this one's.
  if (endedSession() && !isEndedPerson(email)) others.add(ENDED_KEY);
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(DEVICE_KEY_PREFIX) && !others.has(key)) localStorage.removeItem(key);
  }
}
