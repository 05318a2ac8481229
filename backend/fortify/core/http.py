"""HTTP hardening as pure ASGI middleware: security headers and a request body limit.

The CSP allows no inline script and no third-party origin: the PWA ships every script as a
file from this origin. HSTS is only sent over HTTPS (behind a proxy, uvicorn's proxy headers
make the scheme right), since sending it on plain HTTP is meaningless and confusing in
development.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fortify.core.errors import problem_body

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The interactive API docs page: Swagger UI's files come from this server (main.py); its page
# starts them with one inline script, so only that page allows inline script. No other origin.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'"
)
BASE_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
CACHE_CONTROL = "no-store"


def _headers(docs: bool, https: bool, api: bool) -> list[tuple[bytes, bytes]]:
    csp = DOCS_CSP if docs else CSP
    extra = [*BASE_HEADERS, (b"content-security-policy", csp.encode())]
    if https:
        extra.append(HSTS)
    if api:
        extra.append((b"cache-control", CACHE_CONTROL.encode()))
    return extra


# Built once, not on every request: (the docs page, over HTTPS, an API path) → the headers.
_HEADERS = {
    (docs, https, api): _headers(docs, https, api)
    for docs in (False, True)
    for https in (False, True)
    for api in (False, True)
}
_FORCED = frozenset({b"cache-control"})
_NOTHING_FORCED: frozenset[bytes] = frozenset()


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        https = scope.get("scheme") == "https"
        api = path.startswith("/api/")
        extra = _HEADERS[(path == "/api/docs", https, api)]
        # Every API answer is health data or about the person: no cache, private or shared, may
        # keep it (a shared computer's browser cache outlives a sign-out). Forced here, over
        # whatever a route set, so a new route cannot forget it. ETags still work: a client
        # that keeps its own copy (the PWA, in IndexedDB) sends If-None-Match itself.
        forced = _FORCED if api else _NOTHING_FORCED

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in forced]
                present = {name.lower() for name, _ in headers}
                message["headers"] = [*headers, *[(k, v) for k, v in extra if k not in present]]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _RouteBodyLimits:
    """A body limit per route: `max_bytes`, or the routes' own in `path_limits` (exact paths:
    the imports)."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, path_limits: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.path_limits = {path.rstrip("/"): limit for path, limit in (path_limits or {}).items()}

    def limit_for(self, scope: Scope) -> int:
        return self.path_limits.get(scope["path"].rstrip("/"), self.max_bytes)


class BodyLimitMiddleware(_RouteBodyLimits):
    """Refuse bodies over `max_bytes` (413) before they are read into memory: at once when
    Content-Length says so, else as soon as the streamed bytes pass it. The routes in
    `path_limits` (exact paths: the imports) have their own limits."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit, scope["path"])
            return
        received = 0
        too_large = False
        replaced = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # The app may turn our exception into its own error answer (FastAPI answers 400 when
            # reading the body fails); the limit's own 413 replaces it.
            nonlocal replaced
            if too_large:
                if not replaced:
                    replaced = True
                    await _too_large(send, limit, scope["path"])
                return
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLarge:
            if not replaced:
                await _too_large(send, limit, scope["path"])


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int, path: str) -> None:
    body = json.dumps(
        problem_body(
            413,
            "body_too_large",
            "Request body too large",
            f"The body is larger than {limit} bytes.",
            instance=path,
            errors=[{"field": "body", "rule": "max_bytes", "detail": f"at most {limit} bytes"}],
        )
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class ConcurrencyLimitMiddleware:
    """At most `limit` API requests inside the app at once; the rest wait here, off the threads.

    Sync routes and dependencies run on AnyIO's 40 threads, and a request holds its database
    connection from its first query until its commit, hopping between threads. With more requests
    in flight than the pool has connections, every thread can end up blocked waiting for a
    connection while the requests holding connections wait for a thread: nothing moves until the
    pool's 30 s timeout (found by bench/load.py: 200 phones gave p50 30 s on both databases).
    Waiting here costs no thread and no connection, so the limit is at most the pool's capacity.

    It is also what the cores can run: a request is mostly Python, which holds the GIL, so a
    process working on 32 requests at once finishes each later and does less in total (thread
    switches, cold caches) than one working on two or three (measured: a limit of 2 gave +78 %
    on the SQLite day report). `FORTIFY_MAX_IN_FLIGHT` sets it (docs/scaling.md).
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # created on the server's event loop
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)


#: How long an early answer waits for the rest of a body it will not use (`DrainBodyMiddleware`).
DRAIN_SECONDS = 30.0


class DrainBodyMiddleware(_RouteBodyLimits):
    """An answer given before the request's body was read (a 429 while her import runs, a 503,
    a 401, a 413) is sent, and then the rest of the body is read and discarded before the answer
    ends, up to the route's body limit.

    The server closing a connection with unread bytes in it makes the kernel send a reset, which
    also throws away the answer waiting in the client's buffer: a client that sends its whole
    body before reading (Python's urllib, most scripts) saw ConnectionResetError or BrokenPipe
    instead of the 429 and its Retry-After, and retried at once (an outside probe, F5).

    Discarding holds one received chunk at a time (uvicorn pauses reading while a chunk is not
    taken), so memory does not grow with the body. It happens outside the concurrency limit
    (the app has returned; only the answer's last, empty message waits), so a slow sender holds
    a connection, not a place. A 413 also says `Connection: close`; a body is read only up to twice
    the route's limit (one declared larger is not read at all: it is cut off, as it must be);
    a client that asked `Expect: 100-continue` and sent nothing has nothing to drain.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length", b"")
        expects_continue = headers.get(b"expect", b"").lower() == b"100-continue"
        received = 0
        done = not declared.isdigit() or int(declared) == 0
        done = done and b"chunked" not in headers.get(b"transfer-encoding", b"").lower()
        held: Message | None = None

        async def tracking_receive() -> Message:
            nonlocal received, done
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                done = done or not message.get("more_body", False)
            else:
                done = True
            return message

        async def holding_send(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                if message["status"] == 413 and not done:
                    message = {
                        **message,
                        "headers": [*message["headers"], (b"connection", b"close")],
                    }
            elif (
                message["type"] == "http.response.body"
                and not message.get("more_body", False)
                and not done
            ):
                if message.get("body"):
                    await send({**message, "more_body": True})
                held = {"type": "http.response.body", "body": b"", "more_body": False}
                return
            await send(message)

        await self.app(scope, tracking_receive, holding_send)
        if held is None:
            return
        # At most the route's limit is read past what an accepted body may hold: a body up to
        # twice the limit is read to its end and its sender sees the answer; beyond, it is cut.
        budget = 2 * limit - received
        rest = int(declared) - received if declared.isdigit() else budget
        if rest <= budget and not (expects_continue and received == 0):
            await _discard(receive, budget)
        await send(held)


async def _discard(receive: Receive, budget: int) -> None:
    """Read and drop what the client still sends: at most `budget` bytes, `DRAIN_SECONDS`."""
    try:
        async with asyncio.timeout(DRAIN_SECONDS):
            while budget >= 0:
                message = await receive()
                if message["type"] != "http.request":
                    return
                budget -= len(message.get("body", b""))
                if not message.get("more_body", False):
                    return
    except TimeoutError:
        return
