"""The SR28 reader against the real files in ../shared/data/usda-sr (read in place)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fortify.catalog.usda import (
    NUTRIENT_KEYS,
    UsdaFood,
    UsdaFormatError,
    count_foods,
    iter_rows,
    load_foods,
    read_food_groups,
    read_portions,
)

SR_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "usda-sr"


@pytest.fixture(scope="module")
def sr_dir() -> Path:
    if not (SR_DIR / "FOOD_DES.txt").is_file():
        pytest.fail(f"USDA SR28 data missing at {SR_DIR} (see shared/data/usda-sr/README.md)")
    return SR_DIR


@pytest.fixture(scope="module")
def foods(sr_dir: Path) -> dict[str, UsdaFood]:
    return load_foods(sr_dir)


class TestCounts:
    def test_all_8789_foods_are_read(self, foods: dict[str, UsdaFood]) -> None:
        assert len(foods) == 8789

    def test_count_foods_matches_without_parsing(self, sr_dir: Path) -> None:
        assert count_foods(sr_dir) == 8789

    def test_all_15438_portions_are_read_for_8492_foods(self, sr_dir: Path) -> None:
        portions = read_portions(sr_dir)
        assert sum(len(p) for p in portions.values()) == 15438
        assert len(portions) == 8492

    def test_25_food_groups(self, sr_dir: Path) -> None:
        groups = read_food_groups(sr_dir)
        assert len(groups) == 25
        assert groups["0100"] == "Dairy and Egg Products"


class TestValues:
    def test_ndb_numbers_keep_leading_zeros(self, foods: dict[str, UsdaFood]) -> None:
        milk = foods["01077"]
        assert milk.ndb_no == "01077"
        assert milk.name == "Milk, whole, 3.25% milkfat, with added vitamin D"
        assert milk.food_group == "Dairy and Egg Products"

    def test_every_food_carries_every_nutrient_key(self, foods: dict[str, UsdaFood]) -> None:
        assert all(tuple(f.nutrients_per_100g) == NUTRIENT_KEYS for f in foods.values())

    def test_whole_milk_values_and_cup(self, foods: dict[str, UsdaFood]) -> None:
        milk = foods["01077"]
        assert milk.nutrients_per_100g["calcium_mg"] == 113.0
        assert milk.nutrients_per_100g["vitamin_d_iu"] == 51.0
        assert milk.portions[0].label == "1 cup"
        assert milk.portions[0].grams == 244.0

    def test_epa_and_dha_are_converted_from_grams_to_mg(self, foods: dict[str, UsdaFood]) -> None:
        sardines = foods["15088"].nutrients_per_100g
        assert sardines["epa_mg"] == 473.0
        assert sardines["dha_mg"] == 509.0
        salmon = foods["15237"].nutrients_per_100g
        assert salmon["epa_mg"] == 690.0
        assert salmon["dha_mg"] == 1457.0

    def test_missing_rows_stay_none_not_zero(self, foods: dict[str, UsdaFood]) -> None:
        # Unsweetened fortified soymilk has no vitamin K, EPA or DHA rows in SR28.
        soy = foods["16222"].nutrients_per_100g
        assert soy["vitamin_k_mcg"] is None
        assert soy["epa_mg"] is None
        assert soy["calcium_mg"] == 124.0

    def test_reported_zeros_stay_zero(self, foods: dict[str, UsdaFood]) -> None:
        assert foods["01077"].nutrients_per_100g["fiber_g"] == 0.0

    def test_ala_falls_back_to_18_3_undifferentiated(self, foods: dict[str, UsdaFood]) -> None:
        # Flaxseed has no 851 row, only 619 = 22.813 g.
        assert foods["12220"].nutrients_per_100g["ala_g"] == 22.813

    def test_ala_prefers_851_when_present(self, foods: dict[str, UsdaFood]) -> None:
        # Unsalted butter: 851 = 0.315 g, 619 = 1.18 g.
        assert foods["01145"].nutrients_per_100g["ala_g"] == 0.315

    def test_amounts_in_portion_labels_are_readable(self, foods: dict[str, UsdaFood]) -> None:
        labels = [p.label for p in foods["09040"].portions]  # bananas
        assert "1 cup, mashed" in labels
        assert all(not label.startswith(".") for f in foods.values() for label in
                   (p.label for p in f.portions))  # fmt: skip


class TestEncoding:
    def test_weight_entree_decodes_as_cp1252(self, foods: dict[str, UsdaFood]) -> None:
        assert [p.label for p in foods["22996"].portions] == ["1 Entrée"]

    def test_kiwifruit_curly_quotes_decode_as_cp1252(self, sr_dir: Path) -> None:
        row = next(r for r in iter_rows(sr_dir, "FOOD_DES.txt") if r[0] == "09520")
        assert row[2] == "Kiwifruit, ZESPRI SunGold, raw"
        assert row[9] == "Actinidia chinensis \u2018Zesy002\u2019 (Gold3)"


class TestMalformedFiles:
    def test_a_short_row_names_file_and_line(self, tmp_path: Path) -> None:
        (tmp_path / "FD_GROUP.txt").write_text("~0100~^~Dairy~\r\n~0200~\r\n", encoding="cp1252")
        with pytest.raises(UsdaFormatError, match=r"FD_GROUP.txt:2: expected 2 fields, got 1"):
            read_food_groups(tmp_path)

    def test_a_non_numeric_weight_is_refused(self, tmp_path: Path) -> None:
        (tmp_path / "WEIGHT.txt").write_text("~01001~^1^1^~pat~^abc^^\r\n", encoding="cp1252")
        with pytest.raises(UsdaFormatError, match="not a number"):
            read_portions(tmp_path)
