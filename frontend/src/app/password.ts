/** A new password checked before the server is asked: its length, said next to the field. */

/** The server's shortest password (accounts: at least 10 characters). */
export const PASSWORD_MIN_CHARS = 10;

/** Why a new password cannot be used before asking the server, in words; null when it may. */
export function passwordProblem(password: string): string | null {
  if (password.length === 0) return `Choose a password of at least ${PASSWORD_MIN_CHARS} characters.`;
  if (password.length < PASSWORD_MIN_CHARS) {
    return `This password has ${password.length} character${password.length === 1 ? "" : "s"}; it needs at least ${PASSWORD_MIN_CHARS}. A few words strung together are easy to remember.`;
  }
  return null;
}
