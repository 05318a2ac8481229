/**
 * The signed-in session: token, email and person id, kept in localStorage so the app opens
 * signed in and offline. The data itself lives in the person's own IndexedDB database.
 */
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

export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
}

/** One database per person: another person signing in on this phone never sees these rows. */
export const dbName = (email: string): string => `fortify:${email.trim().toLowerCase()}`;
