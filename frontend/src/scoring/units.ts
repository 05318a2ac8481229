/**
 * Pure unit conversions (PROTOCOL.md §6).
 *
 * Labs are stored as entered and scored in one canonical unit per kind (ng/mL for 25(OH)D,
 * mg/dL for lipids, T-score for DXA), so a result entered in nmol/L or mmol/L is compared with
 * the seed's thresholds in the units the thresholds were written in.
 */

import * as tables from "./tables.gen";
import {
  IU_PER_MCG_VITAMIN_D,
  KG_PER_LB,
  MMOL_L_PER_MG_DL_CHOLESTEROL,
  MMOL_L_PER_MG_DL_TRIGLYCERIDES,
  NMOL_L_PER_NG_ML_25OHD,
} from "./tables.gen";

export {
  IU_PER_MCG_VITAMIN_D,
  KG_PER_LB,
  MMOL_L_PER_MG_DL_CHOLESTEROL,
  MMOL_L_PER_MG_DL_TRIGLYCERIDES,
  NMOL_L_PER_NG_ML_25OHD,
};
export const ELEMENTAL_CALCIUM_FRACTION: Readonly<Record<string, number>> =
  tables.ELEMENTAL_CALCIUM_FRACTION;

export const VITAMIN_D_25OH = "vitamin_d_25oh";
export const CHOLESTEROL_KINDS: ReadonlySet<string> = new Set([
  "total_cholesterol",
  "ldl_cholesterol",
  "hdl_cholesterol",
]);
export const TRIGLYCERIDES = "triglycerides";
export const DXA_T_SCORE = "dxa_t_score";
export const LIPID_KINDS: ReadonlySet<string> = new Set([...CHOLESTEROL_KINDS, TRIGLYCERIDES]);
export const LAB_KINDS: ReadonlySet<string> = new Set(tables.LAB_KINDS);
export const CANONICAL_UNIT: ReadonlyMap<string, string> = new Map(
  Object.entries(tables.CANONICAL_UNIT),
);

export function vitaminDMcgToIu(mcg: number): number {
  return mcg * IU_PER_MCG_VITAMIN_D;
}

export function vitaminDIuToMcg(iu: number): number {
  return iu / IU_PER_MCG_VITAMIN_D;
}

export function vitaminD25ohNmolLToNgMl(nmolL: number): number {
  return nmolL / NMOL_L_PER_NG_ML_25OHD;
}

export function vitaminD25ohNgMlToNmolL(ngMl: number): number {
  return ngMl * NMOL_L_PER_NG_ML_25OHD;
}

export function cholesterolMmolLToMgDl(mmolL: number): number {
  return mmolL / MMOL_L_PER_MG_DL_CHOLESTEROL;
}

export function triglyceridesMmolLToMgDl(mmolL: number): number {
  return mmolL / MMOL_L_PER_MG_DL_TRIGLYCERIDES;
}

export function lbToKg(lb: number): number {
  return lb * KG_PER_LB;
}

export function kgToLb(kg: number): number {
  return kg / KG_PER_LB;
}

/** Elemental calcium in `compoundMg` of a calcium salt (carbonate 40 %, citrate 21 %). */
export function elementalCalciumMg(form: string, compoundMg: number): number {
  const fraction = ELEMENTAL_CALCIUM_FRACTION[form];
  if (fraction === undefined || !Object.hasOwn(ELEMENTAL_CALCIUM_FRACTION, form)) {
    throw new RangeError(`unknown calcium form '${form}'`);
  }
  return compoundMg * fraction;
}

/** `value` in `unit` converted to the kind's canonical unit; RangeError if they don't fit. */
export function canonicalLabValue(
  kind: string,
  value: number,
  unit: string,
): { value: number; unit: string } {
  const canonical = CANONICAL_UNIT.get(kind);
  if (canonical === undefined) throw new RangeError(`unknown lab kind '${kind}'`);
  if (unit === canonical) return { value, unit: canonical };
  if (kind === VITAMIN_D_25OH && unit === "nmol/L") {
    return { value: vitaminD25ohNmolLToNgMl(value), unit: canonical };
  }
  if (CHOLESTEROL_KINDS.has(kind) && unit === "mmol/L") {
    return { value: cholesterolMmolLToMgDl(value), unit: canonical };
  }
  if (kind === TRIGLYCERIDES && unit === "mmol/L") {
    return { value: triglyceridesMmolLToMgDl(value), unit: canonical };
  }
  throw new RangeError(`unit '${unit}' does not fit lab kind '${kind}'`);
}
