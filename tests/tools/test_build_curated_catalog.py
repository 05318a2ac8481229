"""The curated catalog's builder: the committed JSON is what the food files build, and a food
file that breaks the format is refused with the file and the food named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fortify.catalog.usda import UsdaFood
from tests.conftest import SHARED_DATA
from tests.tools import load_tool

builder = load_tool("build_curated_catalog")
SR_DIR = SHARED_DATA / "usda-sr"


@pytest.fixture(scope="module")
def usda() -> dict[str, UsdaFood]:
    foods: dict[str, UsdaFood] = builder.read_usda(None)
    return foods


@pytest.fixture
def foods_dir(tmp_path: Path) -> Path:
    """A copy of tools/curated_foods/ that a test may break."""
    copy = tmp_path / "curated_foods"
    shutil.copytree(builder.FOODS_DIR, copy)
    return copy


def build_text(foods_dir: Path, usda: dict[str, UsdaFood]) -> str:
    text: str = builder.render(builder.build(builder.load_specs(foods_dir), usda))
    return text


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class TestTheCommittedCatalog:
    def test_is_what_the_food_files_build(self) -> None:
        assert builder.main(["--check"]) == 0

    def test_holds_every_food_of_the_food_files_once(self, usda: dict[str, UsdaFood]) -> None:
        specs = builder.load_specs(builder.FOODS_DIR)
        assert len(specs) == len({spec.key for spec in specs}) == 347

    def test_the_pack_and_the_raw_sr28_files_build_the_same_catalog(
        self, usda: dict[str, UsdaFood]
    ) -> None:
        if not (SR_DIR / "FOOD_DES.txt").is_file():
            pytest.skip(f"the SR28 files are not at {SR_DIR}")
        specs = builder.load_specs(builder.FOODS_DIR)
        assert builder.build(specs, usda) == builder.build(specs, builder.read_usda(SR_DIR))


class TestTheCheck:
    def test_fails_when_a_food_file_changes(
        self, foods_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        edit(foods_dir / "01_dairy.toml", '"1 cup (240 ml)" = 244', '"1 cup (240 ml)" = 245')
        monkeypatch.setattr(builder, "FOODS_DIR", foods_dir)
        assert builder.main(["--check"]) == 1

    def test_fails_on_a_food_group_the_app_does_not_know(
        self, foods_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        edit(foods_dir / "07_eggs.toml", 'food_group = "eggs"', 'food_group = "egg"')
        monkeypatch.setattr(builder, "FOODS_DIR", foods_dir)
        assert builder.main(["--check"]) == 1
        assert "unknown food group 'egg'" in capsys.readouterr().err


class TestTheFoodFiles:
    def test_a_changed_nutrient_override_changes_the_catalog(
        self, foods_dir: Path, usda: dict[str, UsdaFood]
    ) -> None:
        edit(foods_dir / "02_plant_milks.toml", "per_100g = 120.0", "per_100g = 121.0")
        assert '"calcium_mg": 121.0' in build_text(foods_dir, usda)

    def test_an_unknown_field_is_refused_naming_the_file_and_the_food(
        self, foods_dir: Path
    ) -> None:
        edit(foods_dir / "07_eggs.toml", "[[food]]\n", "[[food]]\nsynonym = []\n")
        refusal = r"07_eggs\.toml: egg_whole_raw: unknown fields \['synonym'\]"
        with pytest.raises(builder.SpecError, match=refusal):
            builder.load_specs(foods_dir)

    def test_a_source_name_that_sources_toml_lacks_is_refused(self, foods_dir: Path) -> None:
        edit(foods_dir / "05_fruit.toml", 'sources = ["who"]', 'sources = ["whoo"]')
        with pytest.raises(builder.SpecError, match="'whoo' is not a source named"):
            builder.load_specs(foods_dir)

    def test_a_weight_that_is_not_a_number_is_refused(self, foods_dir: Path) -> None:
        edit(foods_dir / "07_eggs.toml", "= 50", '= "50"')
        with pytest.raises(builder.SpecError, match="expected a number"):
            builder.load_specs(foods_dir)

    def test_a_key_used_twice_is_refused(self, foods_dir: Path, usda: dict[str, UsdaFood]) -> None:
        edit(foods_dir / "07_eggs.toml", 'key = "egg_whole_raw"', 'key = "whole_milk"')
        with pytest.raises(builder.SpecError, match="duplicate key whole_milk"):
            build_text(foods_dir, usda)

    def test_a_file_without_its_order_number_is_refused(self, foods_dir: Path) -> None:
        (foods_dir / "07_eggs.toml").rename(foods_dir / "eggs.toml")
        with pytest.raises(builder.SpecError, match=r"NN_group\.toml"):
            builder.load_specs(foods_dir)
