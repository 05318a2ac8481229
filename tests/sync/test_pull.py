from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from fortify.accounts.models import User
from fortify.cli import app as cli
from fortify.core.config import Settings, get_settings
from fortify.core.db import session_factory, session_scope, utcnow
from fortify.core.errors import InvalidInput
from fortify.entries.kinds import KINDS
from fortify.main import create_app
from fortify.sync.conflicts import record
from fortify.sync.entities import ENTITIES
from fortify.sync.pull import PurgeReport, purge_tombstones
from tests.factories import VALID, Person, dose, meal, measurement, regimen, symptom
from tests.sync.client import Device
from tests.sync.helpers import after_sign_up, delete, pull_all, push, upsert


def purge(engine: Engine, days_later: int) -> PurgeReport:
    for session in session_scope(session_factory(engine)):  # commits when the loop ends
        report = purge_tombstones(session, utcnow() + dt.timedelta(days=days_later))
    return report


class TestPull:
    def test_a_new_accounts_first_pull_is_its_profile_only(self, ann: Person) -> None:
        # Never saved, the profile is still in the first pull, with the created_at the phone
        # draws her first day from (the server's days.first_day): without it the phone scored
        # days before sign-up that the server leaves unscored.
        response = ann.get("/api/v1/sync/pull")
        assert response.status_code == 200
        page = response.json()
        assert page["has_more"] is False
        [profile] = page["changes"]
        me = ann.get("/api/v1/profile").json()
        assert (profile["entity"], profile["version"], profile["deleted"]) == ("profile", 1, False)
        made = dt.datetime.fromisoformat(profile["fields"]["created_at"])
        assert dt.timedelta(0) <= utcnow() - made < dt.timedelta(minutes=5)
        assert profile["fields"]["time_zone"] == me["time_zone"]
        again = ann.get("/api/v1/sync/pull", params={"cursor": page["cursor"]}).json()
        assert again["changes"] == []

    def test_changes_come_in_version_order_with_tombstones(self, ann: Person) -> None:
        a, b = upsert("meals", meal()), upsert("symptoms", symptom())
        results = push(ann, [a, b])
        [gone] = push(ann, [delete("meals", a["id"], results[0]["version"])])
        changes = after_sign_up(pull_all(ann)[0])
        assert [(c["entity"], c["id"], c["deleted"]) for c in changes] == [
            ("symptoms", b["id"], False),
            ("meals", a["id"], True),
        ]
        assert changes[1] == {
            "entity": "meals",
            "id": a["id"],
            "version": gone["version"],
            "deleted": True,
            "fields": None,
        }
        assert changes[0]["fields"]["worst_pain_0_10"] == 4

    def test_rest_writes_and_other_devices_are_in_the_feed(self, ann: Person) -> None:
        push(ann, [upsert("symptoms", symptom())], device="laptop")
        ann.post("/api/v1/meals", meal(name="Lunch"))
        ann.patch("/api/v1/profile", {"display_name": "Ann"})
        changes, _ = pull_all(ann)
        assert [c["entity"] for c in changes] == ["symptoms", "meals", "profile"]
        assert changes[1]["fields"]["name"] == "Lunch"
        assert changes[2]["id"] == ann.user_id
        assert changes[2]["fields"]["display_name"] == "Ann"

    def test_pages_follow_one_another_without_gaps_or_repeats(self, ann: Person) -> None:
        ops = [upsert("symptoms", symptom(worst_pain_0_10=i)) for i in range(10)]
        push(ann, ops)
        seen, cursor, pages = [], None, 0
        while True:
            params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
            page = ann.get("/api/v1/sync/pull", params=params).json()
            seen += [c["id"] for c in after_sign_up(page["changes"])]
            cursor, pages = page["cursor"], pages + 1
            if not page["has_more"]:
                break
        assert seen == [op["id"] for op in ops]
        assert pages == 4

    def test_a_record_written_twice_comes_once_at_its_newest_version(self, ann: Person) -> None:
        op = upsert("meals", meal(name="One"))
        [first] = push(ann, [op])
        _, cursor = pull_all(ann)
        push(ann, [upsert("meals", {"name": "Two"}, op["id"], first["version"])])
        push(ann, [upsert("meals", {"name": "Three"}, op["id"], first["version"] + 1)])
        changes, _ = pull_all(ann, cursor)
        assert [c["fields"]["name"] for c in changes] == ["Three"]

    def test_people_see_only_their_own_changes(self, ann: Person, bob: Person) -> None:
        push(ann, [upsert("meals", meal())])
        assert after_sign_up(pull_all(bob)[0]) == []

    def test_the_cursor_outlives_the_server_process(
        self, ann: Person, settings: Settings, engine: Engine
    ) -> None:
        push(ann, [upsert("meals", meal())])
        _, cursor = pull_all(ann)
        op = upsert("symptoms", symptom())
        push(ann, [op])
        with TestClient(create_app(settings, engine)) as restarted:
            page = restarted.get(
                "/api/v1/sync/pull", params={"cursor": cursor}, headers=ann.headers
            ).json()
        assert [c["id"] for c in page["changes"]] == [op["id"]]


class TestCursor:
    def test_the_cursor_is_opaque_text(self, ann: Person) -> None:
        push(ann, [upsert("meals", meal())])
        cursor = pull_all(ann)[1]
        # Change 1 is the profile, written when the account was made; 2 the meal.
        assert base64.urlsafe_b64decode(cursor + "==").decode() == "v1:2"

    @pytest.mark.parametrize("cursor", ["nonsense!", "djI6MQ", "djE6LTE"])  # v2:1, v1:-1
    def test_a_cursor_that_is_not_ours_is_refused(self, ann: Person, cursor: str) -> None:
        response = ann.get("/api/v1/sync/pull", params={"cursor": cursor})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "cursor"

    def test_a_cursor_ahead_of_the_server_means_resync(self, ann: Person) -> None:
        ahead = base64.urlsafe_b64encode(b"v1:99").decode().rstrip("=")
        response = ann.get("/api/v1/sync/pull", params={"cursor": ahead})
        assert response.status_code == 410
        assert response.json()["code"] == "cursor_expired"

    def test_the_limit_is_bounded(self, ann: Person) -> None:
        assert ann.get("/api/v1/sync/pull", params={"limit": 1001}).status_code == 422


class TestHorizon:
    def _deleted_meal(self, ann: Person) -> tuple[str, str]:
        """A meal created and deleted; returns (its id, a cursor from before the delete)."""
        op = upsert("meals", meal())
        [created] = push(ann, [op])
        _, cursor = pull_all(ann)
        push(ann, [delete("meals", op["id"], created["version"])])
        push(ann, [upsert("symptoms", symptom())])
        return op["id"], cursor

    def test_tombstones_are_kept_90_days(self, ann: Person, engine: Engine) -> None:
        _, cursor = self._deleted_meal(ann)
        assert purge(engine, days_later=89).people == 0
        changes, _ = pull_all(ann, cursor)
        assert [c["deleted"] for c in changes] == [True, False]

    def test_a_cursor_older_than_the_horizon_gets_410(self, ann: Person, engine: Engine) -> None:
        meal_id, cursor = self._deleted_meal(ann)
        _, newest = pull_all(ann)
        assert purge(engine, days_later=91).people == 1
        response = ann.get("/api/v1/sync/pull", params={"cursor": cursor})
        assert response.status_code == 410
        body = response.json()
        assert (body["code"], body["errors"][0]["field"]) == ("cursor_expired", "cursor")
        assert pull_all(ann, newest)[0] == []  # a cursor past the purge is still good
        full, _ = pull_all(ann)
        assert meal_id not in {c["id"] for c in full}

    def test_the_client_resyncs_from_scratch_and_keeps_its_outbox(
        self, ann: Person, engine: Engine, make_device: Callable[..., Device]
    ) -> None:
        phone = make_device(ann)
        phone.create("meals", meal(name="Kept"))
        phone.sync()
        kept = next(iter(phone.confirmed))
        gone = phone.create("symptoms", symptom())
        phone.sync()
        phone.delete("symptoms", gone.id)
        phone.push()  # the phone does not pull: its cursor stays before the delete
        purge(engine, days_later=91)
        pending = phone.edit("meals", kept[1], {"note": "written offline"})
        phone.pull()
        assert phone.resyncs == 1
        assert phone.outbox == [pending]
        assert ("symptoms", gone.id) not in phone.view()
        phone.sync()
        assert phone.view()[kept]["note"] == "written offline"

    def test_the_retention_cannot_be_shortened(self, engine: Engine) -> None:
        for session in session_scope(session_factory(engine)):
            with pytest.raises(InvalidInput):
                purge_tombstones(session, utcnow(), dt.timedelta(days=30))

    def test_the_purge_command(
        self, ann: Person, database_url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        self._deleted_meal(ann)
        monkeypatch.setenv("FORTIFY_DATABASE_URL", database_url)
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(cli, ["sync", "purge"])
        finally:
            get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        assert "purged tombstones of 0 people" in result.output  # nothing is 90 days old yet
        assert CliRunner().invoke(cli, ["sync", "purge", "--days", "7"]).exit_code != 0


class TestFeedShape:
    def test_every_entity_is_pulled_as_its_stored_fields(self, ann: Person, engine: Engine) -> None:
        """The pull passes JSON columns on as stored: the same records as reading each one
        through its adapter (what push answers and conflicts use)."""
        item = upsert("regimen", VALID["regimen"](started_on="2026-01-05"))
        ops = [item] + [upsert(kind, VALID[kind]()) for kind in sorted(KINDS) if kind != "regimen"]
        ops += [
            upsert("doses", dose(regimen_item_id=item["id"])),
            upsert("measurements", measurement(weight_kg=None, weight_lb=150.5)),
            upsert("meals", meal(note="çà \\u2603 \U0001f95b", items=[])),
            upsert("custom_foods", {"name": "Kefir", "portions": [{"label": "1", "grams": 2}]}),
            upsert("profile", {"display_name": "Ann"}, ann.user_id),
            upsert("reminders", {"kind": "custom", "title": "Stretch", "times": ["08:00"]}),
        ]
        results = push(ann, ops)
        assert {r["status"] for r in results} == {"applied"}, results
        push(ann, [delete("labs", ops[[o["entity"] for o in ops].index("labs")]["id"], None)])
        changes, _ = pull_all(ann, limit=3)
        user = None
        for session in session_scope(session_factory(engine)):
            user = session.get(User, uuid.UUID(ann.user_id))
            assert user is not None
            for change in changes:
                entity = ENTITIES[change["entity"]]
                entity_id = uuid.UUID(change["id"])
                handle = entity.load(session, user, [entity_id])[entity_id]
                expected = record(entity, entity_id, entity.state(handle))
                assert change == json.loads(json.dumps(expected)), change["entity"]
        assert {c["entity"] for c in changes} >= set(KINDS) | {
            "custom_foods",
            "profile",
            "reminders",
        }


class TestRegimenCreationTime:
    """A regimen item's start (PROTOCOL §1) reads its creation time, so the PWA's engine needs
    the server's: pulls carry it, read-only, and a client that sends it back is not refused."""

    def test_a_pull_carries_created_at_and_set_by_care_team(self, ann: Person) -> None:
        fields = regimen() | {"set_by_care_team": True}
        (answer,) = push(ann, [upsert("regimen", fields)])
        assert answer["status"] == "applied"
        changes, _ = pull_all(ann)
        (item,) = [c for c in changes if c["entity"] == "regimen"]
        stored = ann.get(f"/api/v1/regimen/{item['id']}").json()
        assert item["fields"]["set_by_care_team"] is True
        created = dt.datetime.fromisoformat(item["fields"]["created_at"])
        assert created == dt.datetime.fromisoformat(stored["created_at"])

    def test_created_at_sent_back_is_ignored(self, ann: Person) -> None:
        item_id = str(uuid.uuid4())
        push(ann, [upsert("regimen", regimen(), entity_id=item_id)])
        changes, _ = pull_all(ann)
        pulled = next(c for c in changes if c["id"] == item_id)
        edit = pulled["fields"] | {"name": "Renamed", "created_at": "2001-01-01T00:00:00+00:00"}
        (answer,) = push(ann, [upsert("regimen", edit, item_id, pulled["version"])])
        assert answer["status"] == "applied", answer
        stored = ann.get(f"/api/v1/regimen/{item_id}").json()
        assert stored["name"] == "Renamed"
        assert dt.datetime.fromisoformat(stored["created_at"]) == dt.datetime.fromisoformat(
            pulled["fields"]["created_at"]
        )
