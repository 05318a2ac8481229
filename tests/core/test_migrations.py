from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, Uuid, bindparam, create_engine, insert, inspect, select, text

from fortify.core import migrations
from fortify.core.db import UTCDateTime, utcnow
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


def test_favourites_made_before_they_were_synced_get_change_numbers(
    empty_database_url: str,
) -> None:
    """The migration that made favourites sync records numbers the existing ones from their
    owner's counter, after everything the owner wrote, so the next pull brings them."""
    migrations.upgrade(empty_database_url, "a8a09d6379ec")
    engine = create_engine(empty_database_url)
    users, foods = metadata.tables["users"], metadata.tables["foods"]
    user_id, food_ids = uuid.uuid4(), [uuid.uuid4(), uuid.uuid4()]
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(users).values(
                    id=user_id,
                    email="old@example.com",
                    password_hash="x",
                    display_name="Old",
                    sync_version=7,
                )
            )
            for n, food_id in enumerate(food_ids):
                connection.execute(
                    insert(foods).values(
                        id=food_id,
                        source="curated",
                        source_id=f"old_{n}",
                        name=f"Old {n}",
                        synonyms=[],
                        food_group="other",
                        nutrients_per_100g={},
                        servings_grams={},
                        tags=[],
                        portions=[],
                        search_text=f"old {n}",
                    )
                )
                connection.execute(
                    text(
                        "INSERT INTO food_favourites (user_id, food_id, created_at) "
                        "VALUES (:user_id, :food_id, :created_at)"
                    ).bindparams(
                        bindparam("user_id", type_=Uuid()),
                        bindparam("food_id", type_=Uuid()),
                        bindparam("created_at", type_=UTCDateTime()),
                    ),
                    {"user_id": user_id, "food_id": food_id, "created_at": utcnow()},
                )
        migrations.upgrade(empty_database_url)
        with engine.connect() as connection:
            favourites = metadata.tables["food_favourites"]
            versions = connection.execute(
                select(favourites.c.version, favourites.c.deleted_at).order_by(favourites.c.version)
            ).all()
            counter = connection.scalar(select(users.c.sync_version))
        assert versions == [(8, None), (9, None)]
        # 10: the never-saved profile then takes the next number (profile_in_first_pull).
        assert counter == 10
    finally:
        engine.dispose()


def test_dose_reminders_of_deleted_items_become_tombstones(empty_database_url: str) -> None:
    """The migration of issue #13 (F5): a live reminder naming a deleted or purged regimen item
    becomes a tombstone numbered after everything its owner wrote; the rest are left alone."""
    migrations.upgrade(empty_database_url, "5a7e3c9d1f20")
    engine = create_engine(empty_database_url)
    users, items = metadata.tables["users"], metadata.tables["regimen_items"]
    reminders = metadata.tables["reminders"]
    user_id = uuid.uuid4()
    live_item, deleted_item, purged_item = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    named: dict[str, uuid.UUID | None] = {
        "live": live_item,
        "deleted": deleted_item,
        "purged": purged_item,
        "custom": None,
    }
    ids = {name: uuid.uuid4() for name in named}
    now = utcnow()
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(users).values(
                    id=user_id,
                    email="old@example.com",
                    password_hash="x",
                    display_name="Old",
                    sync_version=20,
                    profile_version=1,
                )
            )
            for n, (item_id, deleted_at) in enumerate(((live_item, None), (deleted_item, now))):
                connection.execute(
                    insert(items).values(
                        user_id=user_id,
                        id=item_id,
                        created_at=now,
                        updated_at=now,
                        version=n + 1,
                        deleted_at=deleted_at,
                        name=f"Item {n}",
                        kind="medicine",
                        form="anastrozole",
                        nutrients_per_unit={},
                        servings_per_unit={},
                        default_units=1,
                        schedule_times=["08:00"],
                        prescribed_daily=True,
                        active=True,
                    )
                )
            for n, (name, target) in enumerate(named.items()):
                connection.execute(
                    insert(reminders).values(
                        user_id=user_id,
                        id=ids[name],
                        created_at=now,
                        updated_at=now,
                        version=10 + n,
                        kind="custom" if target is None else "dose",
                        title=name,
                        regimen_item_id=target,
                        enabled=True,
                    )
                )
        migrations.upgrade(empty_database_url)
        with engine.connect() as connection:
            rows = connection.execute(
                select(reminders.c.title, reminders.c.version, reminders.c.deleted_at)
            ).all()
            counter = connection.scalar(select(users.c.sync_version))
        state = {title: (version, deleted_at is not None) for title, version, deleted_at in rows}
        assert state["live"] == (10, False) and state["custom"] == (13, False)
        assert state["deleted"][1] and state["purged"][1]
        assert {state["deleted"][0], state["purged"][0]} == {21, 22}
        assert counter == 22
    finally:
        engine.dispose()
