"""One-statement reads of PostgreSQL on the event loop, through psycopg's async mode.

The phones' most frequent request, a pull with nothing new, is one indexed read. Sent from a
worker thread (the engine's driver blocks), the hop to the thread and back (a thread to wake,
the GIL handed to another core and back) cost more CPU than the statement: the empty pull ran
at 38 % of /healthz's rate, where SQLite, read on the loop, ran at 90 % (docs/scaling.md). Here
the same statement is sent on the event loop without blocking it: psycopg's AsyncConnection
waits for the server's answer as the loop waits for a socket.

Only for reads that have a complete answer in the thread path too: every failure (the server
restarting or gone, a slow answer, every connection busy) raises `LoopReadUnavailable`, and the
caller answers through its worker thread as before, so this path never turns into an error the
thread path would not give. After a failure it rests (`REST_AFTER_FAILURE_S`): a server that is
down costs one failed attempt per rest, not one per request.

psycopg's own async driver rather than SQLAlchemy's asyncio extension: the extension runs each
statement in a greenlet around the same driver (a dependency and more work per statement), and
a single fixed statement needs none of its machinery; psycopg_pool, likewise, is a dependency
for what a list of idle connections does here. The SQL is the SQLAlchemy statement compiled once
by the engine's dialect, so it is the same statement the thread path sends.

Connections belong to the event loop that opened them: the reader keeps them for one loop (the
app's), and forgets them (closing their sockets) if it finds itself on another, as a test
client's loops are.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

import psycopg
from sqlalchemy import URL, Engine
from sqlalchemy.sql import ClauseElement

log = logging.getLogger(__name__)

#: Longest a read (and a connection's opening) may take before the thread path answers instead.
TIMEOUT_S = 0.5
#: After a failure, how long every read goes to the thread path before the next attempt.
REST_AFTER_FAILURE_S = 5.0


class LoopReadUnavailable(Exception):
    """The read was not done on the loop (failure, timeout, busy, resting): use the thread."""


class LoopReader:
    """At most `size` async connections (autocommit, in UTC like the engine's), opened on demand,
    to the engine's database (or `url`'s)."""

    def __init__(
        self,
        engine: Engine,
        *,
        size: int = 4,
        url: URL | None = None,
        timeout_s: float = TIMEOUT_S,
        rest_after_failure_s: float = REST_AFTER_FAILURE_S,
    ) -> None:
        _args, self._connect_args = engine.dialect.create_connect_args(url or engine.url)
        self._dialect = engine.dialect
        self._sql: dict[ClauseElement, str] = {}
        self._size = size
        self._timeout_s = timeout_s
        self._rest_after_failure_s = rest_after_failure_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._idle: list[psycopg.AsyncConnection[Any]] = []
        self._open = 0  # idle and in use, on `_loop`
        # Moves on when the connections are forgotten: one taken before is not given back.
        self._generation = 0
        self._resting_until = 0.0

    async def fetch_one(
        self, statement: ClauseElement, params: Mapping[str, Any]
    ) -> tuple[Any, ...] | None:
        """The statement's first row (None: no row), or `LoopReadUnavailable`. The statement
        is compiled by the engine's dialect once (it is the SAME statement the engine sends),
        so it must be one built once, with its values as bound parameters."""
        sql = self._sql.get(statement)
        if sql is None:
            sql = self._sql[statement] = str(statement.compile(dialect=self._dialect))
        if time.monotonic() < self._resting_until:
            raise LoopReadUnavailable("resting")
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            await self._forget()
            self._loop = loop
        generation = self._generation
        connection = await self._take(generation)
        try:
            async with asyncio.timeout(self._timeout_s):
                cursor = await connection.execute(sql, params)
                row = await cursor.fetchone()
        except BaseException as exc:
            # Unknown state (mid-answer, or broken): never reused. Cancelled (the client went
            # away) is passed on as it is; anything else is the thread path's to answer.
            await self._discard(connection, generation)
            if isinstance(exc, asyncio.CancelledError):
                raise
            await self._fail(exc)
            raise LoopReadUnavailable(type(exc).__name__) from exc
        if generation == self._generation:
            self._idle.append(connection)
        else:  # forgotten meanwhile (closed, or another loop's)
            await connection.close()
        return row

    async def close(self) -> None:
        """Closes the idle connections (the app's shutdown); one in use is closed when done."""
        await self._forget()

    async def _take(self, generation: int) -> psycopg.AsyncConnection[Any]:
        if self._idle:
            return self._idle.pop()
        if self._open >= self._size:
            raise LoopReadUnavailable("busy")
        self._open += 1
        try:
            async with asyncio.timeout(self._timeout_s):
                connection = await psycopg.AsyncConnection.connect(
                    **self._connect_args, autocommit=True
                )
                try:
                    # As the engine's connections (core.db._postgresql_utc): timestamps come as
                    # UTC, as the thread path reads them.
                    await connection.execute("SET TIME ZONE 'UTC'")
                except BaseException:
                    await connection.close()
                    raise
        except BaseException as exc:
            if generation == self._generation:
                self._open -= 1
            if isinstance(exc, asyncio.CancelledError):
                raise
            await self._fail(exc)
            raise LoopReadUnavailable(type(exc).__name__) from exc
        return connection

    async def _discard(self, connection: psycopg.AsyncConnection[Any], generation: int) -> None:
        if generation == self._generation:
            self._open -= 1
        await connection.close()  # no I/O: it ends the socket (PQfinish)

    async def _forget(self) -> None:
        idle, self._idle = self._idle, []
        self._generation += 1
        self._open = 0
        for connection in idle:
            await connection.close()

    async def _fail(self, exc: BaseException) -> None:
        """Rest, and forget the idle connections: after a server's restart they are all dead,
        and each would cost a failed read and a rest of its own. Said in the log (once a rest
        at most), so a reader that always fails is noticed; the error's kind only, never its
        message, which could quote a statement's values."""
        log.warning(
            "event-loop read failed (%s); worker threads answer for %.0f s",
            type(exc).__name__,
            self._rest_after_failure_s,
        )
        self._resting_until = time.monotonic() + self._rest_after_failure_s
        idle, self._idle = self._idle, []
        self._open -= len(idle)
        for connection in idle:
            await connection.close()
