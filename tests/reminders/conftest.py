"""Reminder fixtures: an injected clock, people, a worker on the test database, a push peer."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fortify.accounts.models import AuthSession
from fortify.core.security import hash_token
from fortify.reminders import push
from fortify.reminders.models import PushSubscription, Reminder
from fortify.reminders.worker import Worker
from tests.factories import Person, sign_up
from tests.reminders.push_peer import PushPeer


@dataclass
class Clock:
    """The app's and the worker's `now`; tests move it."""

    at: dt.datetime = field(default_factory=lambda: dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC))

    def __call__(self) -> dt.datetime:
        return self.at

    def set(self, value: dt.datetime) -> None:
        self.at = value.astimezone(dt.UTC)

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    clock = Clock()
    app.state.clock = clock
    return clock


@pytest.fixture
def person(client: TestClient) -> Person:
    return sign_up(client)


def with_zone(person: Person, zone: str) -> Person:
    response = person.patch("/api/v1/profile", {"time_zone": zone})
    assert response.status_code == 200, response.text
    return person


def reminder(**overrides: Any) -> dict[str, Any]:
    return {"kind": "custom", "title": "Stretch", "times": ["08:00"]} | overrides


def regimen_item(person: Person, **overrides: Any) -> str:
    body = {
        "name": "Anastrozole 1 mg",
        "kind": "medicine",
        "form": "anastrozole",
        "schedule_times": ["08:00"],
        "prescribed_daily": True,
    } | overrides
    response = person.post("/api/v1/regimen", body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def backdate(app: FastAPI, person: Person, when: dt.datetime) -> None:
    """Pretend every reminder and regimen item was last edited at `when` (planning never adds
    occurrences due before a reminder's last edit)."""
    from fortify.entries.models import RegimenItem

    with app.state.session_factory() as session, session.begin():
        user_id = uuid.UUID(person.user_id)
        for model in (Reminder, RegimenItem):
            session.execute(
                update(model)
                .where(model.user_id == user_id)
                .values(updated_at=when, created_at=when)
            )


@dataclass
class Sent:
    subscription: dict[str, Any]
    payload: dict[str, Any]
    at: dt.datetime


@dataclass
class FakeSender:
    """Stands in for the push service where the wire is not the point of the test."""

    clock: Clock
    sent: list[Sent] = field(default_factory=list)
    outcomes: list[push.PushResult] = field(default_factory=list)

    def __call__(self, info: dict[str, Any], body: str, settings: Any) -> push.PushResult:
        import json

        self.sent.append(Sent(info, json.loads(body), self.clock()))
        if self.outcomes:
            return self.outcomes.pop(0)
        return push.PushResult("delivered", 201)


@pytest.fixture
def sender(clock: Clock) -> FakeSender:
    return FakeSender(clock)


@pytest.fixture
def make_worker(app: FastAPI, clock: Clock) -> Callable[..., Worker]:
    def make(sender: Any = push.send, **kwargs: Any) -> Worker:
        return Worker(
            app.state.session_factory, app.state.settings, now=clock, sender=sender, **kwargs
        )

    return make


def add_subscription(
    app: FastAPI, person: Person, endpoint: str | None = None, token: str | None = None
) -> uuid.UUID:
    """A stored subscription (for tests whose sender is fake), registered by the person's
    signed-in session (`token`, else the one she signed up with), as the API would store it."""
    with app.state.session_factory() as session, session.begin():
        session_id = session.scalar(
            select(AuthSession.id).where(
                AuthSession.token_hash == hash_token(token or person.token)
            )
        )
        assert session_id is not None
        sub = PushSubscription(
            user_id=uuid.UUID(person.user_id),
            session_id=session_id,
            endpoint=endpoint or f"http://127.0.0.1:9/push/{uuid.uuid4().hex}",
            p256dh="B" + "A" * 86,
            auth="A" * 22,
        )
        session.add(sub)
        session.flush()
        return sub.id


@pytest.fixture
def peer(app: FastAPI) -> Iterator[PushPeer]:
    peer = PushPeer(push.public_key(app.state.settings)).start()
    yield peer
    peer.stop()


def session_of(app: FastAPI) -> Session:
    session: Session = app.state.session_factory()
    return session
