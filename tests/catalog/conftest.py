"""Catalog fixtures: the full USDA import, run once per test session (so once per database).

The first run goes through the service function, the second through the command line, which is
both the CLI test and the idempotency check. The shared SR28 files are read in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from fortify.catalog import service
from fortify.catalog.importer import ImportResult, import_usda
from fortify.catalog.models import Food
from fortify.cli import app as cli
from fortify.core.config import get_settings
from fortify.core.db import session_factory, session_scope
from tests.conftest import SHARED_DATA

SR_DIR = SHARED_DATA / "usda-sr"


@dataclass(frozen=True)
class UsdaImport:
    first: ImportResult
    rows_after_first: int
    cli_output: str
    cli_exit_code: int
    rows_after_second: int


def food_count(engine: Engine) -> int:
    for session in session_scope(session_factory(engine)):
        return session.scalar(select(func.count()).select_from(Food)) or 0
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def usda_import(engine: Engine, database_url: str) -> Iterator[UsdaImport]:
    if not (SR_DIR / "FOOD_DES.txt").is_file():
        pytest.fail(f"USDA SR28 data missing at {SR_DIR} (see shared/data/usda-sr/README.md)")
    factory = session_factory(engine)
    for session in session_scope(factory):
        service.sync_curated(session)
    for session in session_scope(factory):
        first = import_usda(session, SR_DIR)
    rows_after_first = food_count(engine)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FORTIFY_DATABASE_URL", database_url)
        get_settings.cache_clear()
        result = CliRunner().invoke(cli, ["catalog", "import-usda", str(SR_DIR)])
    get_settings.cache_clear()
    yield UsdaImport(first, rows_after_first, result.output, result.exit_code, food_count(engine))
