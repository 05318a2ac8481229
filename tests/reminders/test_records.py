"""Reminders as records (reminders/records.py): a deleted regimen item takes its stored dose
reminders with it (`drop_item_reminders`, called by `entries.kinds.RegimenKind.on_tombstone`),
on every path that deletes the item. Left live (issue #13, F5), such a reminder fired nothing
and was absent from the effective reminders, yet counted toward the cap and answered a PATCH
with 422 `exists`."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from fortify.reminders.records import ReminderKind
from fortify.reminders.service import implicit_reminder_id
from tests.factories import Person
from tests.reminders.conftest import regimen_item, reminder
from tests.sync.helpers import delete, pull_all, push


def _stored_dose_reminder(person: Person, item: str) -> str:
    """The item's implicit dose reminder, stored by an edit of its title."""
    rid = str(implicit_reminder_id(uuid.UUID(item)))
    edited = person.patch(f"/api/v1/reminders/{rid}", {"title": "Anastrozole, with breakfast"})
    assert edited.status_code == 200, edited.text
    assert person.get(f"/api/v1/reminders/{rid}").json()["implicit"] is False
    return rid


def _own_dose_reminder(person: Person, item: str) -> str:
    """A second dose reminder of the item, made under an id of the client's."""
    body = reminder(kind="dose", title="Evening pill", regimen_item_id=item, times=["20:00"])
    made = person.post("/api/v1/reminders", body)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _version(person: Person, path: str) -> int:
    found = person.get(path)
    assert found.status_code == 200, found.text
    return int(found.json()["version"])


def _assert_gone(person: Person, rid: str) -> None:
    """Deleted like any record: 404 to GET, PATCH and the reminder actions; not listed."""
    for answer in (
        person.get(f"/api/v1/reminders/{rid}"),
        person.patch(f"/api/v1/reminders/{rid}", {"title": "Still there?"}),
        person.post(f"/api/v1/reminders/{rid}/skip-today"),
    ):
        assert answer.status_code == 404, answer.text
        assert answer.json()["code"] == "not_found"
    assert rid not in [r["id"] for r in person.get("/api/v1/reminders").json()]


