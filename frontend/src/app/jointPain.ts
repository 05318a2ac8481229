/**
 * Joint pain is the commonest reason women stop anastrozole, and a Joint score that goes up
 * after she reports more pain (the score counts her care habits and the check-in) says nothing
 * about the pain itself. So a worst pain of 5/10 or more is acknowledged in words, on save and
 * on Today. Words only: no score, target or flag changes (PROTOCOL.md is the spec for those).
 */

/** From this worst pain (0-10) on, the pain is named back to her. */
export const PAIN_NOTED_FROM = 5;

export const JOINT_PAIN_WORDS = "Joint aches are common on anastrozole. If they last or stop you sleeping, tell your care team.";

/** The words for one entry's worst pain, or null below PAIN_NOTED_FROM (or no number). */
export function jointPainNote(worstPain: unknown): string | null {
  return typeof worstPain === "number" && worstPain >= PAIN_NOTED_FROM ? JOINT_PAIN_WORDS : null;
}
