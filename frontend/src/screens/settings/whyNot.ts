/**
 * Why a button cannot be used yet, in words (issue #14, F21): a greyed-out "Delete my account"
 * with nothing said left her guessing. A button is never disabled without this sentence beside
 * it, tied to it by aria-describedby, so a screen reader reads the reason with the button.
 */

/** What the account deletion still needs; empty when it can go ahead. */
export function deleteNeeds(state: { password: string; sure: boolean; online: boolean }): string[] {
  const needs: string[] = [];
  if (state.password === "") needs.push("type your password");
  if (!state.sure) needs.push("tick the box “I understand…”");
  return needs;
}

/** The sentence for the deletion's missing steps, or null when nothing is missing. */
export function deleteWhyNot(state: { password: string; sure: boolean; online: boolean }): string | null {
  if (!state.online) return offlineWhyNot("Deleting your account", false);
  const needs = deleteNeeds(state);
  if (needs.length === 0) return null;
  return `To delete your account, first ${needs.join(" and ")}.`;
}

/** The sentence for an action that needs the server ("Changing your password"), offline; null online. */
export function offlineWhyNot(what: string, online: boolean): string | null {
  return online ? null : `${what} needs a connection. You are offline now: try again when you are online.`;
}
