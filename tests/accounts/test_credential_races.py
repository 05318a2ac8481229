"""Two requests that change how a person signs in, at once, get what one after the other gets.

An outside probe (F0b, F0c, F0d) sent the same request several times at once:
- three password changes with the same current password all answered 204, yet only the last
  one's password signed in (two people were told a password was set that was not), and on
  PostgreSQL some answered 500: both inserted the same ended credentials;
- ending one session, or revoking one token, twice at once was a 500 on PostgreSQL;
- two taps on a food's star at once was a 500 on both databases (two inserts of one favourite).

Real concurrency: threads released together by a barrier, each with its own HTTP connection,
against a real uvicorn process (one for the module: each test signs up its own person),
several rounds each.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from fortify.core import limits
from tests.factories import PASSWORD
from tests.races import statuses, together
from tests.reminders.push_peer import b64url
from tests.sync.conftest import (  # noqa: F401 (the fixtures)
    LiveServer,
    module_live_server,
    shared_live_server,
)

ROUNDS = 4


def _client(server: LiveServer, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=server.url, headers=headers, timeout=60)


def test_password_changes_at_once_one_wins_the_others_hear_the_password_is_wrong(
    shared_live_server: LiveServer,  # noqa: F811
) -> None:
    token, _ = shared_live_server.sign_up()
    with _client(shared_live_server, token) as me:
        email = me.get("/api/v1/profile").json()["email"]
    current = PASSWORD
    for round_ in range(ROUNDS):
        # Three devices of hers, each signed in, each changing the password at once.
        tokens = []
        for _ in range(3):
            with _client(shared_live_server) as http:
                signed_in = http.post(
                    "/api/v1/sessions", json={"email": email, "password": current}
                )
                assert signed_in.status_code == 201, signed_in.text
                tokens.append(signed_in.json()["token"])
        news = [f"Quiet-harbour-{round_}-{i}-{uuid.uuid4().hex[:6]}" for i in range(3)]
        clients = [_client(shared_live_server, t) for t in tokens]
        try:
            answers = together(
                [
                    partial(
                        c.post,
                        "/api/v1/password",
                        json={"current_password": current, "new_password": n},
                    )
                    for c, n in zip(clients, news, strict=True)
                ]
            )
        finally:
            for client in clients:
                client.close()
        assert statuses(answers) == [204, 422, 422], [getattr(a, "text", a) for a in answers]
        for answer in answers:
            if answer.status_code == 422:
                assert answer.headers["content-type"] == "application/problem+json"
                assert answer.json()["errors"][0] == answer.json()["errors"][0] | {
                    "field": "current_password",
                    "rule": "matches",
                }
        winner = news[next(i for i, a in enumerate(answers) if a.status_code == 204)]
        with _client(shared_live_server) as http:
            for new in news:
                signed_in = http.post("/api/v1/sessions", json={"email": email, "password": new})
                assert signed_in.status_code == (201 if new == winner else 401), new
        current = winner


def test_ending_one_session_or_one_token_twice_at_once_is_204_then_404(
    shared_live_server: LiveServer,  # noqa: F811
) -> None:
    token, _ = shared_live_server.sign_up()
    with _client(shared_live_server, token) as me:
        email = me.get("/api/v1/profile").json()["email"]
        for _ in range(ROUNDS):
            with _client(shared_live_server) as http:
                other = http.post("/api/v1/sessions", json={"email": email, "password": PASSWORD})
            session_id = other.json()["id"]
            made = me.post("/api/v1/tokens", json={"name": "Shortcut", "scopes": ["write"]})
            assert made.status_code == 201, made.text
            clients = [_client(shared_live_server, token) for _ in range(3)]
            try:
                for path in (
                    f"/api/v1/sessions/{session_id}",
                    f"/api/v1/tokens/{made.json()['id']}",
                ):
                    answers = together([partial(c.delete, path) for c in clients])
                    assert statuses(answers) == [204, 404, 404], [
                        getattr(a, "text", a) for a in answers
                    ]
            finally:
                for client in clients:
                    client.close()


def test_two_taps_on_a_foods_star_at_once_mark_it_once(
    shared_live_server: LiveServer,  # noqa: F811
) -> None:
    token, _ = shared_live_server.sign_up()
    clients = [_client(shared_live_server, token) for _ in range(4)]
    try:
        for round_ in range(ROUNDS):
            food = clients[0].post(
                "/api/v1/foods/custom",
                json={"name": f"Oat bake {round_}", "nutrients_per_100g": {"calcium_mg": 40}},
            )
            assert food.status_code == 201, food.text
            path = f"/api/v1/foods/{food.json()['id']}/favourite"
            answers = together([partial(c.put, path) for c in clients])
            assert statuses(answers) == [204] * 4, [getattr(a, "text", a) for a in answers]
            answers = together([partial(c.delete, path) for c in clients])
            assert statuses(answers) == [204] * 4, [getattr(a, "text", a) for a in answers]
        favourites = clients[0].get("/api/v1/foods/favourites")
        assert favourites.json() == []
    finally:
        for client in clients:
            client.close()


def _push_subscription(endpoint: str) -> dict[str, Any]:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    public = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"endpoint": endpoint, "keys": {"p256dh": b64url(public), "auth": b64url(b"a" * 16)}}


def test_one_push_endpoint_registered_at_once_is_one_row_and_never_a_500(
    shared_live_server: LiveServer,  # noqa: F811
) -> None:
    """Outside probe N1: six registrations of one endpoint at once gave three 500s."""
    token, _ = shared_live_server.sign_up()
    clients = [_client(shared_live_server, token) for _ in range(6)]
    try:
        for round_ in range(ROUNDS):
            body = _push_subscription(f"http://127.0.0.1:9/push/{round_}-{uuid.uuid4().hex}")
            answers = together(
                [partial(c.post, "/api/v1/push/subscriptions", json=body) for c in clients]
            )
            assert statuses(answers) == [200] * 5 + [201], [getattr(a, "text", a) for a in answers]
            assert len({a.json()["id"] for a in answers}) == 1
        listed = clients[0].get("/api/v1/push/subscriptions").json()
        assert len(listed) == ROUNDS
    finally:
        for client in clients:
            client.close()


def test_creates_at_once_never_pass_a_cap(shared_live_server: LiveServer) -> None:  # noqa: F811
    """Outside probe N2: ten tokens made at once with room for two left 51-53 of 50."""
    token, _ = shared_live_server.sign_up()
    with _client(shared_live_server, token) as me:
        for i in range(limits.MAX_ACCESS_TOKENS - 2):
            made = me.post("/api/v1/tokens", json={"name": f"T{i}", "scopes": ["read"]})
            assert made.status_code == 201, made.text
    clients = [_client(shared_live_server, token) for _ in range(10)]
    try:
        answers = together(
            [
                partial(c.post, "/api/v1/tokens", json={"name": f"Race {i}", "scopes": ["read"]})
                for i, c in enumerate(clients)
            ]
        )
        assert statuses(answers) == [201] * 2 + [409] * 8, [getattr(a, "text", a) for a in answers]
        assert len(clients[0].get("/api/v1/tokens").json()) == limits.MAX_ACCESS_TOKENS
    finally:
        for client in clients:
            client.close()


def test_a_create_racing_its_own_retries_at_a_cap_is_one_201_and_retries(
    shared_live_server: LiveServer,  # noqa: F811
) -> None:
    """An outside re-check: with room for one more reminder, ten sends of one create (the same
    id and content, an app retrying a create whose answer was lost) gave one 201, six 200s and
    three 409 `too_many`, telling the retries to delete a reminder while the record was saved."""
    token, _ = shared_live_server.sign_up()
    with _client(shared_live_server, token) as me:
        full = [
            {
                "op_id": str(uuid.uuid4()),
                "entity": "reminders",
                "id": str(uuid.uuid4()),
                "kind": "upsert",
                "fields": {"kind": "custom", "title": f"Walk {i}", "times": ["08:00"]},
            }
            for i in range(limits.MAX_REMINDERS - 1)
        ]
        pushed = me.post("/api/v1/sync/push", json={"device_id": "setup", "operations": full})
        assert pushed.status_code == 200, pushed.text
        assert {r["status"] for r in pushed.json()["results"]} == {"applied"}
    clients = [_client(shared_live_server, token) for _ in range(10)]
    try:
        for round_ in range(ROUNDS):
            body = {
                "id": str(uuid.uuid4()),
                "kind": "custom",
                "title": f"Stretch {round_}",
                "times": ["18:00"],
            }
            answers = together([partial(c.post, "/api/v1/reminders", json=body) for c in clients])
            assert statuses(answers) == [200] * 9 + [201], [getattr(a, "text", a) for a in answers]
            # Room for one again, for the next round.
            assert clients[0].delete(f"/api/v1/reminders/{body['id']}").status_code == 204
    finally:
        for client in clients:
            client.close()
