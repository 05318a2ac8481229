"""One fixture builds the app on a fresh database; the same suite runs on SQLite and PostgreSQL.

`FORTIFY_TEST_DATABASE=postgresql` runs it on a scratch database created on the server named by
`FORTIFY_TEST_POSTGRES_URL` (default: the local `test` database) and dropped afterwards;
`FORTIFY_REQUIRE_POSTGRES=1` (CI) turns "no server" into a failure instead of a skip.
The schema is built by running the migrations, so every run exercises them. Each test starts
on empty tables: rows are deleted after each test rather than rolled back, because several tests
need real commits seen by other connections (threads, a second process).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from fortify.core import migrations, security
from fortify.core.config import Settings
from fortify.core.db import make_engine
from fortify.main import create_app
from fortify.models import metadata
from tests.factories import Outbox

# argon2id with the smallest cost: the same algorithm and code path, a hundred times faster, so
# the suite can sign up hundreds of people. Production keeps argon2-cffi's RFC 9106 defaults.
security._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

# One Hypothesis profile for every test: on a loaded machine (two cores shared by the suite's
# workers, PostgreSQL and more) an example's time says nothing about the code, so no deadline
# and no "too slow" or "data too large" health checks. Examples stay random (derandomize=False).
# A test's own `suppress_health_check` replaces this list: extend it (`[*SLOW_MACHINE, ...]`).
SLOW_MACHINE = (HealthCheck.too_slow, HealthCheck.data_too_large)
hypothesis_settings.register_profile(
    "fortify", deadline=None, suppress_health_check=SLOW_MACHINE, derandomize=False
)
hypothesis_settings.load_profile("fortify")

BACKEND = os.environ.get("FORTIFY_TEST_DATABASE", "sqlite")
POSTGRES_ADMIN_URL = os.environ.get(
    "FORTIFY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
# Reference data that migrations or the app load once; kept between tests. The catalog: curated
# foods are loaded at app startup, USDA foods imported once per run (tests/catalog).
KEEP_TABLES: frozenset[str] = frozenset({"foods", "catalog_meta"})
# Rows that tests add to kept tables: deleted after each test.
KEPT_TABLE_TEST_ROWS: dict[str, str] = {"foods": "source = 'user'"}


def pytest_report_header(config: pytest.Config) -> str:
    return f"fortify test database: {BACKEND}"


@contextmanager
def scratch_database(prefix: str, folder: Path) -> Iterator[str]:
    """A new, empty database of the run's kind: a file in `folder`, or a PostgreSQL database
    created on the test server and dropped afterwards."""
    if BACKEND == "sqlite":
        yield f"sqlite:///{folder / f'{prefix}.db'}"
        return
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        except OperationalError as exc:
            if os.environ.get("FORTIFY_REQUIRE_POSTGRES") == "1":
                raise RuntimeError(f"PostgreSQL is required but does not answer: {exc}") from exc
            pytest.skip(f"PostgreSQL does not answer at {POSTGRES_ADMIN_URL}")
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if BACKEND not in ("sqlite", "postgresql"):
        raise RuntimeError(f"FORTIFY_TEST_DATABASE must be sqlite or postgresql, not {BACKEND}")
    with scratch_database("fortify_test", tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    migrations.upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def clear_tables(engine: Engine) -> None:
    """Empties every table the tests write, children first. DELETE, not TRUNCATE, on both
    databases: the tables hold a few rows after a test, and PostgreSQL's TRUNCATE of ~30 tables
    (new files for each, an exclusive lock) took ~290 ms a test against ~20 ms for DELETE,
    measured on the 2-core machine, which was a quarter of the PostgreSQL run."""
    tables = [t for t in reversed(metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with engine.begin() as connection:
        for table_name, where in KEPT_TABLE_TEST_ROWS.items():
            connection.execute(text(f"DELETE FROM {table_name} WHERE {where}"))
        for table in tables:
            connection.execute(table.delete())


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        data_dir=tmp_path,
        secret_key="test-secret-" + uuid.uuid4().hex,
        frontend_dist=tmp_path / "no-frontend",
        # The suite signs up hundreds of people from one address; tests/accounts checks the
        # limits themselves with small values.
        sign_ups_per_hour_per_address=100_000,
        sign_ups_per_minute=100_000,
        emails_per_hour_per_recipient=100_000,
    )


@pytest.fixture
def app(settings: Settings, engine: Engine) -> Iterator[FastAPI]:
    application = create_app(settings, engine)
    # Mails are kept, not sent (tests/accounts/test_mail.py sends real ones to a local server).
    application.state.mailer = Outbox()
    yield application
    clear_tables(engine)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
