/** Small hooks: live IndexedDB queries (Dexie liveQuery), the sync status, the clock's day. */
import { liveQuery } from "dexie";
import { useEffect, useState } from "preact/hooks";
import type { SyncStatus } from "../sync/engine";
import { runtime } from "./runtime";
import { currentZone, onZoneChange, setProfileZone } from "./zone";

/** Re-runs `query` whenever the tables it read change (in this tab or another). */
export function useLive<T>(query: () => Promise<T>, deps: unknown[]): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    const sub = liveQuery(query).subscribe({
      next: (v) => setValue(() => v),
      error: (e: unknown) => console.error(e),
    });
    return () => sub.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `deps` is the caller's list for `query` (a new closure each render), as with useEffect itself
  }, deps);
  return value;
}

/**
 * One value picked from the sync status (a primitive): the component re-renders only when that
 * value changes, not on every status change (a whole screen need not redraw for "syncing…").
 */
export function useSyncValue<T extends string | number | boolean | null>(pick: (s: SyncStatus) => T, initial: T): T {
  const [value, setValue] = useState<T>(initial);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- subscribes once: `pick` is a new closure each render and picks the same field
  useEffect(() => runtime()?.engine.subscribe((s) => setValue(pick(s))), []);
  return value;
}

export function useSyncStatus(): SyncStatus | null {
  // Known at once (not after the first effect), so the sync chip is in the first paint and the
  // header never grows under the person's eyes.
  const [status, setStatus] = useState<SyncStatus | null>(() => runtime()?.engine.getStatus() ?? null);
  useEffect(() => runtime()?.engine.subscribe(setStatus), []);
  return status;
}

export function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator === "undefined" ? true : navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
    return () => {
      window.removeEventListener("online", on);
      window.removeEventListener("offline", off);
    };
  }, []);
  return online;
}

/**
 * The person's zone, kept current: the device's until her profile is read, then hers. The
 * profile is read here too (and again when sync brings a new one), so a screen opened by URL
 * before anything else read it still learns her zone.
 */
export function useZone(): string {
  const [zone, setZone] = useState(currentZone);
  useEffect(() => {
    setZone(currentZone());
    return onZoneChange(setZone);
  }, []);
  const rt = runtime();
  const profileZone = useLive(async () => (rt ? ((await rt.store.list("profile"))[0]?.fields?.time_zone ?? null) : null), [rt]);
  useEffect(() => setProfileZone(profileZone), [profileZone]);
  return zone;
}
