"""Label arithmetic for supplement forms."""

from __future__ import annotations

from typing import get_args

import pytest

from fortify.catalog.forms import FORMS, elemental_from_label, servings_per_unit
from fortify.entries.schemas import RegimenForm

CONTRACT_FORMS = {
    "calcium_carbonate", "calcium_citrate", "vitamin_d3", "vitamin_d2", "vitamin_k2_mk7",
    "vitamin_k2_mk4", "magnesium_glycinate", "magnesium_citrate", "magnesium_oxide",
    "fish_oil", "algal_oil", "psyllium", "turmeric", "ginger", "anastrozole", "other",
}  # fmt: skip


class TestFormList:
    def test_every_form_in_the_entries_contract_exists(self) -> None:
        assert set(FORMS) >= CONTRACT_FORMS

    def test_every_form_names_its_source(self) -> None:
        assert all(form.source for form in FORMS.values())

    def test_elemental_fractions(self) -> None:
        assert FORMS["calcium_carbonate"].elemental_fraction == 0.40
        assert FORMS["calcium_citrate"].elemental_fraction == 0.21
        assert FORMS["calcium_phosphate"].elemental_fraction == pytest.approx(0.39, abs=0.01)
        assert FORMS["magnesium_oxide"].elemental_fraction == pytest.approx(0.60, abs=0.01)
        assert FORMS["magnesium_citrate"].elemental_fraction == pytest.approx(0.16, abs=0.01)
        assert FORMS["magnesium_glycinate"].elemental_fraction == pytest.approx(0.14, abs=0.01)

    def test_anastrozole_is_a_medicine_and_unscored(self) -> None:
        assert FORMS["anastrozole"].kind == "medicine"
        assert not FORMS["anastrozole"].scored
        assert not FORMS["turmeric"].scored
        assert not FORMS["ginger"].scored


class TestMinerals:
    def test_1250_mg_calcium_carbonate_is_500_mg_calcium(self) -> None:
        assert elemental_from_label("calcium_carbonate", compound_mg=1250) == {"calcium_mg": 500.0}

    def test_calcium_citrate_compound(self) -> None:
        assert elemental_from_label("calcium_citrate", 1000) == {"calcium_mg": 210.0}

    def test_an_elemental_amount_is_taken_as_printed(self) -> None:
        assert elemental_from_label("calcium_citrate", elemental_mg=315) == {"calcium_mg": 315.0}

    def test_magnesium_oxide_compound(self) -> None:
        result = elemental_from_label("magnesium_oxide", compound_mg=500)
        assert result["magnesium_mg"] == pytest.approx(301.5)

    def test_magnesium_glycinate_elemental(self) -> None:
        assert elemental_from_label("magnesium_glycinate", elemental_mg=120) == {
            "magnesium_mg": 120.0
        }

    def test_both_amounts_are_refused(self) -> None:
        with pytest.raises(ValueError, match="not both"):
            elemental_from_label("calcium_carbonate", compound_mg=1250, elemental_mg=500)

    def test_no_amount_is_refused(self) -> None:
        with pytest.raises(ValueError, match="elemental mg"):
            elemental_from_label("calcium_carbonate")

    def test_iu_for_a_mineral_is_refused(self) -> None:
        with pytest.raises(ValueError, match="iu does not apply"):
            elemental_from_label("calcium_carbonate", compound_mg=1250, iu=400)

    @pytest.mark.parametrize("amount", [0, -5, float("nan"), float("inf")])
    def test_non_positive_or_non_finite_amounts_are_refused(self, amount: float) -> None:
        with pytest.raises(ValueError, match="positive number"):
            elemental_from_label("calcium_citrate", elemental_mg=amount)


