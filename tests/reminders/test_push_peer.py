"""End to end over the wire: the worker sends through pywebpush to a real local push peer that
checks the VAPID JWT and decrypts the aes128gcm payload, as a browser's push service would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from fortify.reminders import push
from fortify.reminders.models import PushSubscription, ReminderOccurrence
from fortify.reminders.worker import MAX_ATTEMPTS, Worker
from tests.factories import Person
from tests.reminders.conftest import Clock, add_subscription, backdate, regimen_item, with_zone
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


def store_broken(app: FastAPI, person: Person, peer: PushPeer, p256dh: str) -> PeerSubscription:
    """A subscription stored with keys nothing can be encrypted to (as one registered before
    the keys were checked was): the peer knows the endpoint, the server holds the bad key."""
    broken = peer.subscribe()
    sub_id = add_subscription(app, person, endpoint=broken.endpoint)
    with app.state.session_factory() as session, session.begin():
        row = session.get(PushSubscription, sub_id)
        assert row is not None
        row.p256dh = p256dh
    return broken


def the_occurrence(app: FastAPI) -> ReminderOccurrence:
    session: Session
    with app.state.session_factory() as session:
        return session.scalars(
            select(ReminderOccurrence).where(ReminderOccurrence.local_date == dt.date(2026, 11, 25))
        ).one()


class TestOneBrokenDevice:
    """F1: one device that cannot get a message never keeps the person's other devices from
    getting it, and they get it once."""

    def deliver(self, clock: Clock, worker: Worker, rounds: int = 4) -> None:
        clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=LONDON))
        for _ in range(rounds):
            worker.run_once()
            clock.advance(minutes=16)

    @pytest.mark.parametrize(
        "p256dh",
        [
            "A" * 87,  # decodes to 65 zero bytes: no point
            "B" + "A" * 86,  # 0x04 then zeros: the point (0, 0), off the curve
            "BAAA",  # too short to be a point
        ],
    )
    def test_a_stored_key_that_cannot_encrypt_is_removed_and_her_phone_still_gets_it(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        peer: PushPeer,
        make_worker: Callable[..., Worker],
        p256dh: str,
    ) -> None:
        _, phone = setup_person(app, person, peer)
        broken = store_broken(app, person, peer, p256dh)
        self.deliver(clock, make_worker())
        assert peer.errors == []
        assert len(peer.payloads(phone)) == 1
        assert peer.payloads(broken) == []
        assert subscriptions(app) == [phone.endpoint]
        occ = the_occurrence(app)
        assert occ.status == "sent"
        assert "keys.p256dh" in (occ.last_error or "")

    def test_a_device_that_refuses_keeps_its_row_and_her_phone_gets_it_once(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        peer: PushPeer,
        make_worker: Callable[..., Worker],
    ) -> None:
        _, phone = setup_person(app, person, peer)
        tablet = peer.subscribe()
        assert person.post("/api/v1/push/subscriptions", tablet.info()).status_code == 201
        peer.answer(tablet, 400)
        self.deliver(clock, make_worker())
        assert len(peer.payloads(phone)) == 1
        assert peer.refused == [(tablet.token, 400)]
        assert the_occurrence(app).status == "sent"
        with app.state.session_factory() as session:
            failures = session.scalar(
                select(PushSubscription.failures).where(
                    PushSubscription.endpoint == tablet.endpoint
                )
            )
        assert failures == 1

    def test_a_device_whose_service_fails_is_retried_alone(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        peer: PushPeer,
        make_worker: Callable[..., Worker],
    ) -> None:
        _, phone = setup_person(app, person, peer)
        tablet = peer.subscribe()
        assert person.post("/api/v1/push/subscriptions", tablet.info()).status_code == 201
        peer.answer(tablet, 500, 503)
        self.deliver(clock, make_worker())
        assert len(peer.payloads(phone)) == 1
        assert len(peer.payloads(tablet)) == 1  # the third try
        assert peer.refused == [(tablet.token, 500), (tablet.token, 503)]
        occ = the_occurrence(app)
        assert (occ.status, occ.attempts) == ("sent", 3)

    def test_a_send_that_raises_for_one_device_is_that_devices_failure(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        peer: PushPeer,
        make_worker: Callable[..., Worker],
    ) -> None:
        _, phone = setup_person(app, person, peer)
        tablet = peer.subscribe()
        assert person.post("/api/v1/push/subscriptions", tablet.info()).status_code == 201

        def sender(info: dict[str, Any], body: str, settings: Any) -> push.PushResult:
            if info["endpoint"] == tablet.endpoint:
                raise RuntimeError("the encryption library broke on this one")
            return push.send(info, body, settings)

        self.deliver(clock, make_worker(sender))
        assert len(peer.payloads(phone)) == 1
        assert peer.payloads(tablet) == []
        occ = the_occurrence(app)
        assert occ.status == "sent"
        assert "RuntimeError" in (occ.last_error or "")
        assert sorted(subscriptions(app)) == sorted([phone.endpoint, tablet.endpoint])

    def test_an_unreachable_device_does_not_hold_up_her_phone(
        self,
        app: FastAPI,
        person: Person,
        clock: Clock,
        peer: PushPeer,
        make_worker: Callable[..., Worker],
    ) -> None:
        _, phone = setup_person(app, person, peer)
        closed = {**peer.subscribe().info(), "endpoint": "http://127.0.0.1:9/push/closed"}
        assert person.post("/api/v1/push/subscriptions", closed).status_code == 201
        self.deliver(clock, make_worker(), rounds=8)
        assert len(peer.payloads(phone)) == 1
        occ = the_occurrence(app)
        assert (occ.status, occ.attempts) == ("sent", MAX_ATTEMPTS)
        assert "ConnectionError" in (occ.last_error or "")
