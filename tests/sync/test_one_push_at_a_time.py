"""One sync push of a person at a time (an outside probe, F9; accounts/pushlock.py).

Six concurrent 500-operation pushes of one person each waited for the database's one writer
(SQLite) behind the others, and other people's writes waited behind all six into 503s. A second
push of hers while one runs is now refused at once, 429 with Retry-After, without waiting for
the writer; other people's pushes go on; a retry afterwards is applied, and a retry of what was
applied is `duplicate`.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from fortify.accounts import pushlock
from fortify.accounts.models import User
from fortify.core.clock import utcnow
from fortify.sync import push as sync_push
from tests.factories import Person, meal, sign_up, symptom
from tests.sync.helpers import upsert

PUSH = "/api/v1/sync/push"


def _send(person: Person, ops: list[dict[str, Any]]) -> Any:
    return person.post(PUSH, {"device_id": "phone", "operations": ops})


def _ops(count: int = 3) -> list[dict[str, Any]]:
    return [upsert("meals", meal(name=f"m{n}")) for n in range(count)]


@contextmanager
def running(monkeypatch: pytest.MonkeyPatch, start: Callable[[], Any]) -> Iterator[dict[str, Any]]:
    """Run `start` (a push) in a thread whose push waits, its lease held, until the block ends
    (real concurrency: the test's requests meet it mid-way)."""
    began, finish = threading.Event(), threading.Event()
    real = sync_push.push

    def slow(*args: Any, **kwargs: Any) -> Any:
        if not began.is_set():  # only the first push waits
            began.set()
            assert finish.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(sync_push, "push", slow)
    outcome: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: outcome.update(response=start()))
    thread.start()
    try:
        assert began.wait(30)
        yield outcome
    finally:
        finish.set()
        thread.join(60)
        monkeypatch.setattr(sync_push, "push", real)


def _assert_refused(response: Any) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert 1 <= int(response.headers["retry-after"]) <= pushlock.RETRY_AFTER_SECONDS
    [error] = response.json()["errors"]
    assert error["rule"] == "one_push_at_a_time"
    assert "sends them again" in error["detail"]


def _lease(app: FastAPI, person: Person) -> dt.datetime | None:
    with app.state.session_factory() as session:
        until: dt.datetime | None = session.scalar(
            select(User.sync_push_until).where(User.id == uuid.UUID(person.user_id))
        )
        return until


def _set_lease(app: FastAPI, person: Person, until: dt.datetime | None) -> None:
    with app.state.session_factory() as session:
        session.execute(
            update(User).where(User.id == uuid.UUID(person.user_id)).values(sync_push_until=until)
        )
        session.commit()


class TestTwoPushesOfOnePerson:
    def test_the_second_gets_429_with_retry_after_and_its_retry_is_applied_once(
        self, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        her = sign_up(client)
        first_ops, second_ops = _ops(), _ops()
        with running(monkeypatch, lambda: _send(her, first_ops)) as first:
            _assert_refused(_send(her, second_ops))
            _assert_refused(_send(her, first_ops))  # the same push again, from a retry
        assert first["response"].status_code == 200, first["response"].text
        assert {r["status"] for r in first["response"].json()["results"]} == {"applied"}
        # Her phone sends the refused push again: now it is applied, and only now.
        again = _send(her, second_ops)
        assert again.status_code == 200, again.text
        assert {r["status"] for r in again.json()["results"]} == {"applied"}
        # A sequential retry of either is idempotent.
        for ops in (first_ops, second_ops):
            replay = _send(her, ops)
            assert replay.status_code == 200, replay.text
            assert {r["status"] for r in replay.json()["results"]} == {"duplicate"}
        meals = her.get("/api/v1/meals", params={"limit": 100}).json()["items"]
        assert len(meals) == len(first_ops) + len(second_ops)

    def test_her_other_writes_and_other_people_go_on(
        self, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        her, other = sign_up(client), sign_up(client)
        with running(monkeypatch, lambda: _send(her, _ops())) as first:
            pushed = _send(other, _ops())  # another person's push runs meanwhile
            assert pushed.status_code == 200, pushed.text
            assert her.post("/api/v1/symptoms", symptom()).status_code == 201
        assert first["response"].status_code == 200, first["response"].text


class TestTheLeaseEnds:
    def test_a_finished_push_leaves_none(self, app: FastAPI, client: TestClient) -> None:
        her = sign_up(client)
        assert _send(her, _ops()).status_code == 200
        assert _lease(app, her) is None

    def test_a_push_of_rejected_operations_leaves_none(
        self, app: FastAPI, client: TestClient
    ) -> None:
        her = sign_up(client)
        pushed = _send(her, [upsert("meals", {"name": "no time, no items"})])
        assert pushed.status_code == 200, pushed.text
        assert pushed.json()["results"][0]["status"] == "rejected"
        assert _lease(app, her) is None

    def test_a_failed_push_lets_go_at_once(
        self, app: FastAPI, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(*_args: Any) -> Any:
            raise RuntimeError("the server went away")

        monkeypatch.setattr(sync_push, "push", broken)
        with TestClient(app, raise_server_exceptions=False) as client:
            her = sign_up(client)
            assert _send(her, _ops()).status_code == 500
            assert _lease(app, her) is None
            monkeypatch.undo()
            assert _send(her, _ops()).status_code == 200

    def test_a_push_cut_off_by_the_database_lets_go_even_when_the_next_connection_is_dead_too(
        self, app: FastAPI, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Outside probe (session 10): connections killed under a push gave a 503, and the
        clearing met a second dead connection, so her pushes were refused for the lease's
        whole 30 s while being told to retry in 2 s."""

        def cut_off(*_args: Any) -> Any:
            raise OperationalError("INSERT", {}, Exception("server closed the connection"))

        real_end = pushlock.end
        clears: list[str] = []

        def end_once_dead(session: Any, user_id: uuid.UUID) -> None:
            clears.append("tried")
            if len(clears) == 1:
                raise OperationalError("UPDATE", {}, Exception("server closed the connection"))
            real_end(session, user_id)

        monkeypatch.setattr(sync_push, "push", cut_off)
        monkeypatch.setattr(pushlock, "end", end_once_dead)
        with TestClient(app, raise_server_exceptions=False) as client:
            her = sign_up(client)
            cut = _send(her, _ops())
            assert cut.status_code == 503, cut.text
            assert clears == ["tried", "tried"]
            assert _lease(app, her) is None
            monkeypatch.undo()
            assert _send(her, _ops()).status_code == 200

    def test_a_lease_left_by_a_dead_process_expires_by_itself(
        self, app: FastAPI, client: TestClient
    ) -> None:
        her = sign_up(client)
        _set_lease(app, her, utcnow() + dt.timedelta(seconds=pushlock.LEASE_SECONDS))
        _assert_refused(_send(her, _ops()))
        _set_lease(app, her, utcnow() - dt.timedelta(seconds=1))  # its time has passed
        assert _send(her, _ops()).status_code == 200

    def test_a_process_that_starts_lets_go_of_every_lease(self, app: FastAPI) -> None:
        with TestClient(app) as client:
            her = sign_up(client)
            _set_lease(app, her, utcnow() + dt.timedelta(seconds=pushlock.LEASE_SECONDS))
        with TestClient(app) as client:  # the app starts again (after a crash, a deploy)
            assert _lease(app, her) is None
            her = Person(client, her.email, her.token, her.user_id)
            assert _send(her, _ops()).status_code == 200
