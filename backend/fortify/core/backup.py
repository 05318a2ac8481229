"""Whole-database backups that are consistent while the app keeps serving.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the database page by page
under SQLite's own locking, so a backup taken during writes is a snapshot of one moment, WAL
included; a plain file copy of a WAL database is not. The copy is written beside the target and
renamed into place, so a crash never leaves half a backup under the final name. Restore runs the
same API the other way, into the live database file.

PostgreSQL: `pg_dump -Fc` (a consistent snapshot in one transaction; compressed, restorable
table by table) and `pg_restore --clean --if-exists --no-owner --single-transaction`, so a
restore either replaces everything or changes nothing. The connection comes from the URL's
parts; a password goes through the environment (PGPASSWORD), never the command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(RuntimeError):
    """The backup or restore tool failed; the message says why."""


def backup(database_url: str, path: Path) -> Path:
    """Write a backup of the database at `database_url` to `path`."""
    url = make_url(database_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    # A backup is every person's health record: readable by the owner only, like the secret
    # key, from the moment the file exists (pg_dump and SQLite write into the file made here).
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(url), partial)
    elif url.get_backend_name() == "postgresql":
        _run(["pg_dump", "--format=custom", "--file", str(partial), *_pg_args(url)], url)
    else:
        raise BackupError(f"no backup method for {url.get_backend_name()}")
    partial.chmod(0o600)  # whatever the tool did to it
    partial.replace(path)
    return path


def restore(database_url: str, path: Path) -> None:
    """Replace the contents of the database at `database_url` with the backup at `path`."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(path, target)
    elif url.get_backend_name() == "postgresql":
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*command, *_pg_args(url), str(path)], url)
    else:
        raise BackupError(f"no restore method for {url.get_backend_name()}")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _pg_args(url: URL) -> list[str]:
    args = ["--dbname", url.database or "postgres"]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    return args


def _run(command: list[str], url: URL) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (it comes with the PostgreSQL client)")
    env = os.environ | {"PGPASSWORD": url.password} if url.password else dict(os.environ)
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")
