"""The application factory: settings in, a configured FastAPI app out."""

from __future__ import annotations

import gc
import logging
import os
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError, NoResultFound
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from sqlalchemy.pool import QueuePool

from fortify.accounts import pushlock
from fortify.accounts import service as accounts
from fortify.accounts.router import lifecycle_limiters
from fortify.accounts.router import router as accounts_router
from fortify.catalog.router import router as catalog_router
from fortify.catalog.service import load_reference_data
from fortify.core.cache import VersionedCache
from fortify.core.clock import app_clock
from fortify.core.config import Settings, get_settings
from fortify.core.cores import keep_to_one_core
from fortify.core.db import make_engine, session_factory
from fortify.core.errors import (
    APP_SHELL_ROUTE,
    Conflict,
    FortifyError,
    Gone,
    InvalidInput,
    NotFound,
    UnhandledErrorMiddleware,
    error_answer,
    install_error_handlers,
    on_database_error,
    problem,
)
from fortify.core.http import (
    BodyLimitMiddleware,
    ConcurrencyLimitMiddleware,
    DrainBodyMiddleware,
    SecurityHeadersMiddleware,
)
from fortify.core.logging import RequestLogMiddleware, configure_logging
from fortify.core.loop_reader import LoopReader
from fortify.core.mail import make_mailer
from fortify.core.migrations import current_revision, head_revision
from fortify.core.ratelimit import SignInLimiter, storage_for
from fortify.days.router import router as days_router
from fortify.entries.router import router as entries_router
from fortify.portability.gate import HeavyWorkGate
from fortify.portability.router import router as portability_router
from fortify.reminders.router import router as reminders_router
from fortify.reminders.worker import BackgroundWorker, Worker
from fortify.reports.router import router as reports_router
from fortify.sync.router import router as sync_router

log = logging.getLogger("fortify.app")
DOCS_ASSETS = "/api/docs-assets"
API_DESCRIPTION = """
Fortify's JSON API: the same one the app uses. Sign in with `POST /api/v1/sessions` (or create
a personal access token) and send `Authorization: Bearer <token>`. Every error is
`application/problem+json` (RFC 9457) with `errors[]` naming each field and rule.
"""


