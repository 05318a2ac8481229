"""The delivery worker: on time across DST, suppression, grouping, retries, and exactly once
with three worker processes on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select, update

from fortify.accounts.models import AccessToken, AuthSession, User
from fortify.core.security import hash_token
from fortify.reminders import push
from fortify.reminders.models import PushSubscription, Reminder, ReminderOccurrence
from fortify.reminders.worker import Worker
from tests.conftest import BACKEND
from tests.factories import PASSWORD, Person
from tests.reminders.conftest import (
    Clock,
    FakeSender,
    add_subscription,
    backdate,
    regimen_item,
    reminder,
    with_zone,
)
from tests.reminders.push_peer import PushPeer

ROOT = Path(__file__).resolve().parents[2]
EARLY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LONDON = ZoneInfo("Europe/London")


def statuses(app: FastAPI) -> Counter[str]:
    with app.state.session_factory() as session:
        return Counter(session.scalars(select(ReminderOccurrence.status)))


class TestOnTimeAcrossDaylightSaving:
    @pytest.mark.parametrize(
        ("zone", "changes"),
        [
            ("Europe/London", [dt.date(2026, 3, 29), dt.date(2026, 10, 25)]),
            ("America/New_York", [dt.date(2026, 3, 8), dt.date(2026, 11, 1)]),
        ],
    )
    def test_a_daily_eight_oclock_reminder_fires_at_eight_local(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
        zone: str,
        changes: list[dt.date],
    ) -> None:
        with_zone(person, zone)
        person.post("/api/v1/reminders", reminder(title="Calcium", times=["08:00"]))
        add_subscription(app, person)
        backdate(app, person, EARLY)
        tz = ZoneInfo(zone)
        worker = make_worker(sender)
        for change in changes:
            for day in (change - dt.timedelta(days=1), change, change + dt.timedelta(days=1)):
                clock.set(dt.datetime.combine(day, dt.time(7, 59), tz))
                worker.run_once()
                assert sender.sent == [], f"sent before 08:00 on {day}"
                clock.set(dt.datetime.combine(day, dt.time(8, 0), tz))
                worker.run_once()
                assert len(sender.sent) == 1, f"not sent at 08:00 on {day}"
                due = dt.datetime.fromisoformat(sender.sent[0].payload["occurrences"][0]["due_at"])
                assert due.astimezone(tz).replace(tzinfo=None) == dt.datetime.combine(
                    day, dt.time(8)
                )
                assert sender.sent[0].at == clock()
                sender.sent.clear()
                clock.set(dt.datetime.combine(day, dt.time(23, 0), tz))
                worker.run_once()
                assert sender.sent == [], f"sent twice on {day}"


class TestSuppressionAndGrouping:
    def _setup(self, app: FastAPI, person: Person, clock: Clock) -> str:
        with_zone(person, "Europe/London")
        item = regimen_item(person, schedule_times=["08:00"])
        add_subscription(app, person)
        backdate(app, person, EARLY)
        return item

    def test_a_logged_dose_suppresses_its_reminder(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
    ) -> None:
        item = self._setup(app, person, clock)
        taken_at = dt.datetime(2026, 11, 25, 7, 30, tzinfo=LONDON)
        person.post("/api/v1/doses", {"regimen_item_id": item, "taken_at": taken_at.isoformat()})
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        make_worker(sender).run_once()
        assert sender.sent == []
        assert statuses(app)["suppressed"] == 1

    def test_yesterdays_dose_does_not_suppress_today(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
    ) -> None:
        item = self._setup(app, person, clock)
        yesterday = dt.datetime(2026, 11, 24, 8, 0, tzinfo=LONDON)
        person.post("/api/v1/doses", {"regimen_item_id": item, "taken_at": yesterday.isoformat()})
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        make_worker(sender).run_once()
        assert len(sender.sent) == 1

    def test_reminders_due_within_five_minutes_arrive_as_one(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
    ) -> None:
        self._setup(app, person, clock)
        person.post("/api/v1/reminders", reminder(title="Calcium", times=["08:04"]))
        person.post("/api/v1/reminders", reminder(title="Walk", kind="workout", times=["08:06"]))
        backdate(app, person, EARLY)
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        worker = make_worker(sender)
        worker.run_once()
        assert len(sender.sent) == 1
        first = sender.sent[0].payload
        assert first["title"] == "2 reminders"
        assert [o["title"] for o in first["occurrences"]] == ["Anastrozole 1 mg", "Calcium"]
        assert [a["action"] for a in first["actions"]] == ["taken", "snooze"]
        clock.set(dt.datetime(2026, 11, 25, 8, 6, tzinfo=LONDON))
        worker.run_once()
        assert [o["title"] for o in sender.sent[1].payload["occurrences"]] == ["Walk"]
        assert sender.sent[1].payload["actions"][0]["title"] == "Done"

    def test_a_late_occurrence_is_expired_not_sent(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
    ) -> None:
        self._setup(app, person, clock)
        clock.set(dt.datetime(2026, 11, 25, 7, 0, tzinfo=LONDON))
        worker = make_worker(sender)
        worker.run_once()  # plans 08:00
        clock.set(dt.datetime(2026, 11, 25, 9, 30, tzinfo=LONDON))  # the server was down
        worker.run_once()
        assert sender.sent == []
        assert statuses(app)["expired"] == 1

    def test_a_reminder_changed_after_planning_is_not_sent_at_the_old_time(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
    ) -> None:
        self._setup(app, person, clock)
        clock.set(dt.datetime(2026, 11, 25, 7, 0, tzinfo=LONDON))
        worker = make_worker(sender)
        worker.run_once()
        reminders = person.get("/api/v1/reminders").json()
        person.patch(f"/api/v1/reminders/{reminders[0]['id']}", {"times": ["09:00"]})
        backdate(app, person, EARLY)
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        worker.run_once()
        assert sender.sent == []
        clock.set(dt.datetime(2026, 11, 25, 9, 0, tzinfo=LONDON))
        worker._last_plan = None
        worker.run_once()
        assert [s.payload["occurrences"][0]["local_time"] for s in sender.sent] == ["09:00"]

    def test_a_snoozed_reminder_waits_for_the_snooze(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
    ) -> None:
        self._setup(app, person, clock)
        clock.set(dt.datetime(2026, 11, 25, 7, 50, tzinfo=LONDON))
        rid = person.get("/api/v1/reminders").json()[0]["id"]
        person.post(f"/api/v1/reminders/{rid}/snooze", {"minutes": 20})
        backdate(app, person, EARLY)
        worker = make_worker(sender)
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        worker.run_once()
        assert sender.sent == []
        clock.set(dt.datetime(2026, 11, 25, 8, 10, tzinfo=LONDON))
        worker.run_once()
        assert len(sender.sent) == 1

    def test_without_a_subscription_it_waits_for_the_banner(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
    ) -> None:
        with_zone(person, "Europe/London")
        regimen_item(person)
        backdate(app, person, EARLY)
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        make_worker(sender).run_once()
        assert statuses(app)["failed"] == 1
        assert len(person.get("/api/v1/reminders/due").json()) == 1


class TestOnlyLiveDevices:
    """A subscription is sent to only while the session (or token) that registered it is live:
    a phone whose session expired, handed on or not, gets no more of her reminders."""

    def test_a_subscription_of_an_expired_session_gets_nothing_and_is_removed(
        self,
        app: FastAPI,
        client: TestClient,
        person: Person,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
    ) -> None:
        laptop = client.post(
            "/api/v1/sessions",
            json={"email": person.email, "password": PASSWORD, "device_name": "Laptop"},
        ).json()["token"]
        with_zone(person, "Europe/London")
        regimen_item(person)
        phone_sub = add_subscription(app, person, "http://127.0.0.1:9/push/phone")
        add_subscription(app, person, "http://127.0.0.1:9/push/laptop", token=laptop)
        backdate(app, person, EARLY)
        with app.state.session_factory() as session, session.begin():
            # The phone's session ran out (not signed out: its row stays).
            session.execute(
                update(AuthSession)
                .where(AuthSession.token_hash == hash_token(person.token))
                .values(expires_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
            )
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        make_worker(sender).run_once()
        assert [s.subscription["endpoint"] for s in sender.sent] == [
            "http://127.0.0.1:9/push/laptop"
        ]
        with app.state.session_factory() as session:
            assert session.get(PushSubscription, phone_sub) is None
        assert statuses(app)["sent"] == 1

    def test_with_only_ended_credentials_nothing_is_sent(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
    ) -> None:
        with_zone(person, "Europe/London")
        regimen_item(person)
        token = person.post(
            "/api/v1/tokens", {"name": "Shortcuts", "scopes": ["write"], "expires_in_days": 30}
        )
        assert token.status_code == 201, token.text
        sub = add_subscription(app, person, "http://127.0.0.1:9/push/phone")
        backdate(app, person, EARLY)
        with app.state.session_factory() as session, session.begin():
            token_id = session.scalar(select(AccessToken.id))
            # A subscription a token registered; the token has expired since.
            session.execute(
                update(PushSubscription)
                .where(PushSubscription.id == sub)
                .values(session_id=None, token_id=token_id)
            )
            session.execute(
                update(AccessToken).values(expires_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
            )
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        make_worker(sender).run_once()
        assert sender.sent == []
        assert statuses(app)["failed"] == 1
        with app.state.session_factory() as session:
            assert session.scalar(select(PushSubscription.id)) is None


class TestRetries:
    def test_a_retry_goes_only_to_the_device_that_missed_it(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        sender: FakeSender,
        make_worker: Callable[..., Worker],
    ) -> None:
        with_zone(person, "Europe/London")
        regimen_item(person)
        add_subscription(app, person, "http://127.0.0.1:9/push/a")
        add_subscription(app, person, "http://127.0.0.1:9/push/b")
        backdate(app, person, EARLY)
        sender.outcomes = [push.PushResult("delivered", 201), push.PushResult("retry", 503)]
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        worker = make_worker(sender)
        worker.run_once()
        assert [s.subscription["endpoint"][-1] for s in sender.sent] == ["a", "b"]
        clock.advance(seconds=29)
        worker.run_once()
        assert len(sender.sent) == 2  # backoff: not yet
        clock.advance(seconds=2)
        worker.run_once()
        assert [s.subscription["endpoint"][-1] for s in sender.sent] == ["a", "b", "b"]
        assert statuses(app)["sent"] == 1


def _seed_due_people(
    engine: Engine, count: int, endpoint_of: Callable[[int], dict[str, Any]]
) -> None:
    """`count` people in UTC, each with one custom reminder due two minutes ago and one push
    subscription, written directly (signing up 200 people through the API is slow)."""
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    due = (now - dt.timedelta(minutes=2)).strftime("%H:%M")
    users, reminders, subscriptions, sessions = [], [], [], []
    for n in range(count):
        user_id = uuid.uuid4()
        users.append(
            {
                "id": user_id,
                "email": f"worker-{n}-{user_id.hex[:6]}@example.com",
                "password_hash": "x",
                "display_name": f"P{n}",
                "time_zone": "UTC",
                "sync_version": 1,
                "target_overrides": {},
                "profile_version": 0,
                "cleared_for_high_impact": False,
                "on_anticoagulant": False,
                "osteoporosis": False,
                "unit_system": "metric",
                "created_at": EARLY,
                "updated_at": EARLY,
            }
        )
        reminders.append(
            {
                "user_id": user_id,
                "id": uuid.uuid4(),
                "kind": "custom",
                "title": f"Reminder {n}",
                "times": [due],
                "enabled": True,
                "version": 1,
                "created_at": EARLY,
                "updated_at": EARLY,
            }
        )
        info = endpoint_of(n)
        session_id = uuid.uuid4()
        sessions.append(
            {
                "id": session_id,
                "user_id": user_id,
                "token_hash": uuid.uuid4().hex * 2,
                "device_name": "Phone",
                "created_at": EARLY,
                "last_used_at": EARLY,
                "expires_at": now + dt.timedelta(days=30),
            }
        )
        subscriptions.append(
            {
                "id": uuid.uuid4(),
                "user_id": user_id,
                "session_id": session_id,
                "endpoint": info["endpoint"],
                "p256dh": info["keys"]["p256dh"],
                "auth": info["keys"]["auth"],
                "failures": 0,
                "created_at": EARLY,
            }
        )
    with engine.begin() as connection:
        connection.execute(insert(User), users)
        connection.execute(insert(Reminder), reminders)
        connection.execute(insert(AuthSession), sessions)
        connection.execute(insert(PushSubscription), subscriptions)


@pytest.mark.postgres_only
@pytest.mark.slow
@pytest.mark.skipif(
    BACKEND != "postgresql",
    reason="PostgreSQL only: N workers claim with FOR UPDATE SKIP LOCKED; SQLite has one writer",
)
class TestExactlyOnceWithSeveralProcesses:
    def test_three_worker_processes_deliver_two_hundred_occurrences_once_each(
        self, app: FastAPI, engine: Engine, database_url: str, peer: PushPeer
    ) -> None:
        peer.delay_seconds = 0.005  # a push service takes a moment: the workers overlap
        subs = [peer.subscribe() for _ in range(200)]
        _seed_due_people(engine, 200, lambda n: subs[n].info())
        settings = app.state.settings
        # Planned beforehand: the processes race for deliveries, not for the planning (which
        # one of them would do alone while the others, finding nothing due, exit when idle).
        Worker(app.state.session_factory, settings).plan_round(dt.datetime.now(dt.UTC))
        env = os.environ | {
            "FORTIFY_DATABASE_URL": database_url,
            "FORTIFY_ENVIRONMENT": "test",
            "FORTIFY_DATA_DIR": str(settings.data_dir),
            "FORTIFY_SECRET_KEY": settings.secret_key,
            "FORTIFY_LOG_LEVEL": "WARNING",
        }
        command = [sys.executable, "-c", "from fortify.cli import app; app()", "worker"]
        command += ["--batch", "5", "--exit-when-idle"]
        started = time.monotonic()
        workers = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(3)]
        for process in workers:
            assert process.wait(timeout=180) == 0
        elapsed = time.monotonic() - started
        assert peer.errors == []
        delivered = [p["occurrences"][0]["id"] for p in peer.payloads()]
        assert len(delivered) == 200, f"{len(delivered)} deliveries in {elapsed:.1f} s"
        assert len(set(delivered)) == 200
        with app.state.session_factory() as session:
            rows = session.execute(
                select(ReminderOccurrence.status, ReminderOccurrence.claimed_by).where(
                    ReminderOccurrence.due_at <= dt.datetime.now(dt.UTC)
                )
            ).all()
        assert Counter(status for status, _ in rows) == Counter({"sent": 200})
        # The three processes really shared the work.
        assert len({claimed_by.rsplit(":", 1)[0] for _, claimed_by in rows}) >= 2
