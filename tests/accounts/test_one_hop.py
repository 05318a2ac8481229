"""The routes the phones ask most sign in and answer in ONE hop to a worker thread.

Each hop is a thread to wake and, on an idle machine, the GIL handed to another core and back:
it cost more than the statement it carried (docs/scaling.md). `accounts.deps.as_person` signs
in and runs the route's reading in the same hop; a sync dependency or a second
`run_in_threadpool` in these routes would bring a hop back unnoticed, so the hops are counted
here, at `anyio.to_thread.run_sync`, through which every one of them goes.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import URL, Engine, select, text, update

from fortify.accounts.models import AuthSession
from fortify.core.loop_reader import LoopReader
from tests.conftest import BACKEND
from tests.factories import Person, at, dose, meal, sign_up

DAY = dt.date(2026, 11, 20)
LOOP_APP = "fortify loop test"  # the test readers' connections, by name in pg_stat_activity


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the functions each request ran on a worker thread, in order."""
    seen: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counting(function: Any, *args: Any, **kwargs: Any) -> Any:
        called = getattr(function, "func", function)  # starlette passes a functools.partial
        seen.append(getattr(called, "__name__", repr(called)))
        return await run_sync(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    yield seen


def _person_with_a_day(client: TestClient) -> Person:
    person = sign_up(client)
    assert person.post("/api/v1/meals", json=meal(eaten_at=at(DAY))).status_code == 201
    assert person.post("/api/v1/doses", json=dose(taken_at=at(DAY, 9))).status_code == 201
    return person


def _assert_nothing_new(answer: Any, cursor: str) -> None:
    """The empty pull's answer: 200, no changes, the same cursor."""
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"changes": [], "cursor": cursor, "has_more": False}


def _cursor(person: Person) -> str:
    cursor = None
    while True:
        page = person.get("/api/v1/sync/pull", params={"cursor": cursor} if cursor else {})
        assert page.status_code == 200, page.text
        cursor = page.json()["cursor"]
        if not page.json()["has_more"]:
            return str(cursor)


class TestOneHop:
    def test_a_pull_with_nothing_new_takes_no_hop(
        self, client: TestClient, hops: list[str]
    ) -> None:
        """It is answered on the event loop: on SQLite one indexed read of a local file costs
        less than the hop (`_quick_on_loop`); on PostgreSQL the same statement goes through the
        async driver (`_quick_on_loop_async`), the loop serving others meanwhile."""
        person = _person_with_a_day(client)
        cursor = _cursor(person)
        hops.clear()

        _assert_nothing_new(person.get("/api/v1/sync/pull", params={"cursor": cursor}), cursor)
        assert hops == []

    def test_a_pull_with_changes_takes_one_hop(self, client: TestClient, hops: list[str]) -> None:
        person = _person_with_a_day(client)
        hops.clear()

        answer = person.get("/api/v1/sync/pull")

        assert answer.status_code == 200
        assert len(answer.json()["changes"]) >= 2
        assert hops == ["_as_person"]

    def test_a_computed_day_report_then_a_cached_one_then_a_304_take_one_hop_each(
        self, client: TestClient, hops: list[str]
    ) -> None:
        person = _person_with_a_day(client)
        hops.clear()

        computed = person.get(f"/api/v1/days/{DAY}")
        cached = person.get(f"/api/v1/days/{DAY}")
        not_modified = client.get(
            f"/api/v1/days/{DAY}",
            headers=person.headers | {"If-None-Match": computed.headers["etag"]},
        )

        assert computed.status_code == cached.status_code == 200
        assert computed.content == cached.content
        assert not_modified.status_code == 304
        assert hops == ["_as_person"] * 3

    def test_a_food_search_takes_one_hop(self, client: TestClient, hops: list[str]) -> None:
        person = sign_up(client)
        hops.clear()

        answer = person.get("/api/v1/foods", params={"q": "sardines"})

        assert answer.status_code == 200
        assert answer.json()["items"]
        assert hops == ["_as_person"]

    def test_a_refused_credential_takes_its_one_hop_and_runs_no_work(
        self, client: TestClient, hops: list[str]
    ) -> None:
        person = sign_up(client)
        assert person.delete("/api/v1/sessions/current").status_code == 204
        hops.clear()

        answer = person.get(f"/api/v1/days/{DAY}")

        assert answer.status_code == 401
        assert answer.json()["errors"][0]["rule"] == "signed_out"
        assert hops == ["_as_person"]