class TestVitamins:
    def test_25_mcg_d3_is_1000_iu(self) -> None:
        assert elemental_from_label("vitamin_d3", mcg=25) == {"vitamin_d_iu": 1000.0}

    def test_d2_in_iu(self) -> None:
        assert elemental_from_label("vitamin_d2", iu=50000) == {"vitamin_d_iu": 50000.0}

    def test_iu_and_mcg_together_are_refused(self) -> None:
        with pytest.raises(ValueError, match="IU or mcg, not both"):
            elemental_from_label("vitamin_d3", iu=1000, mcg=25)

    def test_vitamin_d_by_weight_is_refused(self) -> None:
        with pytest.raises(ValueError, match="IU or mcg"):
            elemental_from_label("vitamin_d3", compound_mg=1)

    def test_k2_mk7_in_mcg(self) -> None:
        assert elemental_from_label("vitamin_k2_mk7", mcg=180) == {"vitamin_k_mcg": 180.0}

    def test_k2_mk4_without_amount_is_refused(self) -> None:
        with pytest.raises(ValueError, match="in mcg"):
            elemental_from_label("vitamin_k2_mk4")


class TestOmega3:
    def test_fish_oil_epa_and_dha_per_capsule(self) -> None:
        assert elemental_from_label("fish_oil", epa_mg=180, dha_mg=120) == {
            "epa_mg": 180.0,
            "dha_mg": 120.0,
        }

    def test_algal_oil_with_dha_only(self) -> None:
        assert elemental_from_label("algal_oil", dha_mg=250) == {"dha_mg": 250.0}

    def test_fish_oil_capsule_weight_is_refused(self) -> None:
        with pytest.raises(ValueError, match="oil weight does not say"):
            elemental_from_label("fish_oil", compound_mg=1000)

    def test_fish_oil_without_epa_or_dha_is_refused(self) -> None:
        with pytest.raises(ValueError, match="EPA and/or DHA"):
            elemental_from_label("fish_oil")


class TestOtherForms:
    def test_psyllium_is_one_soluble_fiber_serving_per_unit(self) -> None:
        assert elemental_from_label("psyllium") == {}
        assert servings_per_unit("psyllium") == {"soluble_fiber": 1.0}

    def test_psyllium_fiber_grams_may_be_recorded(self) -> None:
        assert elemental_from_label("psyllium", fiber_g=3.5) == {"fiber_g": 3.5}

    def test_other_forms_give_no_servings(self) -> None:
        assert servings_per_unit("calcium_citrate") == {}

    @pytest.mark.parametrize("form", ["turmeric", "ginger", "anastrozole"])
    def test_logged_forms_carry_no_nutrients(self, form: str) -> None:
        assert elemental_from_label(form, compound_mg=500) == {}

    def test_a_nutrient_for_anastrozole_is_refused(self) -> None:
        with pytest.raises(ValueError, match="logged, not scored"):
            elemental_from_label("anastrozole", elemental_mg=1)

    def test_other_copies_label_nutrients(self) -> None:
        result = elemental_from_label("other", nutrients={"calcium_mg": 200, "vitamin_d_iu": 400})
        assert result == {"calcium_mg": 200.0, "vitamin_d_iu": 400.0}

    def test_other_with_unknown_key_is_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown nutrient keys"):
            elemental_from_label("other", nutrients={"zinc_mg": 10})

    def test_other_without_nutrients_is_refused(self) -> None:
        with pytest.raises(ValueError, match="at least one nutrient"):
            elemental_from_label("other")

    def test_unknown_form_is_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown form 'calcium_gluconate'"):
            elemental_from_label("calcium_gluconate", compound_mg=500)


class TestOneListOfForms:
    def test_the_catalog_knows_every_form_a_regimen_item_may_have(self) -> None:
        assert set(FORMS) == set(get_args(RegimenForm))

    def test_vitamin_k1_reads_mcg(self) -> None:
        assert elemental_from_label("vitamin_k1", mcg=90) == {"vitamin_k_mcg": 90.0}

    def test_another_calcium_salt_takes_the_label_elemental_figure(self) -> None:
        assert elemental_from_label("calcium_other", nutrients={"calcium_mg": 300}) == {
            "calcium_mg": 300.0
        }
