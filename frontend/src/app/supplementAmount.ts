/**
 * The amount a supplement carries per tablet or dose, as the regimen form asks it.
 *
 * A supplement saved without its amount counts 0 at every dose she marks taken, silently, so the
 * form asks for it (a medicine carries no nutrient, so it may go without). And calcium is
 * absorbed best up to 500 mg at one time: PROTOCOL §2/§3 give a sitting over 500 mg half credit
 * (none over 600 mg). The scoring stays as the protocol says; the form says it in words when
 * she types a larger dose, and offers to split it into smaller doses at different times.
 */

/** Calcium from supplements at one time that still counts in full (PROTOCOL.md, "calcium per sitting"). */
export const CALCIUM_FULL_CREDIT_MG = 500;
/** Up to this, half credit; above it, none. */
export const CALCIUM_HALF_CREDIT_MG = 600;

/** The number in the amount field, or null when it is empty or not a number (a comma is a decimal point). */
export function typedAmount(amount: string): number | null {
  const text = amount.trim().replace(",", ".");
  if (!text) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** What the field says under itself: why the amount is needed. */
export function amountNeededHint(kind: "medicine" | "supplement"): string | undefined {
  return kind === "supplement" ? "Needed for a supplement: it is what each dose you mark taken adds to your day. Find it on the label." : undefined;
}

/** A usual amount in one tablet, by the first word of its unit, for "for example …". */
const AMOUNT_EXAMPLE: Record<string, string> = { mg: "600", IU: "1000", mcg: "100", g: "5" };

/** Why the amount cannot be saved as typed, in words; null when it can. */
export function amountProblem(kind: "medicine" | "supplement", amount: string, unit: string): string | null {
  const n = typedAmount(amount);
  if (amount.trim() === "") return kind === "supplement" ? `Enter the amount in one tablet or dose (${unit}): without it, the doses you take count as 0.` : null;
  // Text that is no number ("600 IU" in a mg box, "about 600"): what to type, not a rule about 0
  // she did not break.
  if (n === null) return `Type the number only, for example ${AMOUNT_EXAMPLE[unit.split(" ")[0] ?? ""] ?? "600"}.`;
  if (!(n > 0)) return kind === "supplement" ? "The amount must be above 0." : "The amount must be above 0, or left empty.";
  return null;
}

/** Smaller doses that each count in full: how many, and how much each (rounded to 5 mg). */
export function calciumSplit(mg: number): { doses: number; each: number } | null {
  if (!(mg > CALCIUM_FULL_CREDIT_MG)) return null;
  const doses = Math.ceil(mg / CALCIUM_FULL_CREDIT_MG);
  return { doses, each: Math.round(mg / doses / 5) * 5 };
}

/** The note beside a calcium amount over 500 mg at one time; null otherwise. */
export function calciumDoseNote(mg: number | null): string | null {
  const split = mg === null ? null : calciumSplit(mg);
  if (mg === null || !split) return null;
  return (
    `More than ${CALCIUM_FULL_CREDIT_MG} mg of calcium at one time is absorbed less, so it counts less in your bone score ` +
    `(half credit up to ${CALCIUM_HALF_CREDIT_MG} mg at once, none above). ` +
    `Split it into ${split.doses} doses of about ${split.each} mg at different times of day (for example, ${split.doses === 2 ? "half a tablet with breakfast and half with dinner" : "with breakfast, lunch and dinner"}).`
  );
}

/** Times of day offered for the extra doses of a split, in order of preference. */
const SPREAD = ["08:00", "18:00", "13:00", "21:00", "11:00", "15:00"];

/** `times` with enough added (spread over the day) for `doses` doses, sorted. */
export function spreadTimes(times: readonly string[], doses: number): string[] {
  const out = [...new Set(times.filter((t) => /^\d{2}:\d{2}$/.test(t)))];
  for (const t of SPREAD) {
    if (out.length >= doses) break;
    // At least three hours from every time already there: two doses, not one sitting.
    if (out.every((o) => Math.abs(minutes(o) - minutes(t)) >= 180)) out.push(t);
  }
  return out.sort();
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
