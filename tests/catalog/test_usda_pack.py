"""The USDA SR28 pack shipped with the code: the tool that builds it, and `fortify migrate`
loading it into a fresh database (a scratch database of its own, on SQLite and PostgreSQL)."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, func, select
from typer.testing import CliRunner

from fortify.catalog import importer
from fortify.catalog import repository as repo
from fortify.catalog.models import CatalogMeta, Food
from fortify.catalog.service import catalog_food_id
from fortify.catalog.usda import NUTRIENT_KEYS, Portion, UsdaFood, pack_document, read_pack
from fortify.cli import app as cli
from fortify.core.config import get_settings
from fortify.core.db import make_engine, session_factory, session_scope
from tests.catalog.conftest import SR_DIR
from tests.conftest import scratch_database
from tests.tools import load_tool

build_usda_pack = load_tool("build_usda_pack")

SR28_FOODS = 8789


def count(engine: Engine, source: str | None = None) -> int:
    stmt = select(func.count()).select_from(Food)
    if source is not None:
        stmt = stmt.where(Food.source == source)
    for session in session_scope(session_factory(engine)):
        return session.scalar(stmt) or 0
    raise AssertionError("unreachable")


def migrate(url: str) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FORTIFY_DATABASE_URL", url)
        get_settings.cache_clear()
        result = CliRunner().invoke(cli, ["migrate"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return result.output


class TestTheTool:
    def test_the_committed_pack_is_what_the_tool_builds_from_sr28(self) -> None:
        if not (SR_DIR / "FOOD_DES.txt").is_file():
            pytest.skip(f"the SR28 files are not at {SR_DIR}")
        assert build_usda_pack.check(SR_DIR, build_usda_pack.PACK) is None

    def test_check_fails_on_a_pack_that_differs(self, tmp_path: Path) -> None:
        if not (SR_DIR / "FOOD_DES.txt").is_file():
            pytest.skip(f"the SR28 files are not at {SR_DIR}")
        stale = tmp_path / "pack.json.gz"
        document = gzip.decompress(build_usda_pack.PACK.read_bytes())
        stale.write_bytes(gzip.compress(document.replace(b"Butter, salted", b"Butter")))
        assert build_usda_pack.main(["--check", "--out", str(stale)]) == 1

    def test_the_pack_is_under_two_megabytes_and_holds_every_sr28_food(self) -> None:
        data = build_usda_pack.PACK.read_bytes()
        assert len(data) < 2_000_000
        foods = list(read_pack(data))
        assert len(foods) == SR28_FOODS
        milk = next(food for food in foods if food.ndb_no == "01077")
        assert milk.nutrients_per_100g["calcium_mg"] == pytest.approx(113)
        assert Portion("1 cup", 244.0) in milk.portions


names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1)
amounts = st.none() | st.floats(min_value=0, max_value=1e5, allow_nan=False)
foods = st.builds(
    UsdaFood,
    ndb_no=st.from_regex(r"\A[0-9]{5}\Z"),
    name=names,
    food_group=st.sampled_from(["Dairy and Egg Products", "Beverages", "Entrée"]),
    nutrients_per_100g=st.fixed_dictionaries({key: amounts for key in NUTRIENT_KEYS}),
    portions=st.lists(st.builds(Portion, label=names, grams=st.floats(0.1, 5000))),
)


class TestPackFormat:
    @given(st.lists(foods, max_size=5))
    def test_reading_a_pack_gives_back_the_foods_written(self, written: list[UsdaFood]) -> None:
        assert list(read_pack(pack_document(written))) == written
        assert list(read_pack(gzip.compress(pack_document(written)))) == written

    def test_a_pack_of_another_format_is_refused(self) -> None:
        document = pack_document([]).replace(b'"format":1', b'"format":99')
        with pytest.raises(ValueError, match="format 99"):
            list(read_pack(document))


@pytest.fixture(scope="module")
def fresh_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with scratch_database("fortify_pack", tmp_path_factory.mktemp("pack")) as url:
        yield url


@pytest.fixture(scope="module")
def first_migrate(fresh_url: str) -> str:
    return migrate(fresh_url)


@pytest.fixture
def fresh(fresh_url: str, first_migrate: str) -> Iterator[Engine]:
    engine = make_engine(fresh_url)
    yield engine
    engine.dispose()


class TestMigrateLoadsThePack:
    def test_a_fresh_database_gets_at_least_9000_foods(
        self, first_migrate: str, fresh: Engine
    ) -> None:
        assert re.search(rf"USDA SR28: {SR28_FOODS} foods loaded in [\d.]+ s", first_migrate)
        assert count(fresh, "usda") == SR28_FOODS
        assert count(fresh) >= 9000
        assert re.search(rf"food catalog: {count(fresh)} foods", first_migrate)

    def test_migrating_again_loads_nothing_and_duplicates_nothing(self, fresh: Engine) -> None:
        before = count(fresh)
        output = migrate(fresh.url.render_as_string(hide_password=False))
        assert "USDA SR28" not in output
        assert count(fresh) == before

    def test_a_changed_pack_updates_its_foods_and_drops_the_ones_it_no_longer_holds(
        self, fresh: Engine
    ) -> None:
        shipped = list(read_pack(importer.pack_bytes()))
        butter = shipped[0]
        renamed = UsdaFood(
            butter.ndb_no, "Butter, salted (renamed)", butter.food_group, butter.nutrients_per_100g
        )
        changed = pack_document([renamed, *shipped[2:]])
        factory = session_factory(fresh)
        try:
            for session in session_scope(factory):
                result = importer.load_usda_pack(session, changed)
                assert result is not None and result.updated == SR28_FOODS - 1
            assert count(fresh, "usda") == SR28_FOODS - 1
            for session in session_scope(factory):
                food = repo.get_food(session, catalog_food_id("usda", "01001"))
                assert food is not None and food.name == "Butter, salted (renamed)"
        finally:
            for session in session_scope(factory):
                importer.load_usda_pack(session)
        assert count(fresh, "usda") == SR28_FOODS

    def test_a_catalog_imported_from_a_full_download_is_left_as_it_is(self, fresh: Engine) -> None:
        factory = session_factory(fresh)
        digest = None
        try:
            for session in session_scope(factory):
                digest = repo.get_meta(session, importer.PACK_KEY)
                # What `fortify catalog import-usda` leaves: USDA rows and no pack digest.
                session.execute(delete(CatalogMeta).where(CatalogMeta.key == importer.PACK_KEY))
            for session in session_scope(factory):
                assert importer.load_usda_pack(session, pack_document([])) is None
            assert count(fresh, "usda") == SR28_FOODS
        finally:
            for session in session_scope(factory):
                assert digest is not None
                repo.set_meta(session, importer.PACK_KEY, digest)
