"""Pure unit conversions (PROTOCOL.md §6).

Labs are stored as entered and scored in one canonical unit per kind (ng/mL for 25(OH)D, mg/dL
for lipids, T-score for DXA), so a result entered in nmol/L or mmol/L is compared with the
seed's thresholds in the units the thresholds were written in.
"""

from __future__ import annotations

from fortify.scoring.tables import CANONICAL_UNIT as CANONICAL_UNIT
from fortify.scoring.tables import ELEMENTAL_CALCIUM_FRACTION as ELEMENTAL_CALCIUM_FRACTION
from fortify.scoring.tables import IU_PER_MCG_VITAMIN_D as IU_PER_MCG_VITAMIN_D
from fortify.scoring.tables import KG_PER_LB as KG_PER_LB
from fortify.scoring.tables import MMOL_L_PER_MG_DL_CHOLESTEROL as MMOL_L_PER_MG_DL_CHOLESTEROL
from fortify.scoring.tables import MMOL_L_PER_MG_DL_TRIGLYCERIDES as MMOL_L_PER_MG_DL_TRIGLYCERIDES
from fortify.scoring.tables import NMOL_L_PER_NG_ML_25OHD as NMOL_L_PER_NG_ML_25OHD

VITAMIN_D_25OH = "vitamin_d_25oh"
CHOLESTEROL_KINDS = frozenset({"total_cholesterol", "ldl_cholesterol", "hdl_cholesterol"})
TRIGLYCERIDES = "triglycerides"
DXA_T_SCORE = "dxa_t_score"
LIPID_KINDS = CHOLESTEROL_KINDS | {TRIGLYCERIDES}
LAB_KINDS = frozenset(CANONICAL_UNIT)


def vitamin_d_mcg_to_iu(mcg: float) -> float:
    return mcg * IU_PER_MCG_VITAMIN_D


def vitamin_d_iu_to_mcg(iu: float) -> float:
    return iu / IU_PER_MCG_VITAMIN_D


def vitamin_d_25oh_nmol_l_to_ng_ml(nmol_l: float) -> float:
    return nmol_l / NMOL_L_PER_NG_ML_25OHD


def vitamin_d_25oh_ng_ml_to_nmol_l(ng_ml: float) -> float:
    return ng_ml * NMOL_L_PER_NG_ML_25OHD


def cholesterol_mmol_l_to_mg_dl(mmol_l: float) -> float:
    return mmol_l / MMOL_L_PER_MG_DL_CHOLESTEROL


def triglycerides_mmol_l_to_mg_dl(mmol_l: float) -> float:
    return mmol_l / MMOL_L_PER_MG_DL_TRIGLYCERIDES


def lb_to_kg(lb: float) -> float:
    return lb * KG_PER_LB


def kg_to_lb(kg: float) -> float:
    return kg / KG_PER_LB


def elemental_calcium_mg(form: str, compound_mg: float) -> float:
    """Elemental calcium in `compound_mg` of a calcium salt (carbonate 40 %, citrate 21 %)."""
    try:
        return compound_mg * ELEMENTAL_CALCIUM_FRACTION[form]
    except KeyError:
        raise ValueError(f"unknown calcium form {form!r}") from None


def canonical_lab_value(kind: str, value: float, unit: str) -> tuple[float, str]:
    """`value` in `unit` converted to the kind's canonical unit; ValueError if they don't fit."""
    if kind not in CANONICAL_UNIT:
        raise ValueError(f"unknown lab kind {kind!r}")
    canonical = CANONICAL_UNIT[kind]
    if unit == canonical:
        return value, canonical
    if kind == VITAMIN_D_25OH and unit == "nmol/L":
        return vitamin_d_25oh_nmol_l_to_ng_ml(value), canonical
    if kind in CHOLESTEROL_KINDS and unit == "mmol/L":
        return cholesterol_mmol_l_to_mg_dl(value), canonical
    if kind == TRIGLYCERIDES and unit == "mmol/L":
        return triglycerides_mmol_l_to_mg_dl(value), canonical
    raise ValueError(f"unit {unit!r} does not fit lab kind {kind!r}")
