"""A regimen item's own reminder whose stored copy was deleted, written by sync (outside probe
F5). The default is back (docs/reminders.md), and a REST PATCH stores it again; a sync upsert of
it was a `conflict` every time (the tombstone stuck), so the PWA, which sets a medicine's days
through sync, could not: the every-day default kept firing for a twice-a-week medicine. Now a
push stores it again too, over the default, when the device knew of no newer stored copy; one
that edited a copy deleted since is refused as for any deleted record (deletes are sticky)."""

from __future__ import annotations

import uuid
from typing import Any

from fortify.reminders.effective import implicit_reminder_id
from tests.factories import Person
from tests.reminders.conftest import regimen_item
from tests.sync.helpers import delete, push, upsert


def _rid(item: str) -> str:
    return str(implicit_reminder_id(uuid.UUID(item)))


def _days(item: str, days: list[int] | None, title: str = "Anastrozole 1 mg") -> dict[str, Any]:
    """What the PWA's regimen form writes under the implicit id."""
    return {
        "kind": "dose",
        "title": title,
        "regimen_item_id": item,
        "times": None,
        "days_of_week": days,
    }


def _stored_then_deleted(person: Person, item: str, *, by_sync: bool) -> int:
    """The item's reminder stored (a PATCH of its times), then its stored copy deleted; the
    tombstone's version."""
    rid = _rid(item)
    stored = person.patch(f"/api/v1/reminders/{rid}", {"times": ["09:00"]})
    assert stored.status_code == 200, stored.text
    if by_sync:
        [gone] = push(person, [delete("reminders", rid, stored.json()["version"])])
        assert gone["status"] == "applied", gone
    else:
        assert person.delete(f"/api/v1/reminders/{rid}").status_code == 204
    back = person.get(f"/api/v1/reminders/{rid}").json()
    assert back["implicit"] is True and back["version"] == 0  # the default is back
    tombstone = [c for c in _pulled(person) if c["id"] == rid]
    assert tombstone[-1]["deleted"] is True
    return int(tombstone[-1]["version"])


def _pulled(person: Person) -> list[Any]:
    response = person.get("/api/v1/sync/pull", params={"limit": 500})
    assert response.status_code == 200, response.text
    return list(response.json()["changes"])


def _assert_stored(person: Person, item: str, days: list[int]) -> dict[str, Any]:
    view = person.get(f"/api/v1/reminders/{_rid(item)}").json()
    assert view["implicit"] is False
    assert view["days_of_week"] == days
    assert view["times"] is None and view["effective_times"] == ["08:00"]  # the item's
    return dict(view)


class TestStoredAgainBySync:
    def test_after_a_rest_delete_a_push_with_no_base_stores_it_again(self, person: Person) -> None:
        item = regimen_item(person)
        _stored_then_deleted(person, item, by_sync=False)
        [result] = push(person, [upsert("reminders", _days(item, [0, 3]), _rid(item))])
        assert result["status"] == "applied", result
        view = _assert_stored(person, item, [0, 3])
        assert view["version"] == result["version"]
        # Every device's next pull has it live again, and no conflict was kept.
        [change] = [c for c in _pulled(person) if c["id"] == _rid(item)]
        assert change["deleted"] is False and change["fields"]["days_of_week"] == [0, 3]
        assert person.get("/api/v1/sync/conflicts").json()["items"] == []

    def test_after_a_sync_delete_a_push_knowing_the_tombstone_stores_it_again(
        self, person: Person
    ) -> None:
        item = regimen_item(person)
        tombstone = _stored_then_deleted(person, item, by_sync=True)
        operation = upsert("reminders", _days(item, [1]), _rid(item), base_version=tombstone)
        [result] = push(person, [operation], device="laptop")
        assert result["status"] == "applied", result
        assert result["merged"] is False
        _assert_stored(person, item, [1])

    def test_a_partial_upsert_lays_over_the_default_not_the_deleted_copy(
        self, person: Person
    ) -> None:
        item = regimen_item(person, schedule_days=[2, 5])
        _stored_then_deleted(person, item, by_sync=False)  # the copy said 09:00
        [result] = push(person, [upsert("reminders", {"enabled": False}, _rid(item))])
        assert result["status"] == "applied", result
        view = person.get(f"/api/v1/reminders/{_rid(item)}").json()
        assert view["enabled"] is False and view["implicit"] is False
        # The default's fields (the item's times and days), not the deleted copy's 09:00.
        assert view["times"] is None and view["days_of_week"] == [2, 5]
        assert result["record"]["fields"]["times"] is None  # merged: the device is told

    def test_after_the_medicine_is_restored_a_push_stores_it_again(self, person: Person) -> None:
        item = regimen_item(person)
        rid = _rid(item)
        assert person.patch(f"/api/v1/reminders/{rid}", {"times": ["09:00"]}).status_code == 200
        seen = person.get(f"/api/v1/regimen/{item}").json()["version"]
        assert person.patch(f"/api/v1/regimen/{item}", {"name": "Anastrozole"}).status_code == 200
        # A phone that had not seen the rename deletes the medicine: the delete wins (with its
        # stored reminder), the rename is kept as a conflict that can bring it back.
        [gone] = push(person, [delete("regimen", item, seen)], device="old phone")
        [conflict] = gone["conflicts"]
        restored = person.post(f"/api/v1/sync/conflicts/{conflict['id']}/restore")
        assert restored.status_code == 200, restored.text
        assert person.get(f"/api/v1/reminders/{rid}").json()["implicit"] is True

        [result] = push(person, [upsert("reminders", _days(item, [0, 3], "Anastrozole"), rid)])
        assert result["status"] == "applied", result
        _assert_stored(person, item, [0, 3])


