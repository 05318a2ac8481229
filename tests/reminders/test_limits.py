"""Per-person caps (core/limits.py, F6): past one, a create is a 409 `too_many` saying what to
remove; removing one makes room. The caps are lowered here so that each test makes a few."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fortify.catalog.custom_foods import CustomFoodKind
from fortify.core import limits
from fortify.entries.kinds import RegimenKind
from fortify.reminders.effective import implicit_reminder_id
from fortify.reminders.records import ReminderKind
from tests.factories import Person, sign_up
from tests.reminders.push_peer import PushPeer
from tests.sync.helpers import delete, push, upsert

CAP = 3


def _refused(response: Any, words: str) -> None:
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    error = response.json()["errors"][0]
    assert error["rule"] == "too_many"
    assert f"most one account may keep is {CAP}" in error["detail"]
    assert words in error["detail"]


@pytest.fixture
def person(client: TestClient) -> Person:
    return sign_up(client)


@pytest.fixture(autouse=True)
def _low_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MAX_PUSH_SUBSCRIPTIONS", "MAX_ACCESS_TOKENS", "MAX_CALENDAR_LINKS"):
        monkeypatch.setattr(limits, name, CAP)
    for kind in (ReminderKind, CustomFoodKind, RegimenKind):
        assert kind.per_person is not None
        monkeypatch.setattr(kind, "per_person", (CAP, *kind.per_person[1:]))


def _fill(make: Callable[[int], Any]) -> list[Any]:
    made = [make(n) for n in range(CAP)]
    assert all(r.status_code == 201 for r in made), [r.text for r in made]
    return made


class TestCaps:
    def test_push_subscriptions(self, person: Person, peer: PushPeer) -> None:
        def make(_: int) -> Any:
            return person.post("/api/v1/push/subscriptions", peer.subscribe().info())

        made = _fill(make)
        _refused(make(0), "Turn reminders off on a device you no longer use")
        again = made[0].json()
        # the same device again is an update, not one more
        assert person.get("/api/v1/push/subscriptions").status_code == 200
        assert person.delete(f"/api/v1/push/subscriptions/{again['id']}").status_code == 204
        assert make(0).status_code == 201

    def test_access_tokens(self, person: Person) -> None:
        def make(n: int) -> Any:
            return person.post("/api/v1/tokens", {"name": f"script {n}", "scopes": ["read"]})

        made = _fill(make)
        _refused(make(9), "Revoke a token you no longer use")
        assert person.delete(f"/api/v1/tokens/{made[0].json()['id']}").status_code == 204
        assert make(9).status_code == 201

    def test_calendar_links(self, person: Person) -> None:
        def make(n: int) -> Any:
            return person.post("/api/v1/calendar-feeds", {"name": f"Calendar {n}"})

        made = _fill(make)
        _refused(make(9), "Revoke a link no calendar uses any more")
        assert person.delete(f"/api/v1/calendar-feeds/{made[0].json()['id']}").status_code == 204
        assert make(9).status_code == 201

    def test_reminders(self, person: Person) -> None:
        def make(n: int) -> Any:
            body = {"kind": "custom", "title": f"Walk {n}", "times": ["08:00"]}
            return person.post("/api/v1/reminders", body)

        made = _fill(make)
        _refused(make(9), "Delete a reminder you no longer need")
        assert person.delete(f"/api/v1/reminders/{made[0].json()['id']}").status_code == 204
        assert make(9).status_code == 201

    def test_own_foods(self, person: Person) -> None:
        def make(n: int) -> Any:
            return person.post("/api/v1/foods/custom", {"name": f"Granola {n}"})

        made = _fill(make)
        _refused(make(9), "Delete foods you no longer use")
        assert person.delete(f"/api/v1/foods/custom/{made[0].json()['id']}").status_code == 204
        assert make(9).status_code == 201

    def test_one_persons_count_is_not_anothers(self, client: TestClient, person: Person) -> None:
        _fill(lambda n: person.post("/api/v1/calendar-feeds", {"name": f"Calendar {n}"}))
        other = sign_up(client)
        assert other.post("/api/v1/calendar-feeds", {"name": "Mine"}).status_code == 201


class TestCapsOnEveryPath:
    """Sync and the JSON import reached the capped kinds past the REST create's count (outside
    re-check N3: 150 reminders by sync, 6,000 own foods by import)."""

    @pytest.mark.parametrize(
        ("entity", "fields", "words"),
        [
            (
                "reminders",
                {"kind": "custom", "title": "Walk", "times": ["08:00"]},
                "Delete a reminder you no longer need",
            ),
            ("custom_foods", {"name": "Granola"}, "Delete foods you no longer use"),
        ],
    )
    def test_a_sync_push_refuses_the_one_past_the_cap(
        self, person: Person, entity: str, fields: dict[str, Any], words: str
    ) -> None:
        name = "title" if entity == "reminders" else "name"
        operations = [
            upsert(entity, fields | {name: f"{fields[name]} {n}"}) for n in range(CAP + 2)
        ]
        results = push(person, operations)
        assert [r["status"] for r in results] == ["applied"] * CAP + ["rejected"] * 2
        problem = results[CAP]["problem"]
        assert problem["errors"][0]["rule"] == "too_many", problem
        assert words in problem["errors"][0]["detail"]
        # A delete makes room, in the same batch as the create it allows, sent again as a new
        # change (an op_id names one answer for ever: the PWA mints a new one to resend).
        first = operations[0]
        again = operations[CAP] | {"op_id": str(uuid.uuid4())}
        results = push(person, [delete(entity, first["id"], None), again])
        assert [r["status"] for r in results] == ["applied", "applied"]

    def test_an_import_holding_more_than_the_cap_is_refused_before_anything_is_written(
        self, person: Person
    ) -> None:
        foods = [{"id": str(uuid.uuid4()), "name": f"Granola {n}"} for n in range(CAP + 1)]
        reminders = [
            {"id": str(uuid.uuid4()), "kind": "custom", "title": f"Walk {n}", "times": ["08:00"]}
            for n in range(CAP + 1)
        ]
        for section, records, words in (
            ("custom_foods", foods, "foods of your own"),
            ("reminders", reminders, "reminders"),
        ):
            document = {"exported_at": "2026-11-27T08:00:00+00:00", section: records}
            response = person.post("/api/v1/import", json=document)
            assert response.status_code == 422, response.text
            error = response.json()["errors"][0]
            assert (error["field"], error["rule"]) == (section, "too_many")
            assert f"holds {CAP + 1} {words}" in error["detail"]
        assert person.get("/api/v1/foods/custom").json()["items"] == []
        # At the cap it is whole.
        document = {
            "exported_at": "2026-11-27T08:00:00+00:00",
            "custom_foods": foods[:CAP],
            "reminders": reminders[:CAP],
        }
        response = person.post("/api/v1/import", json=document)
        assert response.status_code == 200, response.text
        assert response.json()["imported"]["custom_foods"] == CAP
        assert response.json()["imported"]["reminders"] == CAP

    @pytest.mark.parametrize(
        ("entity", "fields"),
        [
            ("reminders", {"kind": "custom", "title": "Walk", "times": ["08:00"]}),
            ("custom_foods", {"name": "Granola"}),
        ],
    )
    def test_restoring_a_deleted_record_at_the_cap_is_refused(
        self, person: Person, entity: str, fields: dict[str, Any]
    ) -> None:
        """A restored conflict brings a deleted record back: an outside re-check grew an
        account to 114 reminders (cap 100) by stale deletes and restores."""
        name = "title" if entity == "reminders" else "name"

        def new(n: int) -> dict[str, Any]:
            return upsert(entity, fields | {name: f"{fields[name]} {n}"})

        made = [new(n) for n in range(CAP)]
        versions = [r["version"] for r in push(person, made)]
        first = made[0]["id"]
        # Edited on the laptop, then deleted by a phone that had not seen the edit: the delete
        # wins and the edit is kept as a conflict that can bring the record back.
        edit = upsert(entity, {name: "Edited"}, first, versions[0])
        assert push(person, [edit], device="laptop")[0]["status"] == "applied"
        [deleted] = push(person, [delete(entity, first, versions[0])], device="phone")
        [conflict] = deleted["conflicts"]
        assert conflict["field"] == "*"
        # Room taken again by a new record: the restore would be one too many.
        assert push(person, [new(CAP)])[0]["status"] == "applied"
        refused = person.post(f"/api/v1/sync/conflicts/{conflict['id']}/restore")
        _refused(refused, "Delete")
        # Room made: the same restore brings it back.
        gone = made[1]["id"]
        assert push(person, [delete(entity, gone, versions[1])])[0]["status"] == "applied"
        restored = person.post(f"/api/v1/sync/conflicts/{conflict['id']}/restore")
        assert restored.status_code == 200, restored.text
        assert restored.json()["deleted"] is False


def _item(person: Person, n: int) -> tuple[str, str]:
    """A scheduled medicine, and its implicit dose reminder's id."""
    body = {"name": f"Pill {n}", "kind": "medicine", "schedule_times": ["08:00"]}
    made = person.post("/api/v1/regimen", body)
    assert made.status_code == 201, made.text
    item = made.json()["id"]
    return item, str(implicit_reminder_id(uuid.UUID(item)))


