/**
 * A session that ended while this phone still holds the person's data: her password was changed
 * or reset elsewhere, this phone was signed out from another device, or the sign-in expired.
 *
 * Her reset may have been because the phone was lost, so the app stops showing her data at once
 * (the sign-in screen, not Today) and keeps it hidden until someone signs in again. Her database
 * stays, outbox included: signing in again as herself opens it and sends what waited; another
 * person opens another database and never receives it (runtime.ts). This record is what the
 * sign-in screen needs meanwhile: whose data is kept (to name it and to offer "Remove my data
 * from this phone"), why the session ended, and the ended token, which no longer opens anything
 * but still lets the server say "this account was deleted" so the phone clears itself.
 */
export interface EndedSession {
  email: string;
  /** The token that ended: refused by the server, kept only to ask why. */
  token: string;
  /** The server's reason (errors[0].rule): signed_out, revoked, expired, password_changed. */
  reason: string | null;
}

const KEY = "fortify.ended";

export function endedSession(): EndedSession | null {
  try {
    const raw = localStorage.getItem(KEY);
    const value = raw ? (JSON.parse(raw) as Partial<EndedSession>) : null;
    return value && typeof value.email === "string" && typeof value.token === "string"
      ? { email: value.email, token: value.token, reason: typeof value.reason === "string" ? value.reason : null }
      : null;
  } catch {
    return null;
  }
}

export function rememberEnded(ended: EndedSession | null): void {
  if (ended) localStorage.setItem(KEY, JSON.stringify(ended));
  else localStorage.removeItem(KEY);
}

/** Whether `email` names the same person as the ended session (addresses compare without case). */
export function isEndedPerson(email: string): boolean {
  return endedSession()?.email.toLowerCase() === email.toLowerCase();
}

export const ENDED_KEY = KEY;

/**
 * Her address as the ended-session notice names it: the first letter of the name and the whole
 * domain ("a•••@example.com"). The notice shows on a phone that may be shared or passed on, to
 * whoever opens the app: enough for her to know it is her account, not her address for anyone
 * who reads the screen (the newcomer walk, issue #14).
 */
export function maskedEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "your account";
  return `${[...email.slice(0, at)][0] ?? ""}•••${email.slice(at)}`;
}

/** Why the session ended, in her words. */
export function endedWhy(reason: string | null | undefined): string {
  return ENDED_WHY[reason ?? ""] ?? "Your sign-in here has ended.";
}

const ENDED_WHY: Record<string, string> = {
  signed_out: "This phone was signed out.",
  revoked: "This phone was signed out from another device.",
  expired: "Your sign-in here has expired.",
  password_changed: "Your password was changed.",
};
