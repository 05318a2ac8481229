/**
 * The signed-in session: token, email and person id, kept in localStorage so the app opens
 * signed in and offline. The data itself lives in the person's own IndexedDB database.
 */
import { personDbName, writeDeviceSession } from "../storage/session";

export interface Session {
  token: string;
  email: string;
  userId: string | null;
  sessionId: string | null;
}

const KEY = "fortify.session";

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

/** Keeps (or forgets) the session; the returned promise settles once the worker's copy has. */
export function saveSession(session: Session | null): Promise<void> {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  // The service worker cannot read localStorage: it finds the session in IndexedDB.
  return writeDeviceSession(session);
}

export const dbName = personDbName;