def _full_of_reminders(person: Person) -> None:
    _fill(
        lambda n: person.post(
            "/api/v1/reminders", {"kind": "custom", "title": f"Walk {n}"} | {"times": ["08:00"]}
        )
    )


class TestMedicineReminders:
    """Outside probe F4: at the reminders cap, the first edit of a medicine's implicit reminder
    (PATCH, PUT, snooze, skip today) stored it anyway while POST and sync refused it, and with
    no cap on regimen items 250 reminders were stored. The rule now: a regimen item's own
    reminder is not counted among the reminders (a person can always snooze or edit her
    medicine's reminder, on every path), and the regimen items are capped instead, so there is
    at most one such reminder per item."""

    def test_at_the_reminders_cap_every_path_stores_a_medicines_own_reminder(
        self, person: Person
    ) -> None:
        _full_of_reminders(person)
        items = [_item(person, n) for n in range(CAP)]
        (a, ra), (b, rb), (c, rc) = items
        fields = {"kind": "dose", "title": "Pill", "times": None}
        # Its first edit by REST, then (its copy deleted, the default back) a PUT.
        assert person.patch(f"/api/v1/reminders/{ra}", {"enabled": False}).status_code == 200
        assert person.delete(f"/api/v1/reminders/{ra}").status_code == 204
        put = person.put(f"/api/v1/reminders/{ra}", fields | {"regimen_item_id": a})
        assert put.status_code == 200, put.text
        # A create under its id, then a snooze.
        made = person.post("/api/v1/reminders", fields | {"id": rb, "regimen_item_id": b})
        assert made.status_code == 201, made.text
        assert person.post(f"/api/v1/reminders/{rb}/snooze", {"minutes": 10}).status_code == 200
        # A sync push, then skip today.
        [pushed] = push(person, [upsert("reminders", fields | {"regimen_item_id": c}, rc)])
        assert pushed["status"] == "applied", pushed
        assert person.post(f"/api/v1/reminders/{rc}/skip-today").status_code == 200
        stored = [r for r in person.get("/api/v1/reminders").json() if not r["implicit"]]
        assert len(stored) == 2 * CAP  # the cap's reminders and one per medicine
        # A custom reminder is still one too many, on every path.
        _refused(
            person.post("/api/v1/reminders", {"kind": "custom", "title": "X", "times": ["09:00"]}),
            "Delete a reminder",
        )
        [refused] = push(
            person, [upsert("reminders", {"kind": "custom", "title": "X", "times": ["09:00"]})]
        )
        assert refused["problem"]["errors"][0]["rule"] == "too_many"

    def test_another_dose_reminder_of_a_medicine_counts(self, person: Person) -> None:
        """Only the item's own (its implicit id, naming it) is left out of the count."""
        _full_of_reminders(person)
        (a, ra), (b, _rb) = _item(person, 0), _item(person, 1)
        other = {"kind": "dose", "title": "Evening", "regimen_item_id": a, "times": ["20:00"]}
        _refused(person.post("/api/v1/reminders", other), "Delete a reminder")
        # Another item's id under this implicit id is not that item's own reminder.
        wrong = other | {"regimen_item_id": b}
        _refused(person.put(f"/api/v1/reminders/{ra}", wrong), "Delete a reminder")
        [pushed] = push(person, [upsert("reminders", wrong, ra)])
        assert pushed["status"] == "rejected"
        assert pushed["problem"]["errors"][0]["rule"] == "too_many"

    def test_a_stored_own_reminder_edited_into_another_counts(self, person: Person) -> None:
        """Turning a medicine's own reminder into a custom one (or another item's) adds one to
        the count, so it cannot pass the cap either (else: store, convert, delete the item,
        again)."""
        (a, ra), (b, _rb) = _item(person, 0), _item(person, 1)
        assert person.patch(f"/api/v1/reminders/{ra}", {"enabled": False}).status_code == 200
        _full_of_reminders(person)
        _refused(person.patch(f"/api/v1/reminders/{ra}", {"regimen_item_id": b}), "Delete a")
        custom = {"kind": "custom", "title": "Walk", "regimen_item_id": None, "times": ["07:00"]}
        _refused(person.put(f"/api/v1/reminders/{ra}", custom), "Delete a reminder")
        version = person.get(f"/api/v1/reminders/{ra}").json()["version"]
        [pushed] = push(person, [upsert("reminders", {"regimen_item_id": b}, ra, version)])
        assert pushed["problem"]["errors"][0]["rule"] == "too_many", pushed
        view = person.get(f"/api/v1/reminders/{ra}").json()
        assert view["regimen_item_id"] == a and view["enabled"] is False
        # With room it is an ordinary edit.
        assert person.delete(f"/api/v1/reminders/{_custom_ids(person)[0]}").status_code == 204
        assert person.put(f"/api/v1/reminders/{ra}", custom).status_code == 200


def _custom_ids(person: Person) -> list[str]:
    return [r["id"] for r in person.get("/api/v1/reminders").json() if r["kind"] == "custom"]


class TestRegimenItemsCap:
    """The regimen items bound their own reminders; their cap holds on every path."""

    def test_rest(self, person: Person) -> None:
        made = _fill(
            lambda n: person.post("/api/v1/regimen", {"name": f"Pill {n}", "kind": "supplement"})
        )
        _refused(
            person.post("/api/v1/regimen", {"name": "One more", "kind": "supplement"}),
            "Delete one you no longer take",
        )
        assert person.delete(f"/api/v1/regimen/{made[0].json()['id']}").status_code == 204
        assert (
            person.post("/api/v1/regimen", {"name": "Now", "kind": "supplement"}).status_code == 201
        )

    def test_a_sync_push(self, person: Person) -> None:
        operations = [
            upsert("regimen", {"name": f"Pill {n}", "kind": "supplement"}) for n in range(CAP + 2)
        ]
        results = push(person, operations)
        assert [r["status"] for r in results] == ["applied"] * CAP + ["rejected"] * 2
        error = results[CAP]["problem"]["errors"][0]
        assert error["rule"] == "too_many" and "medicines and supplements" in error["detail"]
        # Doses of the items made in the same push still land (they follow their item).
        item = operations[0]["id"]
        dose = upsert(
            "doses", {"regimen_item_id": item, "taken_at": "2026-11-25T08:00:00+00:00", "units": 1}
        )
        assert push(person, [dose])[0]["status"] == "applied"

    def test_restoring_a_deleted_item_at_the_cap(self, person: Person) -> None:
        made = [upsert("regimen", {"name": f"Pill {n}", "kind": "supplement"}) for n in range(CAP)]
        versions = [r["version"] for r in push(person, made)]
        first = made[0]["id"]
        edit = upsert("regimen", {"name": "Edited"}, first, versions[0])
        assert push(person, [edit], device="laptop")[0]["status"] == "applied"
        [deleted] = push(person, [delete("regimen", first, versions[0])], device="phone")
        [conflict] = deleted["conflicts"]
        assert (
            push(person, [upsert("regimen", {"name": "New", "kind": "supplement"})])[0]["status"]
            == "applied"
        )
        _refused(person.post(f"/api/v1/sync/conflicts/{conflict['id']}/restore"), "Delete one")

    def test_an_import(self, person: Person) -> None:
        items: list[dict[str, Any]] = [
            {
                "id": str(uuid.uuid4()),
                "name": f"Pill {n}",
                "kind": "medicine",
                "schedule_times": ["08:00"],
            }
            for n in range(CAP + 1)
        ]
        document = {"exported_at": "2026-11-27T08:00:00+00:00", "regimen": items}
        refused = person.post("/api/v1/import", json=document)
        assert refused.status_code == 422, refused.text
        error = refused.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("regimen", "too_many")
        # At the cap, with the cap's reminders and each item's own stored reminder: whole (an
        # export of such an account imports again).
        own: list[dict[str, Any]] = [
            {
                "id": str(implicit_reminder_id(uuid.UUID(i["id"]))),
                "kind": "dose",
                "title": i["name"],
                "regimen_item_id": i["id"],
                "times": None,
                "enabled": False,
            }
            for i in items[:CAP]
        ]
        custom = [
            {"id": str(uuid.uuid4()), "kind": "custom", "title": f"Walk {n}", "times": ["08:00"]}
            for n in range(CAP)
        ]
        document |= {"regimen": items[:CAP], "reminders": own + custom}
        response = person.post("/api/v1/import", json=document)
        assert response.status_code == 200, response.text
        assert response.json()["imported"]["reminders"] == 2 * CAP
