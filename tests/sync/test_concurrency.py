"""Concurrent writers never make a puller skip a change (PostgreSQL: real concurrent commits).

8 threads write one person's records (sync pushes and REST creates, each thread with its own
HTTP client) while 4 threads pull in a loop with small pages, against a real uvicorn process.
Her pushes run one at a time (a push meeting another gets 429 and is sent again); her REST
writes interleave with them and with each other.
When the writers are done, each puller pulls to the end once more; each must then have seen
every committed change exactly once, in increasing version order. A global sequence or an
`updated_at` cursor fails this: a change that commits after a larger one was read is skipped.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import httpx
import pytest

from tests.conftest import BACKEND
from tests.factories import meal, symptom
from tests.sync.conftest import LiveServer
from tests.sync.helpers import after_sign_up, upsert

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        BACKEND != "postgresql",
        reason="PostgreSQL only: SQLite has one writer at a time, so commits cannot interleave",
    ),
]

WRITERS, PULLERS, ROUNDS, BATCH = 8, 4, 12, 8


def test_every_puller_sees_every_committed_change_exactly_once(live_server: LiveServer) -> None:
    token, _ = live_server.sign_up()
    headers = {"Authorization": f"Bearer {token}"}
    written: list[set[str]] = [set() for _ in range(WRITERS)]
    seen: list[list[tuple[str, int]]] = [[] for _ in range(PULLERS)]
    errors: list[BaseException] = []
    writers_done = threading.Event()

    def write(n: int) -> None:
        with httpx.Client(base_url=live_server.url, headers=headers, timeout=60) as http:
            for round_ in range(ROUNDS):
                if round_ % 4 == 3:  # REST writes are in the same feed
                    entry_id = str(uuid.uuid4())
                    response = http.post("/api/v1/symptoms", json=symptom() | {"id": entry_id})
                    assert response.status_code == 201, response.text
                    written[n].add(entry_id)
                    continue
                ops = [upsert("meals", meal(name=f"w{n}-{round_}-{i}")) for i in range(BATCH)]
                body = {"device_id": f"writer-{n}", "operations": ops}
                response = http.post("/api/v1/sync/push", json=body)
                while response.status_code == 429:  # her other push runs: sent again, as the
                    time.sleep(0.01)  # app does (after Retry-After; here at once, to overlap)
                    response = http.post("/api/v1/sync/push", json=body)
                assert response.status_code == 200, response.text
                results = response.json()["results"]
                assert {r["status"] for r in results} == {"applied"}
                written[n].update(op["id"] for op in ops)

    def pull(n: int) -> None:
        cursor: str | None = None
        with httpx.Client(base_url=live_server.url, headers=headers, timeout=60) as http:
            while True:
                last_round = writers_done.is_set()
                while True:
                    params: dict[str, Any] = {"limit": 7} | ({"cursor": cursor} if cursor else {})
                    response = http.get("/api/v1/sync/pull", params=params)
                    assert response.status_code == 200, response.text
                    page = response.json()
                    # Without the profile a new account's first pull carries (change 1).
                    changes = after_sign_up(page["changes"])
                    seen[n] += [(c["id"], c["version"]) for c in changes]
                    cursor = page["cursor"]
                    if not page["has_more"]:
                        break
                if last_round:
                    return

    def guarded(target: Any, n: int) -> None:
        try:
            target(n)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    writers = [threading.Thread(target=guarded, args=(write, n)) for n in range(WRITERS)]
    pullers = [threading.Thread(target=guarded, args=(pull, n)) for n in range(PULLERS)]
    for thread in pullers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    writers_done.set()
    for thread in pullers:
        thread.join()
    assert errors == []

    everything = set().union(*written)
    assert len(everything) == WRITERS * (ROUNDS // 4 * 3 * BATCH + ROUNDS // 4)
    for n in range(PULLERS):
        ids = [entry_id for entry_id, _ in seen[n]]
        versions = [version for _, version in seen[n]]
        assert len(ids) == len(set(ids)), f"puller {n} saw a change twice"
        assert set(ids) == everything, f"puller {n} missed {len(everything - set(ids))} changes"
        assert versions == sorted(versions)