def operation_id(route: APIRoute) -> str:
    """Every operation's id is its first tag and its function's name (`meals_create`,
    `sessions_sign_in`), as the FastAPI template does, so generated clients read naturally and
    no route writes an id by hand. Route factories name their routes (`add_api_route(name=)`)."""
    return f"{route.tags[0]}_{route.name}" if route.tags else route.name


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    if settings.one_core_per_process:
        # First, so that every thread this process starts keeps to the same core.
        core = keep_to_one_core(settings.data_dir / "cores")
        log.info("app process %d kept to core %s", os.getpid(), core)
    # Reference data shipped with the code (the curated foods) is loaded at startup, not by a
    # migration: cheap when up to date, and a new catalog file needs no new migration.
    load_reference_data(app.state.engine)
    # No push of this process runs yet: a lease left by the process it replaces is let go.
    pushlock.clear_all(app.state.engine)
    # The reminder delivery worker runs on a thread of this process unless it runs elsewhere
    # (`fortify worker` processes, FORTIFY_RUN_WORKER=false); see docs/reminders.md.
    # Everything made so far (modules, the catalog, the search index: ~230k objects) lives as
    # long as the process. Frozen, the collector stops walking it on every full collection,
    # which stalled every request for 140-180 ms every few seconds under load.
    gc.collect()
    gc.freeze()
    background = None
    if app.state.settings.worker_enabled:
        # The app's clock (core/clock.py), read at each round: a test may set it after startup.
        worker = Worker(app.state.session_factory, app.state.settings, now=lambda: app_clock(app)())
        background = BackgroundWorker(worker)
        background.start()
    try:
        yield
    finally:
        if background is not None:
            background.stop()
        if app.state.loop_reader is not None:
            await app.state.loop_reader.close()


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    # A steady pool: room for every request in flight plus the background threads, so no
    # request opens (and closes again) an overflow connection.
    engine = engine or make_engine(settings.database_url, pool_size=settings.max_in_flight + 4)
    # The docs page's scripts come from this server (fastapi-offline vendors Swagger UI), never
    # a CDN: the page runs on the app's origin, where a signed-in person's token lives.
    app = FastAPIOffline(
        title="Fortify",
        version="1.0.0",
        description=API_DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        static_url=DOCS_ASSETS,
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
        lifespan=_lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = session_factory(engine)
    # PostgreSQL's reads for the event loop (the empty pull's sign-in, accounts.deps.as_person):
    # a connection per request in flight is all the loop can use.
    app.state.loop_reader = (
        LoopReader(engine, size=settings.max_in_flight)
        if engine.dialect.name == "postgresql"
        else None
    )
    # One rate-limit storage for every limit (core/ratelimit.py): Redis when configured.
    app.state.rate_limit_storage = storage_for(settings.redis_url, f"{settings.redis_prefix}limits")
    app.state.sign_in_limiter = SignInLimiter(
        settings.sign_in_attempts_per_minute, app.state.rate_limit_storage
    )
    app.state.account_request_limiter, app.state.mail_limiter = lifecycle_limiters(
        settings, app.state.rate_limit_storage
    )
    app.state.mailer = make_mailer(settings.smtp_url, settings.mail_from)
    app.state.heavy_work_gate = HeavyWorkGate(settings.max_running_exports)
    app.state.report_cache = VersionedCache(
        settings.report_cache_entries, settings.redis_url, settings.redis_prefix
    )

    install_error_handlers(app)
    _install_account_gone_handler(app)
    body_limits = {
        "/api/v1/import": settings.max_import_bytes,
        "/api/v1/import/apple-health": settings.max_upload_bytes,
    }
    app.add_middleware(
        BodyLimitMiddleware, max_bytes=settings.max_body_bytes, path_limits=body_limits
    )
    # Inside the headers and the request log (so its 500 has both), outside the body limit
    # (whose own exception must reach it).
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestLogMiddleware)
    app.add_middleware(
        ConcurrencyLimitMiddleware, limit=min(settings.max_in_flight, _pool_capacity(engine))
    )
    # Outside the concurrency limit: draining a body an early answer did not use holds no place.
    app.add_middleware(
        DrainBodyMiddleware, max_bytes=settings.max_body_bytes, path_limits=body_limits
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-None-Match", "If-Match"],
        )

    # Routes are matched in order, one by one: the phones' most frequent requests (pull, push,
    # the day report, food search) come first. No path of these routers matches another's.
    app.include_router(sync_router)
    app.include_router(days_router)
    app.include_router(catalog_router)
    app.include_router(accounts_router)
    app.include_router(entries_router)
    app.include_router(portability_router)
    app.include_router(reports_router)
    app.include_router(reminders_router)
    _add_health(app)
    _mount_frontend(app, settings.frontend_dist)
    return app


def _pool_capacity(engine: Engine) -> int:
    """How many connections the engine's pool can hand out at once (see core/http.py)."""
    pool = engine.pool
    if isinstance(pool, QueuePool):
        return max(1, pool.size() + max(0, pool._max_overflow))
    return 40  # NullPool/StaticPool: no pool to starve; AnyIO's thread count


def _add_health(app: FastAPI) -> None:
    @app.get("/healthz", tags=["ops"], include_in_schema=True)
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        # async: it does no I/O, so it needs no worker thread (and is the load bench ceiling).
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"], responses={503: {"description": "Not ready"}})
    def readyz(request: Request) -> Any:
        """The database answers, takes writes, and its schema is at the newest migration."""
        engine: Engine = request.app.state.engine
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                writable = _accepts_writes(connection)
            current = current_revision(engine)
        except Exception:  # any driver error means "not ready", whatever its class
            return problem(
                503,
                "database_unavailable",
                "Not ready",
                "The database does not answer.",
                headers={"Retry-After": "5"},
                instance=request.url.path,
                subject="database",
            )
        refused_lately = getattr(request.app.state, "unwritable_until", 0.0) > time.monotonic()
        if not writable or refused_lately:
            return problem(
                503,
                "database_read_only",
                "Not ready",
                "The database accepts no writes (read-only or full).",
                headers={"Retry-After": "60"},
                instance=request.url.path,
                subject="database",
            )
        head = head_revision(request.app.state.settings.database_url)
        if current != head:
            return problem(
                503,
                "migrations_pending",
                "Not ready",
                f"The schema is at {current}, the code expects {head}: run `fortify migrate`.",
                headers={"Retry-After": "30"},
                instance=request.url.path,
                subject="database",
            )
        return JSONResponse({"status": "ready", "migration": current})


