"""First writes of a regimen item's implicit dose reminder, at once (outside probe F3).

Its first edit stores it under its deterministic id; two first edits at once (the notification's
"Snooze" tapped on two devices, the banner's snooze racing a Settings toggle, a sync push
storing it) both found no row and both inserted it, and the second was a 500 (10 at once: three
500s; a push racing three PATCHes: 21 of 30 PATCHes 500). Each takes her lock and looks again
(`entries.resource._stored_or_materialized`), so every one is a 200 on the one stored row.

Real concurrency: threads released together, each with its own connection, against a real
uvicorn process shared by the module (each test signs up its own person).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial

import httpx

from fortify.reminders.effective import implicit_reminder_id
from tests.races import statuses, together
from tests.sync.conftest import (  # noqa: F401 (the fixtures)
    LiveServer,
    module_live_server,
    shared_live_server,
)

ROUNDS = 3


def _client(server: LiveServer, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )


def _item(me: httpx.Client, n: int) -> tuple[str, str]:
    """A scheduled medicine and its implicit reminder's id."""
    made = me.post(
        "/api/v1/regimen",
        json={
            "name": f"Anastrozole {n}",
            "kind": "medicine",
            "form": "anastrozole",
            "schedule_times": ["08:00"],
            "schedule_days": [0, 3],
        },
    )
    assert made.status_code == 201, made.text
    item = made.json()["id"]
    return item, str(implicit_reminder_id(uuid.UUID(item)))


def _first_writes(c: httpx.Client, rid: str, item: str, n: int) -> Callable[[], httpx.Response]:
    path = f"/api/v1/reminders/{rid}"
    return [
        partial(c.patch, path, json={"enabled": False}),
        partial(c.post, f"{path}/snooze", json={"minutes": 5}),
        partial(c.post, f"{path}/skip-today"),
        partial(
            c.put,
            path,
            json={"kind": "dose", "title": "Anastrozole", "regimen_item_id": item, "times": None},
        ),
    ][n % 4]


def _stored_once(me: httpx.Client, rid: str) -> dict[str, object]:
    listed = [r for r in me.get("/api/v1/reminders").json() if r["id"] == rid]
    assert len(listed) == 1, listed
    assert listed[0]["implicit"] is False
    return dict(listed[0])


def test_first_edits_at_once_are_all_200_on_one_stored_row(
    shared_live_server: LiveServer,  # noqa: F811
) -> None:
    token, _ = shared_live_server.sign_up()
    clients = [_client(shared_live_server, token) for _ in range(10)]
    try:
        for round_ in range(ROUNDS):
            item, rid = _item(clients[0], round_)
            answers = together([_first_writes(c, rid, item, i) for i, c in enumerate(clients)])
            assert statuses(answers) == [200] * 10, [getattr(a, "text", a) for a in answers]
            stored = _stored_once(clients[0], rid)
            # Every write landed on the one row, one after the other: each took its own
            # version, and the row is the last one's.
            versions = sorted(a.json()["version"] for a in answers)
            assert len(set(versions)) == 10 and stored["version"] == versions[-1]
    finally:
        for client in clients:
            client.close()


def test_a_push_storing_it_while_patches_edit_it_is_never_a_500(
    shared_live_server: LiveServer,  # noqa: F811
) -> None:
    token, _ = shared_live_server.sign_up()
    clients = [_client(shared_live_server, token) for _ in range(4)]
    try:
        for round_ in range(ROUNDS):
            item, rid = _item(clients[0], round_)
            operation = {
                "op_id": str(uuid.uuid4()),
                "entity": "reminders",
                "id": rid,
                "kind": "upsert",
                "base_version": None,
                "fields": {
                    "kind": "dose",
                    "title": "Anastrozole",
                    "regimen_item_id": item,
                    "times": ["06:00"],
                },
            }
            pushed = partial(
                clients[0].post,
                "/api/v1/sync/push",
                json={"device_id": f"phone-{round_}", "operations": [operation]},
            )
            patches = [
                partial(c.patch, f"/api/v1/reminders/{rid}", json={"enabled": False})
                for c in clients[1:]
            ]
            answers = together([pushed, *patches])
            assert statuses(answers) == [200] * 4, [getattr(a, "text", a) for a in answers]
            [result] = answers[0].json()["results"]
            assert result["status"] == "applied", result
            stored = _stored_once(clients[0], rid)
            assert stored["enabled"] is False  # every PATCH landed on the row
            if stored["version"] == result["version"]:  # the push came last
                assert stored["times"] == ["06:00"]
    finally:
        for client in clients:
            client.close()
