"""An answer given before the body was read reaches a client still sending it (F5).

Python's urllib sends the whole body before it reads a byte of the answer. When the server
answered early (a 401, a 429 while an import runs, a 413) and closed the connection with the
body unread, the kernel reset it, and the client saw ConnectionResetError or BrokenPipe instead
of the problem+json. Against a real uvicorn process (`shared_live_server`), as only a real socket
shows it; `core.http.DrainBodyMiddleware` reads and discards the rest.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from typing import Any

from fastapi.testclient import TestClient

from tests.factories import sign_up
from tests.sync.conftest import (  # noqa: F401 (the fixtures)
    LiveServer,
    module_live_server,
    shared_live_server,
)

MIB = 1 << 20


def _post(server: LiveServer, path: str, body: bytes) -> urllib.error.HTTPError:
    request = urllib.request.Request(
        server.url + path,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": "Bearer ftp_not-a-token"},
    )
    try:
        urllib.request.urlopen(request, timeout=60)
    except urllib.error.HTTPError as answer:
        return answer
    raise AssertionError("the request was accepted")


def test_an_early_refusal_of_a_large_import_is_read_by_a_client_still_sending(
    shared_live_server: LiveServer,  # noqa: F811
) -> None:
    # 24 MiB, within the import's 64 MiB: refused (401) before a byte of it is read
    for _ in range(3):
        answer = _post(shared_live_server, "/api/v1/import", b" " * (24 * MIB))
        assert answer.code == 401
        assert answer.headers["content-type"] == "application/problem+json"
        assert json.loads(answer.read())["errors"][0]["field"] == "authorization"


def test_a_413_a_little_over_the_limit_is_read_too(
    shared_live_server: LiveServer,  # noqa: F811
) -> None:
    answer = _post(shared_live_server, "/api/v1/meals", b" " * (6 * MIB))  # the JSON limit is 4 MiB
    assert answer.code == 413
    assert json.loads(answer.read())["errors"][0]["rule"] == "max_bytes"


def test_an_import_whose_client_drops_mid_body_is_the_clients_doing_not_a_500(
    client: TestClient,
) -> None:
    """Outside probe N4: a JSON import whose client went away mid-upload was logged as an
    ERROR with a 500. Driven at the ASGI level: the body's second message is a disconnect."""
    person = sign_up(client)
    messages: list[dict[str, Any]] = [
        {"type": "http.request", "body": b'{"format":"fortify-export",', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/import",
        "raw_path": b"/api/v1/import",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"content-length", b"1000000"),
            (b"authorization", person.headers["Authorization"].encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(client.app(scope, receive, send))  # type: ignore[arg-type]
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 422, sent
    body = json.loads(
        b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    )
    assert body["errors"][0]["rule"] == "complete_body"