def _accepts_writes(connection: Connection) -> bool:
    """Whether the database would take a write now: PostgreSQL says so (a standby or
    default_transaction_read_only answer "on"); SQLite is asked for its write lock, which a
    read-only file refuses at once. Nothing is written either way."""
    if connection.dialect.name == "postgresql":
        return connection.execute(text("SHOW transaction_read_only")).scalar() == "off"
    if connection.dialect.name != "sqlite":
        return True
    raw = connection.connection.driver_connection
    assert raw is not None
    connection.commit()  # leave the implicit transaction SQLAlchemy began
    patience = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute("PRAGMA busy_timeout=0")  # a probe does not queue behind a writer
    try:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        # "database is locked": another request is writing; it is busy, not read-only.
        return "readonly" not in str(exc).lower()
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(patience)}")
    return True


def _mount_frontend(app: FastAPI, dist: Path) -> None:
    index = dist / "index.html"
    if not index.exists():
        return
    assets = dist / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")

    @app.get("/{path:path}", include_in_schema=False, name=APP_SHELL_ROUTE)
    def spa(path: str) -> Any:
        # API paths never fall through to the app shell: an unknown one is a plain 404.
        if path.startswith("api/"):
            return problem(
                404,
                "not_found",
                "Not Found",
                "No such API route.",
                instance="/" + path,
                subject="path",
            )
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate)
        return FileResponse(index)


def _install_account_gone_handler(app: FastAPI) -> None:
    """Any answer for a person whose account was deleted after the request signed in is the
    401 `account_deleted` that the next request gets anyway: one answer, whichever instant the
    deletion met the request (a phone retrying its outbox learns to clear its data).

    The services say so where they touch her row (`accounts.take_versions`, `lock_changes`,
    `confirm_account`: an outside probe, F8, found those as 500s). Two nets here meet the rest,
    each checking that the account is really gone (a read on a connection of its own):

    - a write that failed on a row that vanished: one that inserts a row of hers without taking
      a change number (an access token: a foreign key refused) or updates her row (a password
      change: no row matched). Any other such failure keeps its answer (a 500 is a bug; a busy
      database a 503). The request's transaction has rolled back, so nothing of it was written.
    - a refusal that blames the request (404 a record not found, 409, 410, 422 a food or record
      it names not found) because what it names went with her account: a reminder, a conflict,
      her own food, a cursor. An import whose account went between two batches was a 410.
    """

    engine: Engine = app.state.engine

    async def gone(request: Request) -> bool:
        user_id = getattr(request.state, "user_id", None)
        return user_id is not None and not await run_in_threadpool(
            accounts.account_exists, engine, uuid.UUID(user_id)
        )

    async def on_vanished_row(request: Request, exc: Exception) -> JSONResponse:
        if await gone(request):
            return error_answer(request, accounts.account_gone())
        if isinstance(exc, DBAPIError):
            return await on_database_error(request, exc)
        raise exc

    async def on_refusal(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, FortifyError)
        return error_answer(request, accounts.account_gone() if await gone(request) else exc)

    for kind in (IntegrityError, NoResultFound, ObjectDeletedError, StaleDataError):
        app.add_exception_handler(kind, on_vanished_row)
    for refusal in (NotFound, Conflict, Gone, InvalidInput):
        app.add_exception_handler(refusal, on_refusal)