class TestAnEmptyPullOnTheLoop:
    """What `_quick_on_loop` (SQLite) and `_quick_on_loop_async` (PostgreSQL) must keep of the
    worker thread's sign-in."""

    def test_a_due_last_use_write_goes_to_the_worker_thread_and_is_written(
        self, client: TestClient, engine: Engine, hops: list[str]
    ) -> None:
        person = _person_with_a_day(client)
        cursor = _cursor(person)
        long_ago = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        with engine.begin() as connection:
            connection.execute(update(AuthSession).values(last_used_at=long_ago))
        hops.clear()

        answer = person.get("/api/v1/sync/pull", params={"cursor": cursor})

        assert answer.status_code == 200
        assert answer.json()["changes"] == []
        assert hops == ["_as_person"]
        with engine.connect() as connection:
            last_used = connection.execute(select(AuthSession.last_used_at)).scalar_one()
        assert last_used.replace(tzinfo=dt.UTC) > long_ago

    def test_a_signed_out_session_is_refused_saying_why(
        self, client: TestClient, hops: list[str]
    ) -> None:
        person = _person_with_a_day(client)
        cursor = _cursor(person)
        assert person.delete("/api/v1/sessions/current").status_code == 204

        hops.clear()

        answer = person.get("/api/v1/sync/pull", params={"cursor": cursor})

        assert answer.status_code == 401
        assert answer.json()["errors"][0]["rule"] == "signed_out"
        # SQLite's loop reads why itself; PostgreSQL's finds no session and leaves it to the
        # thread, whose sign-in reads why.
        assert hops == ([] if BACKEND == "sqlite" else ["_as_person"])

    def test_a_write_only_token_reads_not_even_an_empty_pull(self, client: TestClient) -> None:
        person = _person_with_a_day(client)
        cursor = _cursor(person)
        made = person.post("/api/v1/tokens", json={"name": "w", "scopes": ["write"]})
        assert made.status_code == 201, made.text
        writer = {"authorization": f"Bearer {made.json()['token']}"}

        answer = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=writer)

        assert answer.status_code == 403
        assert answer.json()["errors"][0]["rule"] == "read"

    def test_a_write_only_token_used_lately_is_refused_on_the_loop(
        self, client: TestClient, hops: list[str]
    ) -> None:
        """Its last use was just written (by a write), so no write is due: the loop refuses."""
        person = _person_with_a_day(client)
        cursor = _cursor(person)
        made = person.post("/api/v1/tokens", json={"name": "w", "scopes": ["write"]})
        writer = {"authorization": f"Bearer {made.json()['token']}"}
        wrote = client.post("/api/v1/doses", json=dose(taken_at=at(DAY, 12)), headers=writer)
        assert wrote.status_code == 201, wrote.text
        hops.clear()

        answer = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=writer)

        assert answer.status_code == 403
        assert answer.json()["errors"][0]["rule"] == "read"
        assert hops == []

    def test_a_bad_cursor_is_a_422_naming_it(self, client: TestClient) -> None:
        person = _person_with_a_day(client)

        answer = person.get("/api/v1/sync/pull", params={"cursor": "not-a-cursor"})

        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"].endswith("cursor")


@pytest.mark.skipif(BACKEND != "postgresql", reason="the loop's async reads are PostgreSQL's")
class TestTheLoopReaderFailing:
    """Whatever befalls the async connections, the thread path answers as it always has."""

    def _use_reader(self, client: TestClient, app: FastAPI, url: URL, **options: Any) -> None:
        """The app's reader replaced by one connecting to `url`, as `LOOP_APP`."""
        assert client.portal is not None
        client.portal.call(app.state.loop_reader.close)
        app.state.loop_reader = LoopReader(
            app.state.engine, url=url.update_query_dict({"application_name": LOOP_APP}), **options
        )

    def test_a_server_that_cannot_be_reached_leaves_the_pull_to_the_thread(
        self, client: TestClient, app: FastAPI, engine: Engine, hops: list[str]
    ) -> None:
        person = _person_with_a_day(client)
        cursor = _cursor(person)
        self._use_reader(client, app, engine.url.set(port=_closed_port()))
        hops.clear()

        first = person.get("/api/v1/sync/pull", params={"cursor": cursor})
        resting = person.get("/api/v1/sync/pull", params={"cursor": cursor})

        for answer in (first, resting):
            _assert_nothing_new(answer, cursor)
        assert hops == ["_as_person", "_as_person"]

    def test_a_slow_answer_leaves_the_pull_to_the_thread(
        self, client: TestClient, app: FastAPI, engine: Engine, hops: list[str]
    ) -> None:
        person = _person_with_a_day(client)
        cursor = _cursor(person)
        self._use_reader(client, app, engine.url, timeout_s=1e-9)
        hops.clear()

        _assert_nothing_new(person.get("/api/v1/sync/pull", params={"cursor": cursor}), cursor)
        assert hops == ["_as_person"]

    def test_connections_the_server_ended_fail_once_then_new_ones_are_opened(
        self, client: TestClient, app: FastAPI, engine: Engine, hops: list[str]
    ) -> None:
        """A restarting server ends every connection: the first read on one fails, the thread
        answers, the reader forgets them all and, after its rest, opens new ones."""
        person = _person_with_a_day(client)
        cursor = _cursor(person)
        self._use_reader(client, app, engine.url, rest_after_failure_s=0.0)
        assert person.get("/api/v1/sync/pull", params={"cursor": cursor}).status_code == 200
        with engine.connect() as connection:
            ended = connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() "
                    "AND application_name = :name"
                ),
                {"name": LOOP_APP},
            ).all()
        assert ended
        hops.clear()

        broken = person.get("/api/v1/sync/pull", params={"cursor": cursor})
        again = person.get("/api/v1/sync/pull", params={"cursor": cursor})

        for answer in (broken, again):
            _assert_nothing_new(answer, cursor)
        assert hops == ["_as_person"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends
