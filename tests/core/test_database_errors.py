"""A database that cannot answer gives 503 + Retry-After, never a 500, and never half a write.

SQLite: a writer that holds the lock past the busy timeout ("database is locked") and a full
database (`PRAGMA max_page_count` at the current size: "database or disk is full").
PostgreSQL: the server ends the app's connections (`pg_terminate_backend`, as a restart does).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError

from fortify.core import migrations
from fortify.core.config import Settings
from fortify.core.db import make_engine
from fortify.core.errors import database_unavailable
from fortify.main import create_app
from tests.conftest import BACKEND
from tests.factories import Person, meal, sign_up

sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's own failure modes")
postgres_only = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL connection loss"),
]


def _pragma(engine: Engine, statement: str) -> None:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(statement)

    event.listen(engine, "connect", on_connect)  # after make_engine's own pragmas


def _client(settings: Settings, engine: Engine) -> TestClient:
    return TestClient(create_app(settings, engine))


def _state(engine: Engine, person: Person) -> tuple[int, int]:
    with engine.connect() as connection:
        meals = connection.execute(text("SELECT count(*) FROM meals")).scalar_one()
        version = connection.execute(
            text("SELECT sync_version FROM users WHERE email = :e"), {"e": person.email}
        ).scalar_one()
    return int(meals), int(version)


def _assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "database_unavailable"
    assert int(response.headers["retry-after"]) > 0


@sqlite_only
class TestSQLiteBusy:
    def test_a_write_blocked_past_the_busy_timeout_is_503_and_writes_nothing(
        self, client: TestClient, settings: Settings, database_url: str, engine: Engine
    ) -> None:
        person = sign_up(client)
        before = _state(engine, person)
        impatient = make_engine(database_url)
        _pragma(impatient, "PRAGMA busy_timeout=100")
        other = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        try:
            other.execute("BEGIN EXCLUSIVE")
            with _client(settings, impatient) as blocked:
                response = blocked.post("/api/v1/meals", headers=person.headers, json=meal())
            _assert_unavailable(response)
        finally:
            other.execute("ROLLBACK")
            other.close()
            impatient.dispose()
        assert _state(engine, person) == before
        # Once the lock is gone the same write goes through.
        assert person.post("/api/v1/meals", json=meal()).status_code == 201


@sqlite_only
class TestSQLiteFull:
    @pytest.fixture
    def full_url(self, tmp_path: Path) -> Iterator[str]:
        url = f"sqlite:///{tmp_path / 'small.db'}"
        migrations.upgrade(url)
        yield url

    def test_a_write_to_a_full_database_is_503_and_writes_nothing(
        self, full_url: str, tmp_path: Path
    ) -> None:
        settings = Settings(
            environment="test", database_url=full_url, data_dir=tmp_path, secret_key="x" * 32
        )
        roomy = make_engine(full_url)
        with _client(settings, roomy) as roomy_client:
            person = sign_up(roomy_client)
        with roomy.connect() as connection:
            connection.exec_driver_sql("VACUUM")  # no free pages left to reuse
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
        before = _state(roomy, person)
        full = make_engine(full_url)
        _pragma(full, f"PRAGMA max_page_count={pages}")
        big = meal(
            items=[
                {"food_name": f"Sardines {n} " + "x" * 180, "grams": 100, "nutrients": {}}
                for n in range(100)
            ]
        )
        try:
            with _client(settings, full) as full_client:
                response = full_client.post("/api/v1/meals", headers=person.headers, json=big)
            _assert_unavailable(response)
            assert response.headers["retry-after"] == "60"
            assert full_client.get("/readyz").json()["code"] == "database_read_only"
        finally:
            full.dispose()
        assert _state(roomy, person) == before
        roomy.dispose()


class TestPoolExhausted:
    def test_no_free_connection_within_the_pool_timeout_is_503(
        self, client: TestClient, settings: Settings, database_url: str
    ) -> None:
        person = sign_up(client)
        tiny = create_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=0.2)
        try:
            with _client(settings, tiny) as busy, tiny.connect():  # the only connection, held
                response = busy.get("/api/v1/meals", headers=person.headers)
            _assert_unavailable(response)
        finally:
            tiny.dispose()


class TestNotMasked:
    def test_a_programming_error_is_not_called_unavailable(self) -> None:
        bug = OperationalError("SELECT nope", {}, sqlite3.OperationalError("no such table: nope"))
        assert not database_unavailable(bug)

    def test_a_locked_sqlite_database_is(self) -> None:
        busy = OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))
        assert database_unavailable(busy)


def _terminate_app_connections(database_url: str) -> int:
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return len(
                connection.execute(
                    text(
                        # Waits (up to 5 s) until each is gone, as after a server restart.
                        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).all()
            )
    finally:
        admin.dispose()


class TestPostgresConnectionLoss:
    pytestmark = postgres_only

    def test_the_pool_recovers_by_itself_and_keeps_every_acknowledged_write(
        self, client: TestClient, database_url: str
    ) -> None:
        person = sign_up(client)
        acknowledged = []
        for n in range(3):
            response = person.post("/api/v1/meals", json=meal(name=f"Before {n}"))
            assert response.status_code == 201
            acknowledged.append(response.json()["id"])
        assert _terminate_app_connections(database_url) >= 1
        # The pool finds the dead connections on checkout (the server said goodbye on their
        # sockets) and replaces them.
        response = person.post("/api/v1/meals", json=meal(name="After"))
        assert response.status_code == 201, response.text
        acknowledged.append(response.json()["id"])
        listed = {m["id"] for m in person.get("/api/v1/meals?limit=200").json()["items"]}
        assert set(acknowledged) <= listed

    def test_a_connection_lost_under_a_request_is_503_then_recovers(
        self, client: TestClient, settings: Settings, database_url: str, engine: Engine
    ) -> None:
        person = sign_up(client)
        # No pre-ping: the request itself meets the dead connection.
        unpinged = create_engine(database_url, pool_size=1, max_overflow=0)
        try:
            with _client(settings, unpinged) as app_client:
                assert app_client.get("/api/v1/meals", headers=person.headers).status_code == 200
                _terminate_app_connections(database_url)
                lost = app_client.post("/api/v1/meals", headers=person.headers, json=meal())
                _assert_unavailable(lost)
                again = app_client.post("/api/v1/meals", headers=person.headers, json=meal())
                assert again.status_code == 201, again.text
        finally:
            unpinged.dispose()
        assert _state(engine, person)[0] == 1


class TestNulInText:
    pytestmark = postgres_only

    def test_a_nul_character_is_a_422_not_a_500(self, client: TestClient) -> None:
        person = sign_up(client)
        push = {
            "device_id": "phone",
            "operations": [
                {"op_id": "op-1", "entity": "me\x00als", "id": str(uuid.uuid4()), "kind": "delete"}
            ],
        }
        response = person.post("/api/v1/sync/push", json=push)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["rule"] == "no_nul"


def _read_only_engine(database_url: str) -> Engine:
    """The same database on connections that refuse every write, as a read-only mount, a
    standby or `default_transaction_read_only` would (the tests run as root, for whom file
    permissions do not make SQLite read-only, so SQLite is told by `query_only`)."""
    if BACKEND == "sqlite":
        engine = make_engine(database_url)
        _pragma(engine, "PRAGMA query_only=ON")
        return engine
    return create_engine(
        database_url, connect_args={"options": "-c default_transaction_read_only=on"}
    )


class TestReadOnlyDatabase:
    def test_writes_get_503_with_retry_after_and_readyz_says_not_ready(
        self, client: TestClient, settings: Settings, database_url: str, engine: Engine
    ) -> None:
        person = sign_up(client)
        before = _state(engine, person)
        read_only = _read_only_engine(database_url)
        try:
            with _client(settings, read_only) as frozen:
                assert frozen.get("/readyz").status_code == 503
                response = frozen.post("/api/v1/meals", headers=person.headers, json=meal())
                _assert_unavailable(response)
                assert response.headers["retry-after"] == "60"
                ready = frozen.get("/readyz")
                assert ready.status_code == 503
                assert ready.json()["code"] == "database_read_only"
                assert ready.headers["retry-after"]
        finally:
            read_only.dispose()
        assert _state(engine, person) == before
        assert client.get("/readyz").status_code == 200  # the writable app is ready

    def test_a_busy_sqlite_database_is_still_ready(
        self, client: TestClient, database_url: str
    ) -> None:
        if BACKEND != "sqlite":
            pytest.skip("SQLite's write lock")
        other = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            response = client.get("/readyz")
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert response.status_code == 200
