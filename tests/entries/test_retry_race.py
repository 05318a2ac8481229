"""A retry racing its original gets the answer a sequential retry gets, never a 500.

A phone that times out resends its create with the same client id while the first request is
still running. Both requests find no row, both insert, and the database refuses the second
(the primary key): that was a 500 in about a third of tries on both databases. Now the
refused insert rolls back its savepoint, the winner's row is read and compared: the same
content is a 200 with the same record, different content a 409.

Real concurrency: two threads, each with its own HTTP connection, released together by a
barrier against a real uvicorn process (`live_server`), many rounds per route, so the test
fails reliably without the fix.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

import httpx

from tests.factories import meal, symptom
from tests.races import statuses, together
from tests.sync.conftest import LiveServer, live_server  # noqa: F401 (the fixture)

ROUNDS = 15  # two races per round; before the fix each was a 500 one time in three


def reminder() -> dict[str, Any]:
    return {"kind": "custom", "title": "Evening walk", "times": ["18:30"]}


def custom_food() -> dict[str, Any]:
    return {"name": "Oat and apple bake", "nutrients_per_100g": {"calcium_mg": 40}}


# Every create that takes a client id (doses and the rest share the entries route factory).
CREATES: dict[str, tuple[str, Callable[[], dict[str, Any]], str]] = {
    "meals": ("/api/v1/meals", meal, "name"),
    "symptoms": ("/api/v1/symptoms", symptom, "note"),
    "reminders": ("/api/v1/reminders", reminder, "title"),
    "custom_foods": ("/api/v1/foods/custom", custom_food, "name"),
}


def _race(clients: list[httpx.Client], path: str, bodies: list[dict[str, Any]]) -> list[Any]:
    return together([partial(c.post, path, json=b) for c, b in zip(clients, bodies, strict=True)])


def test_a_retry_racing_its_original_gets_what_a_sequential_retry_gets(
    live_server: LiveServer,  # noqa: F811
) -> None:
    token, _ = live_server.sign_up()
    headers = {"Authorization": f"Bearer {token}"}
    clients = [httpx.Client(base_url=live_server.url, headers=headers, timeout=60) for _ in "ab"]
    try:
        for (path, payload, text_field), _ in itertools.product(CREATES.values(), range(ROUNDS)):
            body = payload() | {"id": str(uuid.uuid4())}
            answers = _race(clients, path, [body, body])
            assert statuses(answers) == [200, 201], [getattr(a, "text", a) for a in answers]
            assert answers[0].json() == answers[1].json()  # the one record, both times

            first = payload() | {"id": str(uuid.uuid4())}
            other = first | {text_field: "Something else"}
            answers = _race(clients, path, [first, other])
            assert statuses(answers) == [201, 409], [getattr(a, "text", a) for a in answers]
            conflict = next(a for a in answers if a.status_code == 409)
            assert conflict.headers["content-type"] == "application/problem+json"
            assert conflict.json()["errors"][0]["field"] == "id"
    finally:
        for client in clients:
            client.close()
