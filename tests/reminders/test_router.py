"""The reminder routes: CRUD with client ids, isolation, implicit dose reminders, snooze and
skip, the in-app banner, "Taken", push subscriptions and settings."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fortify.core.config import Settings
from fortify.core.errors import InvalidInput
from fortify.reminders import push
from fortify.reminders.service import implicit_reminder_id
from tests.factories import PASSWORD, Person, regimen, sign_up
from tests.reminders.conftest import Clock, backdate, regimen_item, reminder, with_zone
from tests.reminders.push_peer import PushPeer
from tests.sync.helpers import after_sign_up

LONDON = ZoneInfo("Europe/London")
EARLY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def london(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=LONDON)


class TestCrud:
    def test_a_reminder_is_created_read_changed_and_deleted(self, person: Person) -> None:
        rid = str(uuid.uuid4())
        created = person.post("/api/v1/reminders", reminder(id=rid, days_of_week=[4, 0]))
        assert created.status_code == 201, created.text
        assert created.json()["days_of_week"] == [0, 4]
        assert person.get(f"/api/v1/reminders/{rid}").json()["title"] == "Stretch"
        patched = person.patch(f"/api/v1/reminders/{rid}", {"times": ["07:30", "19:00"]})
        assert patched.json()["times"] == ["07:30", "19:00"]
        assert patched.json()["version"] > created.json()["version"]
        replaced = person.put(f"/api/v1/reminders/{rid}", reminder(title="Walk", kind="workout"))
        assert replaced.json()["kind"] == "workout"
        assert person.delete(f"/api/v1/reminders/{rid}").status_code == 204
        assert person.get(f"/api/v1/reminders/{rid}").status_code == 404

    def test_a_retried_create_is_answered_again(self, person: Person) -> None:
        body = reminder(id=str(uuid.uuid4()))
        assert person.post("/api/v1/reminders", body).status_code == 201
        assert person.post("/api/v1/reminders", body).status_code == 200
        assert len(person.get("/api/v1/reminders").json()) == 1

    def test_another_persons_reminder_is_not_found(
        self, client: TestClient, person: Person
    ) -> None:
        rid = person.post("/api/v1/reminders", reminder()).json()["id"]
        other = sign_up(client)
        assert other.get(f"/api/v1/reminders/{rid}").status_code == 404
        assert other.patch(f"/api/v1/reminders/{rid}", {"title": "x"}).status_code == 404
        assert other.delete(f"/api/v1/reminders/{rid}").status_code == 404
        assert other.post(f"/api/v1/reminders/{rid}/snooze", {"minutes": 5}).status_code == 404
        assert other.get("/api/v1/reminders").json() == []

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            (reminder(times=["25:00"]), "times"),
            (reminder(times=[]), "times"),
            (reminder(kind="dose"), "regimen_item_id"),
            (reminder(kind="lab"), "lab_flag"),
            (reminder(days_of_week=[7]), "days_of_week[0]"),
        ],
    )
    def test_invalid_reminders_name_the_field(
        self, person: Person, body: dict[str, Any], field: str
    ) -> None:
        response = person.post("/api/v1/reminders", body)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field

    def test_a_dose_reminder_must_name_ones_own_regimen_item(
        self, client: TestClient, person: Person
    ) -> None:
        item = regimen_item(sign_up(client))
        response = person.post(
            "/api/v1/reminders", reminder(kind="dose", regimen_item_id=item, times=None)
        )
        assert response.status_code == 422
        assert response.json()["errors"][0] == {
            "field": "regimen_item_id",
            "rule": "exists",
            "detail": "No regimen item with this id.",
        }

    def test_reminders_travel_through_sync(self, person: Person) -> None:
        rid = str(uuid.uuid4())
        pushed = person.post(
            "/api/v1/sync/push",
            {
                "device_id": "phone",
                "operations": [
                    {
                        "op_id": str(uuid.uuid4()),
                        "entity": "reminders",
                        "id": rid,
                        "kind": "upsert",
                        "base_version": None,
                        "fields": reminder(title="Calcium"),
                    }
                ],
            },
        )
        assert pushed.json()["results"][0]["status"] == "applied", pushed.text
        changes = after_sign_up(person.get("/api/v1/sync/pull").json()["changes"])
        assert [(c["entity"], c["id"], c["fields"]["title"]) for c in changes] == [
            ("reminders", rid, "Calcium")
        ]


class TestImplicitDoseReminders:
    def test_a_scheduled_regimen_item_has_a_dose_reminder(self, person: Person) -> None:
        item = regimen_item(person, schedule_times=["08:00", "20:00"])
        listed = person.get("/api/v1/reminders").json()
        assert [(r["id"], r["kind"], r["implicit"], r["effective_times"]) for r in listed] == [
            (str(implicit_reminder_id(uuid.UUID(item))), "dose", True, ["08:00", "20:00"])
        ]

    def test_an_item_taken_on_some_days_is_reminded_on_those_days_only(
        self, person: Person
    ) -> None:
        # A medicine not taken daily, made through the API with no reminder of its own: its
        # implicit reminder has the item's days, not every day (issue #14).
        item = regimen_item(
            person, prescribed_daily=False, schedule_times=["08:00"], schedule_days=[3, 0]
        )
        listed = person.get("/api/v1/reminders").json()
        assert [(r["id"], r["days_of_week"], r["effective_times"]) for r in listed] == [
            (str(implicit_reminder_id(uuid.UUID(item))), [0, 3], ["08:00"])
        ]

    def test_an_item_without_days_is_reminded_every_day(self, person: Person) -> None:
        regimen_item(person, prescribed_daily=False, schedule_times=["08:00"])
        assert [r["days_of_week"] for r in person.get("/api/v1/reminders").json()] == [None]

    def test_a_stored_reminder_keeps_its_own_days(self, person: Person) -> None:
        item = regimen_item(person, schedule_days=[0, 3])
        rid = str(implicit_reminder_id(uuid.UUID(item)))
        changed = person.patch(f"/api/v1/reminders/{rid}", {"days_of_week": [5]})
        assert changed.status_code == 200, changed.text
        assert [r["days_of_week"] for r in person.get("/api/v1/reminders").json()] == [[5]]

    @pytest.mark.parametrize(
        ("days", "rule"), [([0, 0], "unique"), ([7], "less_than_equal"), ([], "too_short")]
    )
    def test_an_items_days_are_checked(self, person: Person, days: list[int], rule: str) -> None:
        refused = person.post("/api/v1/regimen", regimen(schedule_days=days))
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert rule in refused.text and "schedule_days" in refused.text

    def test_an_item_without_times_or_paused_has_none(self, person: Person) -> None:
        regimen_item(person, schedule_times=[])
        regimen_item(person, active=False)
        assert person.get("/api/v1/reminders").json() == []

    def test_snoozing_it_stores_it_under_the_same_id(self, person: Person, clock: Clock) -> None:
        item = regimen_item(person)
        rid = str(implicit_reminder_id(uuid.UUID(item)))
        snoozed = person.post(f"/api/v1/reminders/{rid}/snooze", {"minutes": 60})
        assert snoozed.status_code == 200, snoozed.text
        assert snoozed.json()["times"] is None  # still follows the item's times
        listed = person.get("/api/v1/reminders").json()
        assert [(r["id"], r["implicit"], r["effective_times"]) for r in listed] == [
            (rid, False, ["08:00"])
        ]
        assert dt.datetime.fromisoformat(listed[0]["snoozed_until"]) == clock() + dt.timedelta(
            hours=1
        )

    def test_a_stored_reminder_of_a_paused_item_is_listed_but_silent(self, person: Person) -> None:
        item = regimen_item(person)
        rid = str(implicit_reminder_id(uuid.UUID(item)))
        person.post(f"/api/v1/reminders/{rid}/skip-today")
        person.patch(f"/api/v1/regimen/{item}", {"active": False})
        listed = person.get("/api/v1/reminders").json()
        assert [(r["id"], r["effective_times"]) for r in listed] == [(rid, [])]

    def test_turning_it_off_keeps_it_off(self, person: Person) -> None:
        rid = str(implicit_reminder_id(uuid.UUID(regimen_item(person))))
        assert person.patch(f"/api/v1/reminders/{rid}", {"enabled": False}).status_code == 200
        assert [r["enabled"] for r in person.get("/api/v1/reminders").json()] == [False]

    def test_skip_today_uses_the_local_day(self, person: Person, clock: Clock) -> None:
        with_zone(person, "Pacific/Auckland")
        clock.set(dt.datetime(2026, 11, 25, 20, 0, tzinfo=dt.UTC))  # already the 26th there
        rid = person.post("/api/v1/reminders", reminder()).json()["id"]
        skipped = person.post(f"/api/v1/reminders/{rid}/skip-today")
        assert skipped.json()["skip_on"] == "2026-11-26"


class TestBannerAndTaken:
    def _due_at_eight(self, app: FastAPI, person: Person, clock: Clock) -> tuple[str, list[Any]]:
        with_zone(person, "Europe/London")
        item = regimen_item(person)
        backdate(app, person, EARLY)
        clock.set(london(25, 8, 5))
        return item, person.get("/api/v1/reminders/due").json()

    def test_a_due_dose_shows_with_its_dose_id(
        self, app: FastAPI, person: Person, clock: Clock
    ) -> None:
        item, due = self._due_at_eight(app, person, clock)
        assert len(due) == 1
        assert due[0]["regimen_item_id"] == item
        assert due[0]["local_time"] == "08:00"
        assert dt.datetime.fromisoformat(due[0]["due_at"]) == london(25, 8)
        assert due[0]["dose_id"] is not None

    def test_nothing_is_due_before_its_time(
        self, app: FastAPI, person: Person, clock: Clock
    ) -> None:
        with_zone(person, "Europe/London")
        regimen_item(person)
        backdate(app, person, EARLY)
        clock.set(london(25, 7, 59))
        assert person.get("/api/v1/reminders/due").json() == []

    def test_taken_logs_exactly_one_dose(self, app: FastAPI, person: Person, clock: Clock) -> None:
        item, due = self._due_at_eight(app, person, clock)
        occurrence = due[0]["id"]
        first = person.post(f"/api/v1/reminders/occurrences/{occurrence}/taken")
        again = person.post(f"/api/v1/reminders/occurrences/{occurrence}/taken")
        assert first.status_code == again.status_code == 200, first.text
        assert first.json()["dose_created"] is True
        assert again.json()["dose_created"] is False
        assert first.json()["dose_id"] == again.json()["dose_id"] == due[0]["dose_id"]
        doses = person.get("/api/v1/doses").json()["items"]
        assert [(d["id"], d["regimen_item_id"]) for d in doses] == [(due[0]["dose_id"], item)]
        assert person.get("/api/v1/reminders/due").json() == []

    def test_a_write_only_token_cannot_act_on_an_occurrence(
        self, app: FastAPI, person: Person, clock: Clock
    ) -> None:
        # F7: an action's answer tells what she did with the reminder already (snooze answered
        # "pending" or "done", taken `dose_created` true or false): a write-only token, which
        # reads nothing, may not act on one. It changes nothing; a read+write token may.
        _item, due = self._due_at_eight(app, person, clock)
        occurrence = due[0]["id"]
        for scopes, allowed in ((["write"], False), (["read"], False), (["read", "write"], True)):
            token = person.post("/api/v1/tokens", {"name": "t", "scopes": scopes}).json()["token"]
            caller = Person(person.client, person.email, token, person.user_id)
            snoozed = caller.post(
                f"/api/v1/reminders/occurrences/{occurrence}/snooze", {"minutes": 5}
            )
            taken = caller.post(f"/api/v1/reminders/occurrences/{occurrence}/taken")
            if allowed:
                assert (snoozed.status_code, taken.status_code) == (200, 200), taken.text
                assert taken.json()["dose_created"] is True
                continue
            for refused in (snoozed, taken):
                assert refused.status_code == 403, refused.text
                body = refused.json()
                assert body["status"] == 403 and "dose_created" not in body
                [missing] = [s for s in ("read", "write") if s not in scopes]
                assert [(e["field"], e["rule"]) for e in body["errors"]] == [("scope", missing)]
            # Nothing happened: still due, no dose logged.
            assert [d["id"] for d in person.get("/api/v1/reminders/due").json()] == [occurrence]
            assert person.get("/api/v1/doses").json()["items"] == []
        assert [d["id"] for d in person.get("/api/v1/doses").json()["items"]] == [due[0]["dose_id"]]

    def test_a_dose_logged_offline_with_the_dose_id_makes_taken_a_no_op(
        self, app: FastAPI, person: Person, clock: Clock
    ) -> None:
        item, due = self._due_at_eight(app, person, clock)
        # The service worker's outbox sends the dose with the payload's dose_id …
        logged = person.post(
            "/api/v1/doses",
            {"id": due[0]["dose_id"], "regimen_item_id": item, "taken_at": clock().isoformat()},
        )
        assert logged.status_code == 201
        # … and a later "Taken" for the same occurrence logs nothing more.
        taken = person.post(f"/api/v1/reminders/occurrences/{due[0]['id']}/taken")
        assert taken.json()["dose_created"] is False
        assert len(person.get("/api/v1/doses").json()["items"]) == 1

    def test_a_logged_dose_takes_the_reminder_off_the_banner(
        self, app: FastAPI, person: Person, clock: Clock
    ) -> None:
        item, due = self._due_at_eight(app, person, clock)
        assert len(due) == 1
        person.post(
            "/api/v1/doses", {"regimen_item_id": item, "taken_at": london(25, 7, 40).isoformat()}
        )
        assert person.get("/api/v1/reminders/due").json() == []

    def test_a_snoozed_occurrence_comes_back_after_the_snooze(
        self, app: FastAPI, person: Person, clock: Clock
    ) -> None:
        _, due = self._due_at_eight(app, person, clock)
        snoozed = person.post(f"/api/v1/reminders/occurrences/{due[0]['id']}/snooze", {})
        assert snoozed.status_code == 200
        assert person.get("/api/v1/reminders/due").json() == []
        clock.advance(minutes=30)
        assert [o["id"] for o in person.get("/api/v1/reminders/due").json()] == [due[0]["id"]]

    def test_skip_today_takes_it_off_the_banner(
        self, app: FastAPI, person: Person, clock: Clock
    ) -> None:
        _, due = self._due_at_eight(app, person, clock)
        person.post(f"/api/v1/reminders/{due[0]['reminder_id']}/skip-today")
        assert person.get("/api/v1/reminders/due").json() == []

    def test_another_persons_occurrence_is_not_found(
        self, app: FastAPI, client: TestClient, person: Person, clock: Clock
    ) -> None:
        _, due = self._due_at_eight(app, person, clock)
        other = sign_up(client)
        assert other.post(f"/api/v1/reminders/occurrences/{due[0]['id']}/taken").status_code == 404


class TestPushSubscriptions:
    def test_the_vapid_key_is_a_p256_point(self, client: TestClient) -> None:
        key = client.get("/api/v1/push/vapid-public-key").json()["public_key"]
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
        assert len(raw) == 65 and raw[0] == 4

    def test_the_vapid_key_is_kept(self, app: FastAPI, client: TestClient) -> None:
        first = client.get("/api/v1/push/vapid-public-key").json()["public_key"]
        push._keys.clear()
        assert client.get("/api/v1/push/vapid-public-key").json()["public_key"] == first
        assert (app.state.settings.data_dir / push.VAPID_KEY_FILE).stat().st_mode & 0o077 == 0

    def test_subscribe_list_and_unsubscribe(
        self, client: TestClient, person: Person, peer: PushPeer
    ) -> None:
        info = peer.subscribe().info()
        created = person.post("/api/v1/push/subscriptions", info | {"device_name": "Pixel"})
        assert created.status_code == 201, created.text
        assert person.post("/api/v1/push/subscriptions", info).status_code == 200
        listed = person.get("/api/v1/push/subscriptions").json()
        assert [s["endpoint"] for s in listed] == [info["endpoint"]]
        sub_id = created.json()["id"]
        assert sign_up(client).delete(f"/api/v1/push/subscriptions/{sub_id}").status_code == 404
        assert person.delete(f"/api/v1/push/subscriptions/{sub_id}").status_code == 204
        assert person.get("/api/v1/push/subscriptions").json() == []

    @pytest.mark.parametrize(
        ("field", "value", "rule"),
        [
            ("p256dh", "A" * 87, "p256_point"),  # 65 zero bytes: no uncompressed point
            ("p256dh", "B" + "A" * 86, "p256_point"),  # 0x04 then zeros: (0, 0) is off the curve
            ("p256dh", "B" + "A" * 90, "p256_point"),  # too long to be one
            ("auth", "A" * 16, "auth_secret"),  # 12 bytes, not 16
            ("auth", "A" * 30, "auth_secret"),
        ],
    )
    def test_keys_that_cannot_encrypt_are_refused_naming_the_field(
        self, person: Person, peer: PushPeer, field: str, value: str, rule: str
    ) -> None:
        # F1: a key nothing can be encrypted to broke every delivery to the person.
        info = peer.subscribe().info()
        info["keys"][field] = value
        refused = person.post("/api/v1/push/subscriptions", info)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        [error] = refused.json()["errors"]
        assert (error["field"], error["rule"]) == (f"keys.{field}", rule)
        assert person.get("/api/v1/push/subscriptions").json() == []

    def test_padded_keys_are_accepted(self, person: Person, peer: PushPeer) -> None:
        info = peer.subscribe().info()
        keys = info["keys"]
        info["keys"] = {name: key + "=" * (-len(key) % 4) for name, key in keys.items()}
        assert person.post("/api/v1/push/subscriptions", info).status_code == 201

    def test_an_endpoint_posted_by_another_person_is_their_own_row_never_a_move(
        self, client: TestClient, person: Person, peer: PushPeer
    ) -> None:
        info = peer.subscribe().info()
        mine = person.post("/api/v1/push/subscriptions", info).json()
        other = sign_up(client)
        theirs = other.post("/api/v1/push/subscriptions", info | {"device_name": "x"})
        assert theirs.status_code == 201
        assert theirs.json()["id"] != mine["id"]
        # She still gets her medicine reminders at that endpoint; nothing of hers changed.
        assert person.get("/api/v1/push/subscriptions").json() == [mine]
        assert [s["id"] for s in other.get("/api/v1/push/subscriptions").json()] == [
            theirs.json()["id"]
        ]

    def test_signing_the_device_out_ends_its_subscription(
        self, client: TestClient, person: Person, peer: PushPeer
    ) -> None:
        info = peer.subscribe().info()
        laptop = client.post(
            "/api/v1/sessions", json={"email": person.email, "password": PASSWORD}
        ).json()["token"]
        laptop_headers = {"Authorization": f"Bearer {laptop}"}
        client.post("/api/v1/push/subscriptions", headers=laptop_headers, json=info)
        assert len(person.get("/api/v1/push/subscriptions").json()) == 1
        client.delete("/api/v1/sessions/current", headers=laptop_headers)
        assert person.get("/api/v1/push/subscriptions").json() == []

    @pytest.mark.parametrize(
        "endpoint",
        [
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://127.0.0.1/push/abc",
            "https://[::1]/push/abc",
            "https://169.254.169.254/latest",
            "https://internal.example.com/push",
            "https://fcm.googleapis.com:8443/fcm/send/abc",
            "https://user:pw@fcm.googleapis.com/fcm/send/abc",
            "file:///etc/passwd",
        ],
    )
    def test_outside_tests_only_https_push_services_are_accepted(
        self, tmp_path: Path, endpoint: str
    ) -> None:
        settings = Settings(environment="development", data_dir=tmp_path, secret_key="x" * 40)
        with pytest.raises(InvalidInput):
            push.check_endpoint(endpoint, settings)

    @pytest.mark.parametrize(
        "endpoint",
        [
            "https://fcm.googleapis.com/fcm/send/abc",
            "https://updates.push.services.mozilla.com/wpush/v2/abc",
            "https://web.push.apple.com/QGx",
            "https://wns2-par02p.notify.windows.com/w/?token=abc",
        ],
    )
    def test_the_browsers_push_services_are_accepted(self, tmp_path: Path, endpoint: str) -> None:
        settings = Settings(environment="development", data_dir=tmp_path, secret_key="x" * 40)
        push.check_endpoint(endpoint, settings)


class TestSettings:
    def test_the_default_vapid_subject_is_refused_in_production(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="VAPID_SUBJECT"):
            Settings(environment="production", data_dir=tmp_path, secret_key="s" * 40)
        Settings(
            environment="production",
            data_dir=tmp_path,
            secret_key="s" * 40,
            vapid_subject="mailto:care@clinic.example",
        )

    @pytest.mark.parametrize(
        "subject", ["admin@example.com", "http://example.com", "mailto:nobody"]
    )
    def test_the_vapid_subject_must_be_mailto_or_https(self, tmp_path: Path, subject: str) -> None:
        with pytest.raises(ValueError, match="VAPID_SUBJECT"):
            Settings(data_dir=tmp_path, vapid_subject=subject)

    def test_the_worker_runs_by_default_except_in_tests(self, tmp_path: Path) -> None:
        assert Settings(data_dir=tmp_path).worker_enabled
        assert not Settings(data_dir=tmp_path, environment="test").worker_enabled
        assert not Settings(data_dir=tmp_path, run_worker=False).worker_enabled
