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
import uuid
from typing import Any

import httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from fortify.entries.models import Meal
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

    # A push is short (its new meals go in with one INSERT), and a busy machine can deliver
    # the kill late: then the batch had committed and only its answer was lost, which the
    # retry shows as `duplicate`s. That is correct but not this test's case, so try again
    # (a new person), killing sooner, until the kill lands inside the transaction.
    for delay in (duration / 4, duration / 16, 0.0, 0.0, 0.0):
        token, user_id = live_server.sign_up()
        body = _batch()
        if _kill_during_push(live_server, database_url, token, body, delay, user_id):
            break
        live_server.start()
        retried = _push(live_server, token, body).json()["results"]
        assert {r["status"] for r in retried} == {"duplicate"}  # all committed, or nothing
        assert _names(_pulled(live_server, token)) == _intended(body)
    else:
        raise AssertionError("the kill never landed inside the push's transaction")

    live_server.start()
    response = _push(live_server, token, body)  # the client's retry: the same op_ids
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    # The killed transaction left nothing behind, so every operation applies now, once.
    assert [r["status"] for r in results] == ["applied"] * CHANGES
    # Change number 1 is the profile, written when the account was made.
    assert sorted(r["version"] for r in results) == list(range(2, CHANGES + 2))
    replay = _push(live_server, token, body).json()["results"]
    assert {r["status"] for r in replay} == {"duplicate"}
    changes = [c for c in _pulled(live_server, token) if c["entity"] == "meals"]
    assert _names(changes) == _intended(body)
    assert len(changes) == CHANGES  # each once


def _kill_during_push(
    server: LiveServer,
    database_url: str,
    token: str,
    body: dict[str, Any],
    delay: float,
    user_id: str,
) -> bool:
    """Send the push, SIGKILL the server `delay` seconds after its write transaction opened;
    whether the push was still uncommitted then (False: it had committed already)."""
    outcome: dict[str, Any] = {}

    def send() -> None:
        try:
            outcome["response"] = _push(server, token, body)
        except httpx.TransportError as exc:
            outcome["error"] = exc

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 30
    while not _writing(database_url):
        assert time.monotonic() < deadline, "the push never started writing"
        time.sleep(0.002)
    time.sleep(delay)  # inside the batch, before its commit (usually)
    server.kill()
    sender.join()
    if "error" not in outcome:
        return False  # the answer even arrived
    return _count_meals(database_url, user_id) == 0


def _count_meals(database_url: str, user_id: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            stmt = select(func.count()).where(Meal.user_id == uuid.UUID(user_id))
            return int(connection.scalar(stmt) or 0)
    finally:
        engine.dispose()


def _intended(body: dict[str, Any]) -> dict[str, str]:
    return {op["id"]: op["fields"]["name"] for op in body["operations"]}


def _names(changes: list[dict[str, Any]]) -> dict[str, str]:
    # Meals only: the profile made with the account is in the feed too.
    return {c["id"]: c["fields"]["name"] for c in changes if c["entity"] == "meals"}


def _pulled(server: LiveServer, token: str) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    cursor = None
    with httpx.Client(base_url=server.url, timeout=60) as http:
        while True:
            params: dict[str, Any] = {"limit": 1000} | ({"cursor": cursor} if cursor else {})
            page = http.get(
                "/api/v1/sync/pull", params=params, headers={"Authorization": f"Bearer {token}"}
            ).json()
            changes += page["changes"]
            cursor = page["cursor"]
            if not page["has_more"]:
                break
    return changes
