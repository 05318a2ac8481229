"""End to end over the wire: the worker sends through pywebpush to a real local push peer that
checks the VAPID JWT and decrypts the aes128gcm payload, as a browser's push service would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from sqlalchemy import select

from fortify.reminders.models import PushSubscription, ReminderOccurrence
from fortify.reminders.worker import MAX_ATTEMPTS, Worker
from tests.factories import Person
from tests.reminders.conftest import Clock, backdate, regimen_item, with_zone
from tests.reminders.push_peer import PeerSubscription, PushPeer

LONDON = ZoneInfo("Europe/London")
EARLY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def setup_person(app: FastAPI, person: Person, peer: PushPeer) -> tuple[str, PeerSubscription]:
    with_zone(person, "Europe/London")
    item = regimen_item(
        person, name="Calcium citrate 500 mg", kind="supplement", form="calcium_citrate"
    )
    sub = peer.subscribe()
    assert person.post("/api/v1/push/subscriptions", sub.info()).status_code == 201
    backdate(app, person, EARLY)
    return item, sub


def subscriptions(app: FastAPI) -> list[str]:
    with app.state.session_factory() as session:
        return list(session.scalars(select(PushSubscription.endpoint)))


class TestDelivery:
    def test_the_peer_decrypts_the_documented_payload(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        peer: PushPeer,
        make_worker: Callable[..., Worker],
    ) -> None:
        item, sub = setup_person(app, person, peer)
        clock.set(dt.datetime(2026, 11, 25, 8, 0, 20, tzinfo=LONDON))
        make_worker().run_once()
        assert peer.errors == []
        [payload] = peer.payloads(sub)
        [occurrence] = payload["occurrences"]
        assert payload == {
            "type": "reminder",
            "title": "Calcium citrate 500 mg",
            "body": "Time for your 08:00 dose.",
            "tag": f"fortify-reminder-{occurrence['id']}",
            "occurrences": [
                {
                    "id": occurrence["id"],
                    "reminder_id": occurrence["reminder_id"],
                    "regimen_item_id": item,
                    "kind": "dose",
                    "title": "Calcium citrate 500 mg",
                    "due_at": "2026-11-25T08:00:00Z",
                    "local_time": "08:00",
                    "dose_id": occurrence["dose_id"],
                }
            ],
            "actions": [
                {"action": "taken", "title": "Taken"},
                {"action": "snooze", "title": "Snooze 30 min"},
            ],
        }
        delivery = peer.deliveries[0]
        assert int(delivery.headers["ttl"]) == 4 * 3600
        assert delivery.headers["urgency"] == "high"
        assert delivery.claims["sub"] == app.state.settings.vapid_subject
        # "Taken" from the notification logs the dose the payload names.
        taken = person.post(f"/api/v1/reminders/occurrences/{occurrence['id']}/taken")
        assert taken.json()["dose_id"] == occurrence["dose_id"]

    def test_every_device_gets_it_once(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        peer: PushPeer,
        make_worker: Callable[..., Worker],
    ) -> None:
        _, phone = setup_person(app, person, peer)
        laptop = peer.subscribe()
        person.post("/api/v1/push/subscriptions", laptop.info())
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        worker = make_worker()
        worker.run_once()
        clock.advance(minutes=1)
        worker.run_once()
        assert len(peer.payloads(phone)) == len(peer.payloads(laptop)) == 1

    def test_a_gone_subscription_is_removed(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        peer: PushPeer,
        make_worker: Callable[..., Worker],
    ) -> None:
        _, sub = setup_person(app, person, peer)
        peer.answer(sub, 410)
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        make_worker().run_once()
        assert peer.refused == [(sub.token, 410)]
        assert subscriptions(app) == []
        assert person.get("/api/v1/push/subscriptions").json() == []

    def test_429_and_5xx_are_retried_with_backoff(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        peer: PushPeer,
        make_worker: Callable[..., Worker],
    ) -> None:
        _, sub = setup_person(app, person, peer)
        peer.answer(sub, 500)
        peer.answer(sub, 429, **{"Retry-After": "120"})
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        worker = make_worker()
        worker.run_once()  # 500: retry after 30 s
        clock.advance(seconds=29)
        worker.run_once()
        assert peer.refused == [(sub.token, 500)]
        clock.advance(seconds=1)
        worker.run_once()  # 429 with Retry-After: 120 s (longer than the 60 s backoff)
        assert peer.refused == [(sub.token, 500), (sub.token, 429)]
        clock.advance(seconds=119)
        worker.run_once()
        assert peer.payloads(sub) == []
        clock.advance(seconds=1)
        worker.run_once()
        assert len(peer.payloads(sub)) == 1
        with app.state.session_factory() as session:
            occ = session.scalars(
                select(ReminderOccurrence).where(ReminderOccurrence.status == "sent")
            ).one()
        assert occ.attempts == 3
        assert subscriptions(app) == [sub.endpoint]

    def test_an_unreachable_push_service_is_retried_then_given_up(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        peer: PushPeer,
        make_worker: Callable[..., Worker],
    ) -> None:
        setup_person(app, person, peer)
        with app.state.session_factory() as session, session.begin():
            sub = session.scalars(select(PushSubscription)).one()
            sub.endpoint = "http://127.0.0.1:9/push/closed"  # nothing listens on port 9
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        worker = make_worker()
        for _ in range(7):
            worker.run_once()
            clock.advance(minutes=16)
        with app.state.session_factory() as session:
            occ = session.scalars(
                select(ReminderOccurrence).where(
                    ReminderOccurrence.local_date == dt.date(2026, 11, 25)
                )
            ).one()
        assert (occ.status, occ.attempts) == ("failed", MAX_ATTEMPTS)
        assert "ConnectionError" in (occ.last_error or "")
