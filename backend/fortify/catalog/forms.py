"""Supplement and medicine forms, and the label arithmetic that turns a label into nutrients.

A "my medicines and supplements" item stores ``nutrients_per_unit`` and ``servings_per_unit``
(docs/entries-contract.md). People read labels two ways: some labels give the elemental amount
("500 mg calcium"), others the compound ("1250 mg calcium carbonate"). ``elemental_from_label``
accepts either and returns the per-unit nutrient snapshot; it refuses, with a message a person
can act on, inputs that do not fit the form (a fish-oil capsule weight says nothing about its
EPA and DHA, so those must be entered from the label).

Elemental fractions: calcium carbonate 40 % and calcium citrate 21 % are NIH ODS figures
(PROTOCOL.md §6). The others are computed from molar masses (IUPAC standard atomic weights),
naming the compound assumed; hydrated salts hold a little less, so a label's elemental figure,
when given, is always preferred.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from fortify.scoring import tables

__all__ = [
    "FORMS",
    "IU_PER_MCG_VITAMIN_D",
    "SNAPSHOT_NUTRIENT_KEYS",
    "SupplementForm",
    "elemental_from_label",
    "servings_per_unit",
]

#: Vitamin D: 1 mcg = 40 IU (NIH ODS; PROTOCOL.md §6).
IU_PER_MCG_VITAMIN_D: Final = 40.0

#: Keys a supplement's per-unit snapshot may carry (a subset of the entries contract's keys).
SNAPSHOT_NUTRIENT_KEYS: Final[tuple[str, ...]] = tables.SUPPLEMENT_NUTRIENT_KEYS

InputStyle = Literal["mineral", "vitamin_d", "vitamin_k", "omega_3", "psyllium", "none", "other"]

_NIH_CALCIUM = "NIH ODS Calcium fact sheet (health professional): carbonate 40 %, citrate 21 %"
_NIH_VITAMIN_D = "NIH ODS Vitamin D fact sheet: 1 mcg = 40 IU"
_NIH_VITAMIN_K = "NIH ODS Vitamin K fact sheet: menaquinone supplements labelled in mcg"

# Standard atomic weights (IUPAC): Ca 40.078, Mg 24.305, P 30.974, O 15.999, C 12.011,
# H 1.008, N 14.007.
_CA3_PO4_2 = 3 * 40.078 / (3 * 40.078 + 2 * (30.974 + 4 * 15.999))  # 0.3876
_MGO = 24.305 / (24.305 + 15.999)  # 0.6030
_MG3_CITRATE2 = 3 * 24.305 / (3 * 24.305 + 2 * (6 * 12.011 + 5 * 1.008 + 7 * 15.999))  # 0.1617
_MG_BISGLYCINATE = 24.305 / (24.305 + 2 * (2 * 12.011 + 4 * 1.008 + 14.007 + 2 * 15.999))  # 0.141


@dataclass(frozen=True, slots=True)
class SupplementForm:
    """What a form is, how its label is read, and where its numbers come from."""

    key: str
    label: str
    kind: Literal["supplement", "medicine"]
    input_style: InputStyle
    nutrient: str | None = None  # the snapshot key a mineral or vitamin form feeds
    elemental_fraction: float | None = None  # minerals: elemental mg per mg of compound
    servings: Mapping[str, float] = field(default_factory=dict)
    scored: bool = True
    source: str = ""


FORMS: Final[dict[str, SupplementForm]] = {
    form.key: form
    for form in (
        SupplementForm(
            "calcium_carbonate", "Calcium carbonate", "supplement", "mineral", "calcium_mg",
            0.40, source=_NIH_CALCIUM + "; best absorbed with food",
        ),
        SupplementForm(
            "calcium_citrate", "Calcium citrate", "supplement", "mineral", "calcium_mg",
            0.21, source=_NIH_CALCIUM + "; absorbed with or without food",
        ),
        SupplementForm(
            "calcium_phosphate", "Calcium phosphate (tricalcium)", "supplement", "mineral",
            "calcium_mg", round(_CA3_PO4_2, 3),
            source="Stoichiometry of tricalcium phosphate Ca3(PO4)2: 3 x 40.078 / 310.18 g/mol",
        ),
        SupplementForm(
            "calcium_other", "Calcium (another or unknown salt)", "supplement", "other",
            source="Elemental calcium per unit as printed on the label, entered by the person",
        ),
        SupplementForm(
            "magnesium_oxide", "Magnesium oxide", "supplement", "mineral", "magnesium_mg",
            round(_MGO, 3), source="Stoichiometry of MgO: 24.305 / 40.304 g/mol (about 60 %)",
        ),
        SupplementForm(
            "magnesium_citrate", "Magnesium citrate", "supplement", "mineral", "magnesium_mg",
            round(_MG3_CITRATE2, 3),
            source="Stoichiometry of anhydrous trimagnesium dicitrate Mg3(C6H5O7)2: "
            "3 x 24.305 / 451.1 g/mol (about 16 %)",
        ),
        SupplementForm(
            "magnesium_glycinate", "Magnesium glycinate (bisglycinate)", "supplement", "mineral",
            "magnesium_mg", round(_MG_BISGLYCINATE, 3),
            source="Stoichiometry of magnesium bisglycinate Mg(C2H4NO2)2: "
            "24.305 / 172.4 g/mol (about 14 %)",
        ),
        SupplementForm(
            "magnesium_other", "Magnesium (another or unknown salt)", "supplement", "other",
            source="Elemental magnesium per unit as printed on the label, entered by the person",
        ),
        SupplementForm(
            "vitamin_d3", "Vitamin D3 (cholecalciferol)", "supplement", "vitamin_d",
            "vitamin_d_iu", source=_NIH_VITAMIN_D,
        ),
        SupplementForm(
            "vitamin_d2", "Vitamin D2 (ergocalciferol)", "supplement", "vitamin_d",
            "vitamin_d_iu", source=_NIH_VITAMIN_D,
        ),
        SupplementForm(
            "vitamin_k2_mk4", "Vitamin K2 (MK-4)", "supplement", "vitamin_k", "vitamin_k_mcg",
            source=_NIH_VITAMIN_K,
        ),
        SupplementForm(
            "vitamin_k2_mk7", "Vitamin K2 (MK-7)", "supplement", "vitamin_k", "vitamin_k_mcg",
            source=_NIH_VITAMIN_K,
        ),
        SupplementForm(
            "vitamin_k1", "Vitamin K1 (phylloquinone)", "supplement", "vitamin_k",
            "vitamin_k_mcg", source="NIH ODS Vitamin K fact sheet: phylloquinone labelled in mcg",
        ),
        SupplementForm(
            "fish_oil", "Fish oil", "supplement", "omega_3",
            source="EPA and DHA per capsule as printed on the label, entered by the person",
        ),
        SupplementForm(
            "algal_oil", "Algal oil", "supplement", "omega_3",
            source="EPA and DHA per capsule as printed on the label, entered by the person",
        ),
        SupplementForm(
            "psyllium", "Psyllium husk", "supplement", "psyllium",
            servings={"soluble_fiber": 1.0},
            source="PROTOCOL.md §1: one soluble-fiber serving per dose unit",
        ),
        SupplementForm(
            "turmeric", "Turmeric (curcumin)", "supplement", "none", scored=False,
            source="Seed names turmeric for joint pain; logged, not scored",
        ),
        SupplementForm(
            "ginger", "Ginger", "supplement", "none", scored=False,
            source="Seed names ginger for joint pain; logged, not scored",
        ),
        SupplementForm(
            "anastrozole", "Anastrozole", "medicine", "none", scored=False,
            source="The aromatase inhibitor itself; adherence is shown, never scored",
        ),
        SupplementForm(
            "multivitamin", "Multivitamin", "supplement", "other",
            source="Nutrients per unit as printed on the label, entered by the person",
        ),
        SupplementForm(
            "other_medicine", "Another medicine", "medicine", "none", scored=False,
            source="Logged for adherence and the care-team report, never scored",
        ),
        SupplementForm(
            "other", "Other", "supplement", "other",
            source="Nutrients per unit as printed on the label, entered by the person",
        ),
    )
}  # fmt: skip


def _form(form: str) -> SupplementForm:
    try:
        return FORMS[form]
    except KeyError:
        known = ", ".join(FORMS)
        raise ValueError(f"unknown form {form!r}; choose one of: {known}") from None


def _positive(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def _clean(value: float) -> float:
    """Drop binary-float noise (1250 * 0.4 -> 500.0) without losing real precision."""
    return round(value, 6)


def servings_per_unit(form: str) -> dict[str, float]:
    """Protocol servings one unit of the form gives (psyllium: one soluble-fiber serving)."""
    return dict(_form(form).servings)


def elemental_from_label(
    form: str,
    compound_mg: float | None = None,
    elemental_mg: float | None = None,
    *,
    iu: float | None = None,
    mcg: float | None = None,
    epa_mg: float | None = None,
    dha_mg: float | None = None,
    fiber_g: float | None = None,
    nutrients: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Per-unit nutrient snapshot for one unit of ``form``, from what its label says.

    - calcium / magnesium salts: give ``elemental_mg`` or ``compound_mg`` (not both);
      1250 mg calcium carbonate -> {"calcium_mg": 500.0}.
    - vitamin D3/D2: ``iu`` or ``mcg`` (1 mcg = 40 IU); 25 mcg -> {"vitamin_d_iu": 1000.0}.
    - vitamin K2 (MK-4, MK-7): ``mcg``.
    - fish / algal oil: ``epa_mg`` and/or ``dha_mg`` per capsule.
    - psyllium: nothing required (``fiber_g`` optional); its serving is in ``servings_per_unit``.
    - turmeric, ginger, anastrozole: no nutrients; ``compound_mg`` (the dose) may be given.
    - other: ``nutrients`` with snapshot keys, copied from the label.

    Raises ``ValueError`` with a readable message when the inputs do not fit the form.
    """
    spec = _form(form)
    compound = _positive("compound_mg", compound_mg)
    elemental = _positive("elemental_mg", elemental_mg)
    iu_value = _positive("iu", iu)
    mcg_value = _positive("mcg", mcg)
    epa = _positive("epa_mg", epa_mg)
    dha = _positive("dha_mg", dha_mg)
    fiber = _positive("fiber_g", fiber_g)

    given = {
        name
        for name, value in (
            ("compound_mg", compound),
            ("elemental_mg", elemental),
            ("iu", iu_value),
            ("mcg", mcg_value),
            ("epa_mg", epa),
            ("dha_mg", dha),
            ("fiber_g", fiber),
            ("nutrients", nutrients),
        )
        if value is not None
    }

    def refuse_except(allowed: set[str], hint: str) -> None:
        if extra := given - allowed:
            raise ValueError(f"{spec.label}: {', '.join(sorted(extra))} does not apply; {hint}")

    match spec.input_style:
        case "mineral":
            assert spec.nutrient is not None and spec.elemental_fraction is not None
            refuse_except(
                {"compound_mg", "elemental_mg"},
                "enter the elemental mg or the compound mg from the label",
            )
            if compound is not None and elemental is not None:
                raise ValueError(
                    f"{spec.label}: give either the elemental mg or the compound mg, not both"
                )
            if elemental is not None:
                return {spec.nutrient: _clean(elemental)}
            if compound is not None:
                return {spec.nutrient: _clean(compound * spec.elemental_fraction)}
            raise ValueError(
                f"{spec.label}: enter the elemental mg (e.g. '500 mg calcium') "
                "or the compound mg (e.g. '1250 mg calcium carbonate')"
            )
        case "vitamin_d":
            refuse_except({"iu", "mcg"}, "vitamin D is labelled in IU or mcg")
            if iu_value is not None and mcg_value is not None:
                raise ValueError(f"{spec.label}: give IU or mcg, not both")
            if iu_value is not None:
                return {"vitamin_d_iu": _clean(iu_value)}
            if mcg_value is not None:
                return {"vitamin_d_iu": _clean(mcg_value * IU_PER_MCG_VITAMIN_D)}
            raise ValueError(f"{spec.label}: enter the amount per unit in IU or mcg")
        case "vitamin_k":
            refuse_except({"mcg"}, "vitamin K2 is labelled in mcg")
            if mcg_value is None:
                raise ValueError(f"{spec.label}: enter the amount per unit in mcg")
            return {"vitamin_k_mcg": _clean(mcg_value)}
        case "omega_3":
            refuse_except(
                {"epa_mg", "dha_mg"},
                "enter EPA and DHA mg per capsule from the label "
                "(the capsule's oil weight does not say how much omega-3 it holds)",
            )
            if epa is None and dha is None:
                raise ValueError(f"{spec.label}: enter EPA and/or DHA mg per capsule")
            result: dict[str, float] = {}
            if epa is not None:
                result["epa_mg"] = _clean(epa)
            if dha is not None:
                result["dha_mg"] = _clean(dha)
            return result
        case "psyllium":
            refuse_except({"fiber_g", "compound_mg"}, "psyllium counts as one serving a unit")
            return {} if fiber is None else {"fiber_g": _clean(fiber)}
        case "none":
            refuse_except({"compound_mg"}, f"{spec.label} is logged, not scored")
            return {}
        case "other":
            refuse_except({"nutrients"}, "enter the label's nutrients by key")
            if not nutrients:
                raise ValueError("Other: enter at least one nutrient from the label")
            unknown = set(nutrients) - set(SNAPSHOT_NUTRIENT_KEYS)
            if unknown:
                raise ValueError(
                    f"Other: unknown nutrient keys {sorted(unknown)}; "
                    f"use {', '.join(SNAPSHOT_NUTRIENT_KEYS)}"
                )
            checked: dict[str, float] = {}
            for key, value in nutrients.items():
                amount = _positive(key, value)
                assert amount is not None
                checked[key] = _clean(amount)
            return checked
    raise AssertionError(f"unhandled input style {spec.input_style}")  # pragma: no cover
