from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect

from fortify.core import migrations
from fortify.models import metadata
from tests.conftest import scratch_database


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind as the suite's, for up/down runs."""
    with scratch_database("fortify_migrations", tmp_path) as url:
        yield url


class TestMigrations:
    def test_upgrade_to_head_and_back_to_base(self, empty_database_url: str) -> None:
        migrations.upgrade(empty_database_url)
        engine = create_engine(empty_database_url)
        try:
            tables = set(inspect(engine).get_table_names())
            assert set(metadata.tables) <= tables
            assert migrations.current_revision(engine) == migrations.head_revision(
                empty_database_url
            )
            migrations.downgrade(empty_database_url, "base")
            assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
            migrations.upgrade(empty_database_url)  # and up again from base
            assert set(metadata.tables) <= set(inspect(engine).get_table_names())
        finally:
            engine.dispose()

    def test_the_models_and_the_migrations_agree(self, engine: Engine) -> None:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, metadata)
        assert diff == []