class TestADeletedItemsDoseReminders:
    def test_a_rest_delete_deletes_them(self, person: Person) -> None:
        item = regimen_item(person)
        stored, own = _stored_dose_reminder(person, item), _own_dose_reminder(person, item)
        other = _stored_dose_reminder(person, regimen_item(person, name="Vitamin D"))
        custom = person.post("/api/v1/reminders", reminder()).json()["id"]

        assert person.delete(f"/api/v1/regimen/{item}").status_code == 204
        _assert_gone(person, stored)
        _assert_gone(person, own)
        # Another item's reminder and a custom one are left as they were.
        assert person.get(f"/api/v1/reminders/{other}").status_code == 200
        assert person.get(f"/api/v1/reminders/{custom}").status_code == 200

    def test_a_sync_delete_deletes_them(self, person: Person) -> None:
        item = regimen_item(person)
        stored, own = _stored_dose_reminder(person, item), _own_dose_reminder(person, item)
        [deleted] = push(
            person, [delete("regimen", item, _version(person, f"/api/v1/regimen/{item}"))]
        )
        assert deleted["status"] == "applied", deleted
        _assert_gone(person, stored)
        _assert_gone(person, own)

    def test_deletes_of_several_items_in_one_push_delete_each_ones(self, person: Person) -> None:
        # Consecutive deletes form one run, flushed together (sync/push.py, "Edits in runs").
        items = [regimen_item(person, name=f"Item {n}") for n in range(3)]
        stored = [_stored_dose_reminder(person, item) for item in items]
        operations = [
            delete("regimen", item, _version(person, f"/api/v1/regimen/{item}")) for item in items
        ]
        assert [r["status"] for r in push(person, operations)] == ["applied"] * 3
        for rid in stored:
            _assert_gone(person, rid)
        assert person.get("/api/v1/reminders").json() == []

    def test_a_pull_passes_the_deletion_on(self, person: Person) -> None:
        item = regimen_item(person)
        stored = _stored_dose_reminder(person, item)
        _, cursor = pull_all(person)
        assert person.delete(f"/api/v1/regimen/{item}").status_code == 204

        changes, _ = pull_all(person, cursor)
        deletions = {(c["entity"], c["id"]): c for c in changes}
        assert deletions.keys() == {("regimen", item), ("reminders", stored)}
        gone = deletions[("reminders", stored)]
        assert gone["deleted"] is True and gone["fields"] is None
        # Its own change number, after the item's: a device applies them in order.
        assert gone["version"] > deletions[("regimen", item)]["version"]

    def test_a_later_sync_edit_of_one_is_a_conflict_not_a_write(self, person: Person) -> None:
        item = regimen_item(person)
        stored = _stored_dose_reminder(person, item)
        base = _version(person, f"/api/v1/reminders/{stored}")
        assert person.delete(f"/api/v1/regimen/{item}").status_code == 204
        edit = {
            "op_id": str(uuid.uuid4()),
            "entity": "reminders",
            "id": stored,
            "kind": "upsert",
            "base_version": base,
            "fields": {"title": "Offline edit"},
        }
        [answer] = push(person, [edit], device="laptop")
        assert answer["status"] == "conflict", answer  # deletes are sticky (sync/push.py)
        assert answer["record"]["deleted"] is True

    def test_the_item_brought_back_has_its_default_reminder_again(self, person: Person) -> None:
        item = regimen_item(person)
        stored = _stored_dose_reminder(person, item)
        base = _version(person, f"/api/v1/regimen/{item}")
        assert person.patch(f"/api/v1/regimen/{item}", {"default_units": 2}).status_code == 200
        # A stale delete from another device: it wins, and keeps the item as a conflict.
        [deleted] = push(person, [delete("regimen", item, base)], device="laptop")
        assert deleted["status"] == "applied" and deleted["merged"], deleted
        [conflict] = deleted["conflicts"]
        _assert_gone(person, stored)

        restored = person.post(f"/api/v1/sync/conflicts/{conflict['id']}/restore")
        assert restored.status_code == 200, restored.text
        listed = person.get("/api/v1/reminders").json()
        assert [(r["id"], r["implicit"], r["title"]) for r in listed] == [
            (stored, True, "Anastrozole 1 mg")
        ]
        # And editing it stores it again, over its tombstone.
        edited = person.patch(f"/api/v1/reminders/{stored}", {"title": "Again"})
        assert edited.status_code == 200, edited.text
        assert person.get(f"/api/v1/reminders/{stored}").json()["implicit"] is False


class TestTheCap:
    CAP = 2

    @pytest.fixture(autouse=True)
    def _low_cap(self, monkeypatch: pytest.MonkeyPatch) -> None:
        assert ReminderKind.per_person is not None
        monkeypatch.setattr(ReminderKind, "per_person", (self.CAP, *ReminderKind.per_person[1:]))

    def _make(self, person: Person, n: int) -> Any:
        return person.post("/api/v1/reminders", reminder(title=f"Walk {n}"))

    def test_a_deleted_items_reminders_leave_room(self, person: Person) -> None:
        item = regimen_item(person)
        _stored_dose_reminder(person, item)  # the item's own: not counted (test_limits)
        _own_dose_reminder(person, item)
        assert self._make(person, 1).status_code == 201
        full = self._make(person, 2)
        assert full.status_code == 409 and full.json()["errors"][0]["rule"] == "too_many"

        assert person.delete(f"/api/v1/regimen/{item}").status_code == 204
        assert self._make(person, 2).status_code == 201

    def test_so_do_those_of_an_item_deleted_by_sync(self, person: Person) -> None:
        item = regimen_item(person)
        _stored_dose_reminder(person, item)
        _own_dose_reminder(person, item)
        _own_dose_reminder(person, item)
        assert self._make(person, 1).status_code == 409

        version = _version(person, f"/api/v1/regimen/{item}")
        assert push(person, [delete("regimen", item, version)])[0]["status"] == "applied"
        assert [self._make(person, n).status_code for n in range(2)] == [201, 201]
