/**
 * A lab result read against PROTOCOL.md §7's reference ranges (and the vitamin D flags' 30-50
 * ng/mL), in words, where the app shows a result: a T-score of −2.6 saved in silence reads as
 * "all fine" (newcomer walk F22). The bounds are scoring/tables.py's, generated into
 * tables.gen.ts, the same the care-team report reads (reports/service.py `reference_range`);
 * this is display only: nothing here is scored or flagged.
 *
 * The value is read in the canonical unit (mg/dL, ng/mL) and said in the unit she typed, the
 * canonical one in brackets, and the bound in her unit: "LDL 4.2 mmol/L (162 mg/dL): above the
 * optimal range (under 2.59 mmol/L)".
 */
import * as tables from "../scoring/tables.gen";
import { canonicalLabValue } from "../scoring/units";
import { labFromCanonical } from "./units";

export type LabStatus = "ok" | "watch" | "out";
export interface LabReading {
  status: LabStatus;
  words: string;
}

const NAME: Record<string, string> = {
  vitamin_d_25oh: "Vitamin D",
  total_cholesterol: "Total cholesterol",
  ldl_cholesterol: "LDL",
  hdl_cholesterol: "HDL",
  triglycerides: "Triglycerides",
  dxa_t_score: "T-score",
};

const CARE_TEAM = "Worth raising with your care team.";

/** A number as a lab letter prints it in `unit`, with a true minus sign (−2.6). */
function num(value: number, unit: string): string {
  const digits = unit === "mmol/L" ? 100 : unit === "mg/dL" || unit === "nmol/L" ? 1 : 10;
  const rounded = Math.round(value * digits) / digits;
  return rounded < 0 ? `−${String(-rounded)}` : String(rounded);
}

/** The reading of one result, or null for a kind or unit §7 does not cover. */
export function labReading(kind: string, value: number, unit: string, sex: string | null | undefined): LabReading | null {
  if (!Number.isFinite(value) || !(kind in NAME)) return null;
  let canonical: { value: number; unit: string };
  try {
    canonical = canonicalLabValue(kind, value, unit);
  } catch {
    return null;
  }
  const v = canonical.value;
  // A bound (canonical) said in her unit: "2.59 mmol/L".
  const inHers = (bound: number) => `${num(labFromCanonical(kind, bound, unit), unit)} ${unit}`;
  if (kind === "dxa_t_score") {
    const head = `T-score ${num(value, "T-score")}`;
    if (v >= tables.T_SCORE_NORMAL_FROM) return { status: "ok", words: `${head}: in the normal range (WHO).` };
    if (v > tables.T_SCORE_OSTEOPOROSIS_AT_MOST) {
      return { status: "watch", words: `${head}: in the osteopenia range (bone thinner than normal, WHO: between −1 and −2.5). ${CARE_TEAM}` };
    }
    return { status: "out", words: `${head}: in the osteoporosis range (WHO: −2.5 or below). Talk to your care team about it.` };
  }
  const typed = `${num(value, unit)} ${unit}`;
  const head = unit === canonical.unit ? `${NAME[kind] ?? kind} ${typed}` : `${NAME[kind] ?? kind} ${typed} (${num(v, canonical.unit)} ${canonical.unit})`;
  if (kind === "vitamin_d_25oh") {
    const range = `${num(labFromCanonical(kind, tables.VITAMIN_D_LAB_LOW_NG_ML, unit), unit)}–${inHers(tables.VITAMIN_D_LAB_HIGH_NG_ML)}`;
    if (v < tables.VITAMIN_D_LAB_LOW_NG_ML) return { status: "out", words: `${head}: below the ${range} range. ${CARE_TEAM}` };
    if (v > tables.VITAMIN_D_LAB_HIGH_NG_ML) return { status: "watch", words: `${head}: above the ${range} range. ${CARE_TEAM}` };
    return { status: "ok", words: `${head}: in the ${range} range.` };
  }
  if (kind === "hdl_cholesterol") {
    const men = sex === "male";
    const low = men ? tables.HDL_LOW_BELOW_MG_DL_MEN : tables.HDL_LOW_BELOW_MG_DL_WOMEN;
    const who = men ? "men" : "women";
    if (v < low) return { status: "out", words: `${head}: low (for ${who}, under ${inHers(low)} is low). ${CARE_TEAM}` };
    return { status: "ok", words: `${head}: not low (for ${who}, under ${inHers(low)} is low).` };
  }
  const [bound, name] =
    kind === "ldl_cholesterol"
      ? [tables.LDL_OPTIMAL_BELOW_MG_DL, "optimal"]
      : kind === "total_cholesterol"
        ? [tables.TOTAL_CHOLESTEROL_DESIRABLE_BELOW_MG_DL, "desirable"]
        : [tables.TRIGLYCERIDES_NORMAL_BELOW_MG_DL, "normal"];
  if (v < bound) return { status: "ok", words: `${head}: in the ${name} range (under ${inHers(bound)}).` };
  return { status: "watch", words: `${head}: above the ${name} range (under ${inHers(bound)}). ${CARE_TEAM}` };
}

/** The reading of a stored lab entry's fields (value and unit as she typed them). */
export function labReadingOf(fields: Readonly<Record<string, unknown>> | null | undefined, sex: unknown): LabReading | null {
  const f = fields ?? {};
  if (typeof f.kind !== "string" || typeof f.unit !== "string") return null;
  return labReading(f.kind, Number(f.value), f.unit, typeof sex === "string" ? sex : null);
}
