"""`fortify backup` / `fortify restore`: a backup restored into a fresh database gives every day
report exactly as before (SQLite's online backup API; pg_dump/pg_restore on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from typer.testing import CliRunner

from fortify.accounts.models import User
from fortify.cli import app as cli
from fortify.core import backup as backups
from fortify.core.config import get_settings
from fortify.core.db import make_engine, session_factory, session_scope
from fortify.days import service as days
from fortify.demo.service import create_demo_person
from tests.conftest import scratch_database

TODAY = dt.date(2026, 11, 20)
DAYS = 45
EMAIL = "backup-demo@example.com"


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the test run's, for the restore."""
    with scratch_database("fortify_restore", tmp_path) as url:
        yield url


def _demo(engine: Engine) -> None:
    for session in session_scope(session_factory(engine)):
        create_demo_person(
            session, email=EMAIL, password="demo garden password", days=DAYS, today=TODAY, seed=11
        )


def _reports(engine: Engine) -> list[Any]:
    for session in session_scope(session_factory(engine)):
        user = session.scalars(select(User).where(User.email == EMAIL)).one()
        return days.day_series(session, user, TODAY - dt.timedelta(days=DAYS - 1), TODAY)
    raise AssertionError("unreachable")


class TestRoundTrip:
    def test_every_day_report_is_identical_after_a_restore_into_a_fresh_database(
        self, app: object, engine: Engine, database_url: str, fresh_url: str, tmp_path: Path
    ) -> None:
        _demo(engine)
        before = _reports(engine)
        assert any(r.entry_count > 0 for r in before)
        written = backups.backup(database_url, tmp_path / "fortify.backup")
        assert written.stat().st_size > 0
        assert not (tmp_path / "fortify.backup.partial").exists()

        backups.restore(fresh_url, written)
        restored = make_engine(fresh_url)
        try:
            assert _reports(restored) == before
        finally:
            restored.dispose()

    def test_a_restore_replaces_what_was_there(
        self, app: object, engine: Engine, database_url: str, tmp_path: Path
    ) -> None:
        _demo(engine)
        before = _reports(engine)
        written = backups.backup(database_url, tmp_path / "fortify.backup")
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM meals"))
        assert _reports(engine) != before
        engine.dispose()  # what `fortify restore` asks for: the server stopped
        backups.restore(database_url, written)
        assert _reports(engine) == before

    def test_a_missing_backup_is_a_clear_error(self, tmp_path: Path, database_url: str) -> None:
        with pytest.raises(backups.BackupError, match="no backup"):
            backups.restore(database_url, tmp_path / "nothing-here")


class TestCommands:
    def test_backup_then_restore_from_the_command_line(
        self,
        app: object,
        engine: Engine,
        database_url: str,
        fresh_url: str,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        _demo(engine)
        target = tmp_path / "cli.backup"
        runner = CliRunner()
        monkeypatch.setenv("FORTIFY_DATABASE_URL", database_url)
        get_settings.cache_clear()
        result = runner.invoke(cli, ["backup", str(target)])
        assert result.exit_code == 0, result.output
        monkeypatch.setenv("FORTIFY_DATABASE_URL", fresh_url)
        get_settings.cache_clear()
        refused = runner.invoke(cli, ["restore", str(target)], input="n\n")
        assert refused.exit_code == 1
        result = runner.invoke(cli, ["restore", str(target), "--yes"])
        assert result.exit_code == 0, result.output
        get_settings.cache_clear()
        restored = make_engine(fresh_url)
        try:
            assert _reports(restored) == _reports(engine)
        finally:
            restored.dispose()


class TestPermissions:
    def test_a_backup_is_readable_by_its_owner_only(
        self, app: object, database_url: str, tmp_path: Path
    ) -> None:
        previous = os.umask(0o022)  # the usual umask: new files world-readable
        try:
            written = backups.backup(database_url, tmp_path / "private.backup")
        finally:
            os.umask(previous)
        assert stat.S_IMODE(written.stat().st_mode) == 0o600

    def test_an_existing_world_readable_file_is_replaced_by_a_private_one(
        self, app: object, database_url: str, tmp_path: Path
    ) -> None:
        target = tmp_path / "old.backup"
        target.write_text("old")
        target.chmod(0o644)
        backups.backup(database_url, target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
