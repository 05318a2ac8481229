/**
 * Background Sync (Chromium only): the browser fires the "fortify-sync" tag once it has a
 * connection, even when no Fortify page is open. An open page runs its own engine (it is told
 * to); with none open the worker runs the same engine module itself, over the same IndexedDB
 * database, with the session from the IndexedDB mirror (storage/session.ts).
 *
 * The worker's engine never schedules its own retries (a worker's timers die with it): a failed
 * cycle rejects the event instead, and the browser fires the tag again later with its own
 * backoff. Pages and the worker may push the same operation at the same time; each operation
 * carries its op_id, so the server answers the second copy `duplicate` and nothing is applied
 * twice.
 */
/// <reference lib="webworker" />
import { setToken } from "../api/client";
import { personDbName, readDeviceSession } from "../storage/session";
import { Store } from "../storage/store";
import { SyncEngine } from "../sync/engine";
import { transport } from "../sync/transport";

export const SYNC_TAG = "fortify-sync";

/** Thrown so `waitUntil` rejects and the browser tries the tag again later. */
class TryLater extends Error {}

export async function backgroundSync(sw: ServiceWorkerGlobalScope): Promise<void> {
  const windows = await sw.clients.matchAll({ type: "window", includeUncontrolled: true });
  if (windows.length > 0) {
    for (const w of windows) w.postMessage({ type: "SYNC_NOW" });
    return;
  }
  const session = await readDeviceSession();
  if (!session) return;
  setToken(session.token);
  const store = Store.open(personDbName(session.email));
  const engine = new SyncEngine(store, transport, { setTimer: () => () => undefined });
  try {
    await engine.syncNow();
  } finally {
    engine.stop();
    // Never keep the person's database open in the worker: a newer page must be able to
    // upgrade it, and another person may sign in on this phone.
    store.db.close();
    setToken(null);
  }
  const { phase } = engine.getStatus();
  if (phase === "offline" || phase === "retrying") throw new TryLater("the server could not be reached");
}
