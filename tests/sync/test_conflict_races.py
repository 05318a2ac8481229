"""A conflict restored or dismissed by several requests at once is resolved once, as it is
one request after another: one 200, the others the 409 a retry after it gets.

An outside probe (F6) sent ten restores of one conflict at once: three or four answered 200,
each writing the losing value back as one more change (one more version of the record for
every device to pull). Real concurrency: threads released together by a barrier, each with its
own HTTP connection, against a real uvicorn process, several rounds.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any

import httpx

from tests.factories import meal
from tests.races import statuses, together
from tests.sync.conftest import (  # noqa: F401 (the fixtures)
    LiveServer,
    module_live_server,
    shared_live_server,
)
from tests.sync.helpers import upsert

ROUNDS = 3
AT_ONCE = 8


def _push(http: httpx.Client, op: dict[str, Any], device: str) -> dict[str, Any]:
    answer = http.post("/api/v1/sync/push", json={"device_id": device, "operations": [op]})
    assert answer.status_code == 200, answer.text
    [result] = answer.json()["results"]
    assert result["status"] == "applied", result
    return dict(result)


def _conflict(http: httpx.Client) -> tuple[str, str]:
    """A meal edited by two devices from the same version: (meal id, the conflict's id)."""
    op = upsert("meals", meal(name="Lunch", note="soup"))
    meal_id, version = op["id"], _push(http, op, "phone")["version"]
    _push(http, upsert("meals", {"name": "Big lunch"}, meal_id, version), "phone")
    merged = _push(http, upsert("meals", {"name": "Small lunch"}, meal_id, version), "laptop")
    [conflict] = merged["conflicts"]
    assert conflict["losing_value"] == "Big lunch"
    return meal_id, conflict["id"]


def _cursor(http: httpx.Client) -> str:
    page = http.get("/api/v1/sync/pull", params={"limit": 500}).json()
    assert not page["has_more"]
    return str(page["cursor"])


def _changes_since(http: httpx.Client, cursor: str) -> list[dict[str, Any]]:
    page = http.get("/api/v1/sync/pull", params={"limit": 500, "cursor": cursor}).json()
    assert not page["has_more"]
    return list(page["changes"])


def _clients(server: LiveServer, token: str) -> list[httpx.Client]:
    headers = {"Authorization": f"Bearer {token}"}
    return [httpx.Client(base_url=server.url, headers=headers, timeout=60) for _ in range(AT_ONCE)]


def test_restores_of_one_conflict_at_once_write_it_back_once(
    shared_live_server: LiveServer,  # noqa: F811
) -> None:
    token, _ = shared_live_server.sign_up()
    clients = _clients(shared_live_server, token)
    me = clients[0]
    try:
        for _ in range(ROUNDS):
            meal_id, conflict_id = _conflict(me)
            cursor = _cursor(me)
            path = f"/api/v1/sync/conflicts/{conflict_id}/restore"
            answers = together([partial(c.post, path) for c in clients])
            assert statuses(answers) == [200] + [409] * (AT_ONCE - 1), [
                a.text for a in answers if a.status_code not in (200, 409)
            ]
            refused = [a.json() for a in answers if a.status_code == 409]
            assert {e["rule"] for r in refused for e in r["errors"]} == {"unresolved"}
            [won] = [a.json() for a in answers if a.status_code == 200]
            assert won["fields"]["name"] == "Big lunch"
            # One new version of the meal, the one the 200 named: every device pulls it once.
            changes = _changes_since(me, cursor)
            assert [(c["entity"], c["id"], c["version"]) for c in changes] == [
                ("meals", meal_id, won["version"])
            ]
            again = me.post(path)
            assert again.status_code == 409
    finally:
        for c in clients:
            c.close()


def test_dismissals_and_restores_of_one_conflict_at_once_resolve_it_once(
    shared_live_server: LiveServer,  # noqa: F811
) -> None:
    token, _ = shared_live_server.sign_up()
    clients = _clients(shared_live_server, token)
    me = clients[0]
    try:
        for round_ in range(ROUNDS):
            _, conflict_id = _conflict(me)
            cursor = _cursor(me)
            # All dismissals in the first round; half and half after.
            actions = (
                ["dismiss"] * AT_ONCE if round_ == 0 else ["dismiss", "restore"] * (AT_ONCE // 2)
            )
            answers = together(
                [
                    partial(c.post, f"/api/v1/sync/conflicts/{conflict_id}/{a}")
                    for c, a in zip(clients, actions, strict=True)
                ]
            )
            assert statuses(answers) == [200] + [409] * (AT_ONCE - 1)
            [winner] = [a for a, r in zip(actions, answers, strict=True) if r.status_code == 200]
            resolution = {"dismiss": "dismissed", "restore": "restored"}[winner]
            changes = _changes_since(me, cursor)
            assert len(changes) == (1 if winner == "restore" else 0), changes
            listed = me.get("/api/v1/sync/conflicts").json()["items"]
            assert conflict_id not in {c["id"] for c in listed}
            refused = Counter(r.json()["detail"] for r in answers if r.status_code == 409)
            assert set(refused) == {f"This conflict was {resolution} already."}, refused
    finally:
        for c in clients:
            c.close()
