"""A server killed (SIGKILL) in the middle of a 500-change push loses nothing and doubles nothing.

The server runs as a real uvicorn process. The test sends a push of 500 new meals, waits until
the server's write transaction is open (PostgreSQL: its backend holds a transaction id; SQLite:
the database's write lock is taken), lets it run a little further, and kills the process. The
client never got an answer, so it retries the same batch (same op_ids) on the restarted server
and must find exactly the 500 meals, each once, with contiguous change numbers.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.factories import meal
from tests.sync.conftest import LiveServer
from tests.sync.helpers import upsert

CHANGES = 500


def _batch() -> dict[str, Any]:
    items = [
        {"food_name": f"item {i}", "grams": 100, "nutrients": {"calcium_mg": 50}} for i in range(6)
    ]
    ops = [upsert("meals", meal(name=f"meal {i}", items=items)) for i in range(CHANGES)]
    return {"device_id": "phone", "operations": ops}


def _writing(database_url: str) -> bool:
    """Whether some other connection holds an open write transaction right now."""
    if database_url.startswith("sqlite"):
        probe = sqlite3.connect(make_url(database_url).database or "", timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:  # "database is locked": the server is writing
            return True
        finally:
            probe.close()
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            count = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
                )
            )
        return bool(count)
    finally:
        engine.dispose()


def _push(server: LiveServer, token: str, body: dict[str, Any]) -> httpx.Response:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        return http.post(
            "/api/v1/sync/push", json=body, headers={"Authorization": f"Bearer {token}"}
        )


def test_a_push_killed_midway_is_retried_to_exactly_the_intended_state(
    live_server: LiveServer, database_url: str
) -> None:
    # How long does a push of this size take here? (another person, so the state stays clean)
    warm_token, _ = live_server.sign_up()
    started = time.perf_counter()
    assert _push(live_server, warm_token, _batch()).status_code == 200
    duration = time.perf_counter() - started

    token, _ = live_server.sign_up()
    body = _batch()
    outcome: dict[str, Any] = {}

    def send() -> None:
        try:
            outcome["response"] = _push(live_server, token, body)
        except httpx.TransportError as exc:
            outcome["error"] = exc

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 30
    while not _writing(database_url):
        assert time.monotonic() < deadline, "the push never started writing"
        time.sleep(0.002)
    time.sleep(duration / 4)  # well inside the batch, well before its commit
    live_server.kill()
    sender.join()
    assert "error" in outcome, "the push finished before the kill; the test proves nothing"

    live_server.start()
    response = _push(live_server, token, body)  # the client's retry: the same op_ids
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    # The killed transaction left nothing behind, so every operation applies now, once.
    assert [r["status"] for r in results] == ["applied"] * CHANGES
    assert sorted(r["version"] for r in results) == list(range(1, CHANGES + 1))
    replay = _push(live_server, token, body).json()["results"]
    assert {r["status"] for r in replay} == {"duplicate"}

    changes: list[dict[str, Any]] = []
    cursor = None
    with httpx.Client(base_url=live_server.url, timeout=60) as http:
        while True:
            params: dict[str, Any] = {"limit": 1000} | ({"cursor": cursor} if cursor else {})
            page = http.get(
                "/api/v1/sync/pull", params=params, headers={"Authorization": f"Bearer {token}"}
            ).json()
            changes += page["changes"]
            cursor = page["cursor"]
            if not page["has_more"]:
                break
    intended = {op["id"]: op["fields"]["name"] for op in body["operations"]}
    assert {c["id"]: c["fields"]["name"] for c in changes} == intended
    assert len(changes) == CHANGES
