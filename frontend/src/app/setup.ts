/**
 * Set-up left unfinished: onboarding's first step (sex, birth year, height, time zone) was never
 * saved. She may confirm her email on a tablet, close onboarding there and sign in on her phone
 * later: the phone went straight to Today, never offered set-up again, and her targets silently
 * used the higher (men's) values because her sex was unknown (newcomer walk F23).
 *
 * The server creates a profile at version 1 and every save moves it on; the sync feed carries
 * a profile only once it was saved, so a phone that has synced and holds no profile is one
 * whose owner never answered, on any device. A pulled profile with no sex was saved ("Prefer not
 * to say" saves sex as null): that counts as an answer. A save made on this phone and not yet
 * pulled back is remembered meanwhile (`answeredHere`).
 */
import type { StoredRecord } from "../storage/store";

/** The version the server gives a new profile (accounts/service.py `_new_user`). */
export const NEW_PROFILE_VERSION = 1;

const ANSWERED_KEY = "fortify.setupAnswered";

/** The onboarding step set-up should resume at, or null when nothing is missing. */
export function setupStepMissing(profile: StoredRecord | null | undefined, everSynced: boolean, answeredHere: boolean): number | null {
  if (answeredHere) return null;
  // Before the first sync an absent profile says nothing: it may be on its way.
  if (!profile?.fields) return everSynced ? 1 : null;
  const sex = profile.fields.sex;
  if (sex === "female" || sex === "male") return null;
  return profile.version === NEW_PROFILE_VERSION ? 1 : null;
}

/** Onboarding's first step was saved on this phone for `userId`. */
export function rememberSetupAnswered(userId: string | null | undefined): void {
  if (!userId) return;
  try {
    localStorage.setItem(`${ANSWERED_KEY}.${userId}`, "1");
  } catch {
    // Private mode: the card may show until the save is pushed.
  }
}

export function setupAnsweredHere(userId: string | null | undefined): boolean {
  if (!userId) return false;
  try {
    return localStorage.getItem(`${ANSWERED_KEY}.${userId}`) === "1";
  } catch {
    return false;
  }
}
