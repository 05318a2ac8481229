/**
 * The line under Today's rings: where the scores come from, in words that are true of this
 * phone now. The rings are worked out on the phone the moment anything is saved; the server's
 * report replaces them once it has everything (Today.tsx). Until then the line says what it is
 * waiting for, never "when online" to a phone that is online.
 */
export interface SourceState {
  /** The server's scored report is shown. */
  server: boolean;
  /** The server answered, but has no scores for the day (dayReport.unscoredWhy). */
  unscored: "before-first" | "not-begun" | null;
  /** The last ask for the server's report got no answer. */
  failed: boolean;
  online: boolean;
  pending: number;
  /** The sync engine's phase ("idle", "syncing", "offline", "retrying", "signed-out"). */
  phase: string | null;
}

export function sourceWords(s: SourceState): string {
  if (s.server) return "Up to date.";
  const here = "Worked out on this phone";
  if (!s.online || s.phase === "offline") return `${here}; will be checked when online.`;
  if (s.pending > 0) return `${here}; checked once your changes are sent.`;
  if (s.unscored === "not-begun") {
    return `${here}. The server has no score for today yet: by its clock, today has not begun where you are. Check this phone's date and time, and the time zone in Settings → Profile.`;
  }
  if (s.unscored === "before-first") return `${here}. The server scores your days from the day your records start.`;
  if (s.phase === "retrying") return `${here}; the server did not answer, trying again soon.`;
  if (s.failed) return `${here}; the server's check did not come through, asked again at the next sync.`;
  if (s.phase === "syncing") return `${here}; checking with the server…`;
  return `${here}; checking with the server.`;
}
