"""One error family and one place that writes RFC 9457 problem details.

Services raise `FortifyError` subclasses (never `HTTPException`), so the same rule reads the same
whether it is hit from the REST API, a sync batch or the command line. Every problem names the
field and the rule in `errors[]`, so a client can put the message next to the right input.

One shape for every answer, whoever writes it (a service's error, the framework's 404 and 405,
a limiter's 429, the body limit's 413, a 503, the last line of defence's 500): `type`, `title`,
`status`, `detail`, `code`, `instance` (the request's path) and a non-empty `errors[]`. A problem
about the request as a whole (an unknown route, too many attempts) names what it is about in
`errors[0].field` (`path`, `method`, `request`) with its rule, so a client reads every problem
the same way (tests/core/test_ops.py, TestErrors, checks each status).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
import traceback
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://fortify.invalid/problems/"


class FortifyError(Exception):
    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"
    #: What `errors[0].field` names when the error is about the request, not one input.
    subject: str = "request"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        rule: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.rule = rule
        self.headers = headers or {}

    def errors(self) -> list[dict[str, Any]]:
        """Never empty: an error with no field names its subject (`request`, `path`…)."""
        field = self.field if self.field is not None else self.subject
        return [{"field": field, "rule": self.rule or self.code, "detail": self.detail}]


class NotFound(FortifyError):
    status, code, title = 404, "not_found", "Not found"
    subject = "path"


class Unauthorized(FortifyError):
    status, code, title = 401, "unauthorized", "Not signed in"
    subject = "authorization"


class Forbidden(FortifyError):
    status, code, title = 403, "forbidden", "Not allowed"


class Conflict(FortifyError):
    status, code, title = 409, "conflict", "Conflict"


class InvalidInput(FortifyError):
    status, code, title = 422, "validation_failed", "The request is not valid"


class PayloadTooLarge(FortifyError):
    status, code, title = 413, "payload_too_large", "Too large"


class TooManyRequests(FortifyError):
    status, code, title = 429, "rate_limited", "Too many attempts"


class Gone(FortifyError):
    status, code, title = 410, "gone", "Gone"


class ServiceUnavailable(FortifyError):
    status, code, title = 503, "unavailable", "Try again shortly"


def problem_body(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    instance: str,
    errors: Sequence[dict[str, Any]] = (),
    subject: str = "request",
) -> dict[str, Any]:
    """The one shape of every problem. Without `errors`, the problem is about `subject` (the
    request, its path, its method) and its rule is the code."""
    return {
        "type": PROBLEM_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": instance,
        "errors": list(errors) or [{"field": subject, "rule": code, "detail": detail}],
    }


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: Sequence[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
    *,
    instance: str,
    subject: str = "request",
) -> JSONResponse:
    body = problem_body(
        status, code, title, detail, instance=instance, errors=errors, subject=subject
    )
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_path(loc: Sequence[int | str]) -> str:
    """`("body", "items", 0, "grams")` → `items[0].grams`; query/path params keep their name."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "body"


def validation_errors(raw: Sequence[Any]) -> list[dict[str, Any]]:
    errors = []
    for err in raw:
        detail = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        loc = list(err.get("loc", ()))
        # A rule across fields (a model validator) names its field as "field: message".
        named = _NAMED_FIELD.match(detail)
        if named:
            loc.append(named.group(1))
            detail = named.group(2)
        errors.append(
            {"field": field_path(loc), "rule": err.get("type", "invalid"), "detail": detail}
        )
    return errors


_NAMED_FIELD = re.compile(r"^([a-z_][a-z0-9_]*): (.+)$", re.DOTALL)


def error_answer(request: Request, exc: FortifyError) -> JSONResponse:
    """The problem+json of one of our errors, for this request."""
    return problem(
        exc.status,
        exc.code,
        exc.title,
        exc.detail,
        exc.errors(),
        exc.headers,
        instance=request.url.path,
    )


