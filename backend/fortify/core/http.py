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
# The interactive API docs page loads Swagger UI from a CDN; it gets its own, looser policy.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: "
    "https://fastapi.tiangolo.com; frame-ancestors 'none'"
)
BASE_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def _headers(docs: bool, https: bool, api: bool) -> list[tuple[bytes, bytes]]:
    csp = DOCS_CSP if docs else CSP
    extra = [*BASE_HEADERS, (b"content-security-policy", csp.encode())]
    if https:
        extra.append(HSTS)
    if api:
        extra.append((b"cache-control", b"no-store"))
    return extra


# Built once, not on every request: (the docs page, over HTTPS, an API path) → the headers.
_HEADERS = {
    (docs, https, api): _headers(docs, https, api)
    for docs in (False, True)
    for https in (False, True)
    for api in (False, True)
}


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        https = scope.get("scheme") == "https"
        # Health data must not linger in shared caches.
        extra = _HEADERS[(path == "/api/docs", https, path.startswith("/api/"))]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *[(k, v) for k, v in extra if k not in present],
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuse bodies over `max_bytes` (413) before they are read into memory; upload routes
    listed in `large_paths` get `max_upload_bytes`."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        max_upload_bytes: int,
        large_paths: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes
        self.large_paths = large_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = (
            self.max_upload_bytes
            if scope["path"].startswith(self.large_paths) and self.large_paths
            else self.max_bytes
        )
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
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
                    await _too_large(send, limit)
                return
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLarge:
            if not replaced:
                await _too_large(send, limit)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps(
        {
            "type": "https://fortify.invalid/problems/body_too_large",
            "title": "Request body too large",
            "status": 413,
            "detail": f"The body is larger than {limit} bytes.",
            "code": "body_too_large",
            "errors": [{"field": "body", "rule": "max_bytes", "detail": f"at most {limit} bytes"}],
        }
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
