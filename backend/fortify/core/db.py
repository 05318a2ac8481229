"""Engine, sessions and the declarative base.

One session per request: services only `flush()`, and the request's session dependency commits
on success or rolls back on any error, so a rejected request never leaves half its writes.
SQLite runs in WAL mode with foreign keys on and a busy timeout, which lets the API's readers
and its single writer overlap without "database is locked" errors under normal load.
"""

from __future__ import annotations

import datetime as dt
import select as selectors
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError, InvalidatePoolError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, NullPool, PoolProxiedConnection
from sqlalchemy.types import TypeDecorator

from fortify.core.clock import utcnow as utcnow  # re-exported: the models' column defaults
from fortify.core.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime stored as UTC; SQLite has no time zones, so we normalise on the way in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # SQLite's default page cache is 2 MB; years of entries outgrow it, and a day report then
    # reads its index pages from the OS again on every request.
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def _json_loads(value: str | bytes | int | float) -> Any:
    """A JSON column's value. orjson: a day report reads a few hundred of them, and the
    standard library's decoder was a tenth of its time. A bare number can come back as an
    SQLite INTEGER or REAL from a row written before `_sqlite_json_dumps` (the migration
    20261202 repairs those; this keeps any such row readable)."""
    if isinstance(value, int | float):
        return value
    return orjson.loads(value)


def _sqlite_json_dumps(value: Any) -> bytes:
    """JSON for an SQLite JSON column, as bytes, which SQLite stores as a BLOB.

    A column declared JSON has NUMERIC affinity in SQLite, so the text of a bare number ("5",
    "1.0") was stored as an INTEGER or REAL: `1.0` came back as the integer 1, and the reader
    (orjson) cannot read a number, so the first sync conflict over a numeric field broke that
    person's conflicts, export, dismiss and restore (500). SQLite never converts a BLOB, and
    CAST(blob AS TEXT) (the pull feed) is the same text.
    """
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def make_engine(url: str, *, pooled: bool = True, pool_size: int = 10) -> Engine:
    """An engine for `url`. `hide_parameters`: a database error's message (which reaches
    exception handlers and could reach a log) never quotes the statement's values, which are
    people's health data."""
    pool_args: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 5},
            json_serializer=_sqlite_json_dumps,
            json_deserializer=_json_loads,
            hide_parameters=True,
            **pool_args,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if pooled:
        pool_args = {"pool_size": pool_size, "max_overflow": 10}
    engine = create_engine(url, json_deserializer=_json_loads, hide_parameters=True, **pool_args)
    event.listen(engine, "connect", _postgresql_utc)
    if pooled:
        _ping_when_in_doubt(engine)
    return engine


def _postgresql_utc(dbapi_connection: Any, _record: Any) -> None:
    """Each PostgreSQL session in UTC. The driver gives timestamps in the session's zone: as
    `datetime.timezone.utc` when it is called UTC, which `UTCDateTime` passes on as it is, but
    as a `ZoneInfo` under any other name (a server's default is often `Etc/UTC`), which each
    timestamp read was then converted from (7 % of a computed day report's instructions). No
    statement of ours depends on the session's zone; a SET, not a startup option, so that a
    connection pooler (PgBouncer tracks TimeZone) passes it on."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        dbapi_connection.execute("SET TIME ZONE 'UTC'")
    finally:
        dbapi_connection.autocommit = autocommit


# A pooled connection idle longer than this is pinged before use: a firewall or the server may
# have dropped it without a word.
IDLE_PING_SECONDS = 10.0


def _ping_when_in_doubt(engine: Engine) -> None:
    """Check a pooled PostgreSQL connection before use only when in doubt: when it sat idle
    longer than `IDLE_PING_SECONDS`, or when the server wrote to it while it sat in the pool
    (a server that ends a connection, by a restart or pg_terminate_backend, says so on its
    socket first). A readable socket costs one poll to notice; `pool_pre_ping` spent a round
    trip to the server on every checkout, most of a pull with nothing new's wait on it. A
    connection that fails its ping is replaced, and, as with `pool_pre_ping`, every
    connection pooled before it with it."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(
        dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
    ) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None:  # a new connection
            return
        if time.monotonic() - idle_since <= IDLE_PING_SECONDS and not _has_input(dbapi_connection):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise InvalidatePoolError(str(exc)) from exc


def _has_input(dbapi_connection: Any) -> bool:
    """Whether the server wrote to this idle connection (or its socket is gone)."""
    try:
        readable, _, _ = selectors.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError, AttributeError):
        return True
    return bool(readable)


def autocommit_connection(engine: Engine) -> Connection:
    """A connection whose every statement commits on its own: for a read (and a write that
    needs no company), as signing in is. On PostgreSQL that spares the BEGIN and COMMIT round
    trips around the one statement; SQLite's driver begins no transaction for a read anyway."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


def is_unique_violation(exc: IntegrityError) -> bool:
    """A duplicate key (as opposed to a foreign key, NOT NULL or CHECK refusal)."""
    sqlstate = getattr(exc.orig, "sqlstate", None)  # psycopg
    if sqlstate is not None:
        return bool(sqlstate == "23505")
    return "UNIQUE constraint failed" in str(exc.orig)  # sqlite3


def insert_new(session: Session, row: Any) -> bool:
    """Add and flush a new row in a savepoint; False (nothing written) when the database refuses
    it as a duplicate key.

    Creates that take a client id look for the id first, but two requests with the same id
    (a retry racing its original) can both find nothing; the second insert then fails on the
    key. Without the savepoint that failure was the whole request's (a 500); with it, the
    caller reads the row that won and answers exactly as a sequential retry: the same record
    (200) or a conflict (409). Call it after the request's first write (a change number): on
    SQLite a savepoint must be inside a transaction, and the writer's lock makes the second
    request wait for the first to commit, so the re-read sees the winner.
    """
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        return False
    return True


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yield a session that commits when the block ends cleanly and rolls back otherwise."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