def install_error_handlers(app: FastAPI) -> None:
    async def on_fortify_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, FortifyError)
        return error_answer(request, exc)

    async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = validation_errors(exc.errors())
        first = errors[0] if errors else {"field": "body", "detail": "invalid"}
        detail = f"{first['field']}: {first['detail']}"
        if len(errors) > 1:
            detail += f" (and {len(errors) - 1} more)"
        return problem(
            422,
            "validation_failed",
            "The request is not valid",
            detail,
            errors,
            instance=request.url.path,
        )

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:
            # Services never raise HTTPException, so a 400 here is the framework refusing a body
            # it cannot parse: bytes that are not UTF-8 JSON (FastAPI) or broken multipart data
            # (Starlette). The same body with a JSON syntax error is a 422: one answer, the one
            # the API declares, naming the body and the rule.
            if request.headers.get("content-type", "").lower().startswith("multipart/"):
                rule, said = "multipart_invalid", "not valid multipart form data"
            else:
                rule, said = "json_invalid", "not valid JSON"
            return problem(
                422,
                "validation_failed",
                "The request is not valid",
                f"body: the body is {said}.",
                [{"field": "body", "rule": rule, "detail": said}],
                instance=request.url.path,
            )
        status_code = exc.status_code
        route = request.scope.get("route")
        if status_code == 405 and getattr(route, "name", None) == APP_SHELL_ROUTE:
            # Only the app shell's GET-only catch-all matched the path: there is no such route
            # for any method, so the honest answer is 404, not "wrong method".
            status_code = 404
            exc = StarletteHTTPException(404, "Not Found")
        code, subject, detail = _FRAMEWORK_ERRORS.get(
            status_code, ("http_error", "request", str(exc.detail))
        )
        return problem(
            status_code,
            code,
            str(exc.detail),
            detail,
            headers=dict(exc.headers or {}),
            instance=request.url.path,
            subject=subject,
        )

    app.add_exception_handler(FortifyError, on_fortify_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(DBAPIError, on_database_error)
    app.add_exception_handler(PoolTimeout, on_pool_timeout)


# The name of the PWA shell's catch-all route (fortify.main): a path only it matches is unknown.
APP_SHELL_ROUTE = "app_shell"

# The framework's own refusals (no route, a method the route lacks): their code, what they are
# about, and what to say.
_FRAMEWORK_ERRORS: dict[int, tuple[str, str, str]] = {
    404: ("not_found", "path", "No such API route."),
    405: ("method_not_allowed", "method", "This route does not take this method."),
    401: ("unauthorized", "authorization", "Sign in first."),
}


# SQLite reports a busy or full database as an OperationalError, but so are "no such table" and
# SQL syntax errors, which are bugs: only these messages mean "try again shortly".
_SQLITE_UNAVAILABLE = (
    "database is locked",
    "database table is locked",
    "database or disk is full",
    "readonly database",  # the file or its folder became read-only (a full or remounted disk)
)
# PostgreSQL refusing writes (a standby, default_transaction_read_only, a full disk): the
# database is there but cannot take this request now.
_PG_UNWRITABLE = {"25006", "53100"}  # read_only_sql_transaction, disk_full
# How long a refused write keeps /readyz "not ready" (the balancer stops sending traffic).
UNWRITABLE_SECONDS = 60.0
_log = logging.getLogger("fortify.errors")


def database_unavailable(exc: DBAPIError) -> bool:
    """The database cannot answer now (busy, full, connection lost), as opposed to a bug.

    The error that reaches a handler can be a consequence of the one that matters: SQLite
    rolls the whole transaction back when the disk is full, so rolling back to a savepoint
    then fails with "no such savepoint", whose context is the full disk. So the chain of
    causes is searched too.
    """
    return unavailable_cause(exc) is not None


def unavailable_cause(exc: BaseException) -> DBAPIError | None:
    """The error in `exc`'s chain that says the database cannot answer, if any."""
    cause: BaseException | None = exc
    for _ in range(8):  # a chain is short; the bound guards against a cycle
        if cause is None:
            return None
        if isinstance(cause, DBAPIError) and _unavailable(cause):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None


def _unavailable(exc: DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    if getattr(exc.orig, "sqlstate", None) in _PG_UNWRITABLE:
        return True
    if not isinstance(exc, OperationalError):
        return False
    if isinstance(exc.orig, sqlite3.Error):
        message = str(exc.orig).lower()
        return any(known in message for known in _SQLITE_UNAVAILABLE)
    # psycopg: OperationalError is the server or the connection failing (lost connection,
    # shutdown, serialization failure, deadlock); programming errors have their own classes.
    return True


def _is_nul_in_text(exc: DBAPIError) -> bool:
    return isinstance(exc, DataError) and "NUL (0x00)" in str(exc.orig)


async def on_pool_timeout(request: Request, exc: Exception) -> JSONResponse:
    """Every pooled connection stayed busy past the pool's timeout: overload, so 503, not 500.

    Found by the load bench (200 phones on SQLite): requests queued for a connection for 30 s
    and then failed with a traceback.
    """
    _log.warning("database pool exhausted", extra={"fields": {"path": request.url.path}})
    return problem(
        503,
        "database_unavailable",
        "Try again shortly",
        "The server is busy; nothing was saved. Try again shortly.",
        headers={"Retry-After": "5"},
        instance=request.url.path,
    )


async def on_database_error(request: Request, exc: Exception) -> JSONResponse:
    """A database that cannot answer is a 503 with Retry-After, not a 500.

    By the time this runs the request's session has rolled back (`core.deps`), so nothing of the
    request was written. Anything else is re-raised: a bug stays a 500 with its traceback.
    """
    assert isinstance(exc, DBAPIError)
    if _is_nul_in_text(exc):
        # PostgreSQL text cannot hold U+0000 (found by fuzzing sync push: it was a 500).
        # StrictModel refuses it in every body first; this stays as the net for any text
        # that reaches the database another way. The request rolled back.
        return problem(
            422,
            "validation_failed",
            "The request is not valid",
            "body: text may not contain the NUL character (U+0000).",
            [{"field": "body", "rule": "no_nul", "detail": "contains U+0000"}],
            instance=request.url.path,
        )
    cause = unavailable_cause(exc)
    if cause is None:
        raise exc
    message = str(cause.orig).lower()
    full = "full" in message or getattr(cause.orig, "sqlstate", None) == "53100"
    unwritable = full or "read-only" in message or "readonly" in message
    if unwritable:
        # /readyz answers "not ready" for a while, so a balancer stops sending writes here.
        request.app.state.unwritable_until = time.monotonic() + UNWRITABLE_SECONDS
    # The driver's class only: the SQLAlchemy message would carry the statement's parameters.
    _log.warning(
        "database unavailable",
        extra={"fields": {"error": type(cause.orig).__name__, "path": request.url.path}},
    )
    return problem(
        503,
        "database_unavailable",
        "Try again shortly",
        "The database is full; an operator has been told."
        if full
        else "The database accepts no changes right now; nothing was saved. Try again later."
        if unwritable
        else "The database is busy or unreachable; nothing was saved. Try again shortly.",
        headers={"Retry-After": "60" if unwritable else "5"},
        instance=request.url.path,
    )


class UnhandledErrorMiddleware:
    """The last line of defence: an exception no handler took becomes a problem+json 500.

    Without it Starlette's outermost handler answers `text/plain` from outside every other
    middleware (no security headers, no request id) and re-raises, and the server then resets
    the connection. This sits inside the security-header and request-log middleware, so the
    500 carries both, and the request id is in the body for a bug report. A 500 is always a
    bug: the log line says where (the traceback's frames and the exception's class), never
    the exception's message, which can quote SQL parameters or the request's values (a
    driver's "DETAIL: … line 1: {...}"); the engine hides parameters too (`core.db`).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:  # too late for another answer; the server closes the connection
                raise
            request_id = (scope.get("state") or {}).get("request_id")
            _log.error(
                "unhandled error",
                extra={
                    "fields": {
                        "error": type(exc).__name__,
                        "path": _route_path(scope),
                        "request_id": request_id,
                        "where": "".join(traceback.format_tb(exc.__traceback__)),
                    }
                },
            )
            response = problem(
                500,
                "internal_error",
                "Something went wrong on our side",
                "The server failed to answer; nothing was saved. Please report it with "
                f"request id {request_id}.",
                instance=str(scope.get("path", "")),
            )
            await response(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The route's template (`/api/v1/meals/{entry_id}`), never the concrete path or query."""
    route = scope.get("route")
    return str(getattr(route, "path", "unmatched"))


# OpenAPI description of an error body, shared by every route's `responses=`.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "rule": {"type": "string"},
                    "detail": {"type": "string"},
                },
            },
        },
    },
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "description": "Problem details (RFC 9457)",
            "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}},
        }
        for status in statuses
    }
