/**
 * The signed-in session, mirrored into IndexedDB for the service worker.
 *
 * The page keeps its session in localStorage (read synchronously, so the first paint already
 * knows who is signed in), but a service worker cannot read localStorage. Background Sync and
 * push handlers run with no page open, so they read this copy: which person's database to open
 * and the bearer token to call the API with. It lives in its own small database because the
 * per-person databases are named after the person, and the worker has to learn that name first.
 */
import Dexie, { type Table } from "dexie";

export interface DeviceSession {
  token: string;
  email: string;
  userId: string | null;
  sessionId: string | null;
}

interface SessionRow extends DeviceSession {
  key: "current";
}

const DEVICE_DB = "fortify-session";

class SessionDb extends Dexie {
  session!: Table<SessionRow, string>;

  constructor() {
    super(DEVICE_DB);
    this.version(1).stores({ session: "key" });
  }
}

let db: SessionDb | null = null;
const open = (): SessionDb => (db ??= new SessionDb());

/** Stores (or, with null, forgets) the session; failures are swallowed: it is only a mirror. */
export async function writeDeviceSession(session: DeviceSession | null): Promise<void> {
  try {
    if (session) await open().session.put({ key: "current", ...session });
    else await open().session.delete("current");
  } catch {
    // Private mode or no IndexedDB: the worker then simply finds nobody signed in.
  }
}

/**
 * Deletes the mirror's whole database (not only its row): "remove my data" leaves nothing of
 * Fortify's on a shared phone. The next sign-in creates it again.
 */
export async function deleteDeviceSessionDb(): Promise<void> {
  db?.close();
  db = null;
  try {
    await Dexie.delete(DEVICE_DB);
  } catch {
    // No IndexedDB (private mode): there was nothing to delete.
  }
}

export async function readDeviceSession(): Promise<DeviceSession | null> {
  try {
    const row = await open().session.get("current");
    if (!row) return null;
    const { key: _key, ...session } = row;
    return session;
  } catch {
    return null;
  }
}

/** One database per person: another person signing in on this phone never sees these rows. */
export const personDbName = (email: string): string => `fortify:${email.trim().toLowerCase()}`;
