"""The USDA importer on the shared SR28 files, on SQLite and PostgreSQL, and spot checks of the
imported numbers through the API."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from fortify.catalog.service import catalog_food_id
from tests.catalog.conftest import UsdaImport
from tests.factories import Person, sign_up

SR28_FOODS = 8789
CURATED_FOODS = 347


@pytest.fixture
def person(client: TestClient, usda_import: UsdaImport) -> Person:
    return sign_up(client)


def usda_food(person: Person, ndb_no: str) -> dict[str, object]:
    response = person.get(f"/api/v1/foods/{catalog_food_id('usda', ndb_no)}")
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


class TestImport:
    def test_the_first_run_inserts_every_sr28_food_within_a_minute(
        self, usda_import: UsdaImport
    ) -> None:
        assert usda_import.first.inserted == SR28_FOODS
        assert usda_import.first.updated == 0
        assert usda_import.first.seconds < 60
        assert usda_import.rows_after_first == SR28_FOODS + CURATED_FOODS

    def test_a_second_run_from_the_command_line_updates_and_duplicates_nothing(
        self, usda_import: UsdaImport
    ) -> None:
        assert usda_import.cli_exit_code == 0, usda_import.cli_output
        match = re.search(
            r"(\d+) foods inserted, (\d+) updated in ([\d.]+) s", usda_import.cli_output
        )
        assert match, usda_import.cli_output
        assert (int(match[1]), int(match[2])) == (0, SR28_FOODS)
        assert float(match[3]) < 60
        assert usda_import.rows_after_second == usda_import.rows_after_first


class TestSpotChecks:
    def test_whole_milk_has_113_mg_calcium_per_100_g_and_a_cup_portion(
        self, person: Person
    ) -> None:
        milk = usda_food(person, "01077")
        assert milk["source"] == "usda"
        assert milk["source_id"] == "01077"
        assert milk["nutrients_per_100g"]["calcium_mg"] == pytest.approx(113)  # type: ignore[index]
        assert {"label": "1 cup", "grams": 244.0} in milk["portions"]  # type: ignore[operator]

    def test_sardines_canned_in_oil_with_bone_have_382_mg_calcium(self, person: Person) -> None:
        sardines = usda_food(person, "15088")
        assert sardines["nutrients_per_100g"]["calcium_mg"] == pytest.approx(382)  # type: ignore[index]

    def test_cooked_atlantic_salmon_carries_epa_and_dha_in_mg(self, person: Person) -> None:
        farmed = usda_food(person, "15237")["nutrients_per_100g"]
        wild = usda_food(person, "15209")["nutrients_per_100g"]
        assert farmed["epa_mg"] == pytest.approx(690)  # type: ignore[index]
        assert farmed["dha_mg"] == pytest.approx(1457)  # type: ignore[index]
        assert wild["epa_mg"] == pytest.approx(411)  # type: ignore[index]
        assert wild["dha_mg"] == pytest.approx(1429)  # type: ignore[index]

    def test_a_nutrient_sr28_does_not_give_stays_null_not_zero(self, person: Person) -> None:
        caraway_cheese = usda_food(person, "01008")["nutrients_per_100g"]
        assert caraway_cheese["vitamin_d_iu"] is None  # type: ignore[index]
        assert caraway_cheese["calcium_mg"] == pytest.approx(673)  # type: ignore[index]

    def test_every_nutrient_key_is_present_on_a_usda_food(self, person: Person) -> None:
        nutrients = usda_food(person, "01077")["nutrients_per_100g"]
        assert set(nutrients) == {  # type: ignore[call-overload]
            "energy_kcal", "protein_g", "calcium_mg", "magnesium_mg", "vitamin_d_iu",
            "vitamin_k_mcg", "epa_mg", "dha_mg", "ala_g", "fiber_g", "mufa_g", "saturated_fat_g",
        }  # fmt: skip

    def test_the_curated_sardines_agree_with_sr28_through_search(self, person: Person) -> None:
        found = person.get("/api/v1/foods", params={"q": "sardines canned in oil"}).json()
        top = found["items"][0]
        assert top["source_id"] == "sardines_canned_in_oil"
        assert top["nutrients_per_100g"]["calcium_mg"] == pytest.approx(382)