class TestStillRefused:
    def test_a_device_that_edited_a_copy_deleted_since_gets_a_conflict(
        self, person: Person
    ) -> None:
        """The normal rule for a stale base: it edited version v, another device deleted it
        after; the delete is sticky and the edit is kept as a conflict."""
        item = regimen_item(person)
        rid = _rid(item)
        stored = person.patch(f"/api/v1/reminders/{rid}", {"times": ["09:00"]}).json()
        assert person.patch(f"/api/v1/reminders/{rid}", {"note": "with food"}).status_code == 200
        assert person.delete(f"/api/v1/reminders/{rid}").status_code == 204
        stale = upsert("reminders", _days(item, [4]), rid, base_version=stored["version"])
        [result] = push(person, [stale], device="tablet")
        assert result["status"] == "conflict", result
        assert result["record"]["deleted"] is True
        assert person.get(f"/api/v1/reminders/{rid}").json()["implicit"] is True

    def test_a_paused_items_deleted_reminder_stays_deleted(self, person: Person) -> None:
        """No default is back for a paused item (REST PATCH: 404), so sync refuses it too."""
        item = regimen_item(person)
        _stored_then_deleted(person, item, by_sync=False)
        assert person.patch(f"/api/v1/regimen/{item}", {"active": False}).status_code == 200
        assert (
            person.patch(f"/api/v1/reminders/{_rid(item)}", {"enabled": False}).status_code == 404
        )
        [result] = push(person, [upsert("reminders", _days(item, [0]), _rid(item))])
        assert result["status"] == "conflict", result

    def test_a_deleted_custom_reminder_stays_deleted(self, person: Person) -> None:
        made = person.post(
            "/api/v1/reminders", {"kind": "custom", "title": "Walk", "times": ["08:00"]}
        ).json()
        assert person.delete(f"/api/v1/reminders/{made['id']}").status_code == 204
        again = upsert("reminders", {"title": "Walk again"}, made["id"])
        assert push(person, [again])[0]["status"] == "conflict"


def test_a_snooze_stores_the_items_days_not_every_day(person: Person) -> None:
    """Its first store keeps what the default fired on: a snoozed Monday-and-Thursday medicine
    stayed a Monday-and-Thursday reminder (it was stored with `days_of_week: null`, daily)."""
    item = regimen_item(person, schedule_days=[0, 3])
    rid = _rid(item)
    assert person.get(f"/api/v1/reminders/{rid}").json()["days_of_week"] == [0, 3]
    snoozed = person.post(f"/api/v1/reminders/{rid}/snooze", {"minutes": 30})
    assert snoozed.status_code == 200, snoozed.text
    assert snoozed.json()["days_of_week"] == [0, 3]
    view = person.get(f"/api/v1/reminders/{rid}").json()
    assert view["implicit"] is False and view["days_of_week"] == [0, 3]
