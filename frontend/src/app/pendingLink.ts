/**
 * The emailed link she is waiting for (sign-up or password reset), kept in localStorage so that
 * "Check your inbox" and "Send the link again" survive a reload or closing the app before she
 * opens the mail. It holds her address and name, never her password. It is forgotten once she
 * is signed in (the link opened, or she signed in otherwise), when she leaves it ("Back to sign
 * in"), and once the link has expired (24 hours for sign-up, one hour for a reset).
 */
export type LinkKind = "signup" | "forgot";

export interface PendingLink {
  kind: LinkKind;
  email: string;
  name: string;
  /** When the (last) link was asked for, in ms since the epoch. */
  at: number;
}

export const PENDING_LINK_KEY = "fortify.pending-link";
export const LINK_LIFETIME_MS: Record<LinkKind, number> = { signup: 24 * 3_600_000, forgot: 3_600_000 };

function isPending(v: unknown): v is PendingLink {
  if (typeof v !== "object" || v === null) return false;
  const p = v as Record<string, unknown>;
  return (p.kind === "signup" || p.kind === "forgot") && typeof p.email === "string" && typeof p.name === "string" && typeof p.at === "number";
}

/** The link she waits for, if any and not expired (an expired one is forgotten). */
export function pendingLink(now: number = Date.now()): PendingLink | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(localStorage.getItem(PENDING_LINK_KEY) ?? "null");
  } catch {
    parsed = null;
  }
  if (!isPending(parsed)) return null;
  if (now - parsed.at > LINK_LIFETIME_MS[parsed.kind]) {
    forgetPendingLink();
    return null;
  }
  return parsed;
}

export function rememberPendingLink(link: PendingLink): void {
  try {
    localStorage.setItem(PENDING_LINK_KEY, JSON.stringify(link));
  } catch {
    // Storage full or refused (private mode): the screen still says it until a reload.
  }
}

export function forgetPendingLink(): void {
  localStorage.removeItem(PENDING_LINK_KEY);
}
