"""Request-scoped dependencies every domain shares: the session, the clock and the settings.

`SessionDep` commits when the route returns and rolls back when it raises; it runs with
`scope="function"` so that a failed commit turns into an error response instead of a 200 sent
before the write was durable. `Now` is the request's clock (`core.clock.app_clock`: a test moves
`app.state.clock`), `SettingsDep` the app's settings. Who is asking is `accounts.deps`: core
knows no domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from fortify.core.clock import app_clock
from fortify.core.config import Settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    # async: making a session does no I/O (it connects on its first statement), so only the
    # end, the commit, needs a worker thread. A sync generator would take a thread hop to
    # start as well, and each hop is a wait for a thread to be scheduled: on a busy machine,
    # a good share of a small request's time.
    session = request.app.state.session_factory()
    try:
        yield session
    except BaseException:
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(_abandon, session)
        raise
    with anyio.CancelScope(shield=True):
        await run_in_threadpool(_finish, session)


def _finish(session: Session) -> None:
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _abandon(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def get_now(request: Request) -> dt.datetime:
    # async: reading a clock does no I/O, so it takes no hop to a worker thread.
    return app_clock(request.app)()


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Now = Annotated[dt.datetime, Depends(get_now)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
