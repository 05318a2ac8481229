from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Person, meal, measurement
from tests.sync.helpers import delete, pull_all, push, upsert


def conflicts(person: Person) -> list[dict[str, Any]]:
    response = person.get("/api/v1/sync/conflicts")
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@pytest.fixture
def lunch(ann: Person) -> tuple[str, int]:
    """A meal both devices have seen: (id, version)."""
    op = upsert("meals", meal(name="Lunch", note="soup"))
    [created] = push(ann, [op], device="phone")
    return op["id"], created["version"]


class TestStaleEdits:
    def test_a_fresh_edit_is_applied_without_conflict(
        self, ann: Person, lunch: tuple[str, int]
    ) -> None:
        meal_id, version = lunch
        [result] = push(ann, [upsert("meals", {"name": "Dinner"}, meal_id, version)], "laptop")
        assert (result["status"], result["merged"], result["conflicts"]) == ("applied", False, [])
        assert conflicts(ann) == []

    def test_a_stale_edit_is_merged_field_by_field_and_the_loser_is_kept(
        self, ann: Person, lunch: tuple[str, int]
    ) -> None:
        meal_id, version = lunch
        push(ann, [upsert("meals", {"name": "Big lunch"}, meal_id, version)], device="phone")
        [result] = push(
            ann, [upsert("meals", {"name": "Small lunch"}, meal_id, version)], device="laptop"
        )
        assert result["status"] == "applied" and result["merged"]
        assert result["record"]["fields"]["name"] == "Small lunch"
        assert result["record"]["fields"]["note"] == "soup"  # fields not sent are untouched
        [conflict] = result["conflicts"]
        assert conflict | {"id": None, "created_at": None} == {
            "id": None,
            "entity": "meals",
            "entity_id": meal_id,
            "field": "name",
            "losing_value": "Big lunch",
            "winning_value": "Small lunch",
            "losing_device": "phone",
            "winning_device": "laptop",
            "created_at": None,
            "resolved_at": None,
            "resolution": None,
        }
        assert [c["id"] for c in conflicts(ann)] == [conflict["id"]]

    def test_edits_of_different_fields_both_survive(
        self, ann: Person, lunch: tuple[str, int]
    ) -> None:
        meal_id, version = lunch
        push(ann, [upsert("meals", {"name": "Big lunch"}, meal_id, version)], device="phone")
        [result] = push(ann, [upsert("meals", {"note": "tomato"}, meal_id, version)], "laptop")
        assert result["merged"]
        # The server keeps no per-field history, so a stale edit lists every value it replaced,
        # even one nobody changed since its base (docs/sync.md: it over-reports, never drops).
        assert [(c["field"], c["losing_value"]) for c in result["conflicts"]] == [("note", "soup")]
        fields = ann.get(f"/api/v1/meals/{meal_id}").json()
        assert (fields["name"], fields["note"]) == ("Big lunch", "tomato")

    def test_a_device_never_conflicts_with_its_own_earlier_edits(self, ann: Person) -> None:
        op = upsert("meals", meal(name="One"))
        then = upsert("meals", {"name": "Two"}, op["id"], None)  # made offline, before any answer
        results = push(ann, [op, then], device="phone")
        assert [r["merged"] for r in results] == [False, False]
        later = upsert("meals", {"name": "Three"}, op["id"], None)
        assert push(ann, [later], device="phone")[0]["conflicts"] == []

    def test_after_its_own_merged_write_a_device_is_stale_again(self, ann: Person) -> None:
        """Found by the stateful test: the merge brought in a value this device never saw."""
        push(ann, [upsert("profile", {"display_name": "Ann"}, ann.user_id)], device="phone")
        offline = [
            upsert("profile", {"therapy_medicine": "anastrozole"}, ann.user_id),
            upsert("profile", {"display_name": "Annie"}, ann.user_id),
        ]
        merged, then = push(ann, offline, device="tablet")
        assert merged["merged"] and then["merged"]
        assert [(c["field"], c["losing_value"]) for c in then["conflicts"]] == [
            ("display_name", "Ann")
        ]

    def test_a_rest_edit_in_between_makes_the_sync_edit_stale(
        self, ann: Person, lunch: tuple[str, int]
    ) -> None:
        meal_id, version = lunch
        ann.patch(f"/api/v1/meals/{meal_id}", {"name": "Typed on the web"})
        [result] = push(ann, [upsert("meals", {"name": "Phone"}, meal_id, version)], "phone")
        [conflict] = result["conflicts"]
        assert conflict["losing_value"] == "Typed on the web"
        assert conflict["losing_device"] is None

    def test_arrival_order_decides_not_the_times_in_the_fields(
        self, ann: Person, lunch: tuple[str, int]
    ) -> None:
        """A phone whose clock is a year behind still loses to nobody by its clock: its edit
        arrived last, so it wins, and the earlier edit is kept as a conflict."""
        meal_id, version = lunch
        push(ann, [upsert("meals", {"eaten_at": "2026-11-20T13:00:00+00:00"}, meal_id, version)])
        behind = {"eaten_at": "2025-11-20T12:00:00+00:00"}
        [result] = push(ann, [upsert("meals", behind, meal_id, version)], "old-phone")
        assert result["record"]["fields"]["eaten_at"] == "2025-11-20T12:00:00+00:00"
        assert result["conflicts"][0]["losing_value"] == "2026-11-20T13:00:00+00:00"

    def test_a_lost_weight_is_one_conflict_even_when_the_unit_changes(self, ann: Person) -> None:
        op = upsert("measurements", measurement(weight_kg=70))
        [created] = push(ann, [op])
        push(ann, [upsert("measurements", {"weight_kg": 71}, op["id"], created["version"])])
        [result] = push(
            ann, [upsert("measurements", {"weight_lb": 150}, op["id"], created["version"])], "b"
        )
        assert [(c["field"], c["losing_value"]) for c in result["conflicts"]] == [("weight_kg", 71)]

    def test_the_profile_merges_like_any_record(self, ann: Person) -> None:
        push(ann, [upsert("profile", {"display_name": "Ann"}, ann.user_id)], "phone")
        [result] = push(ann, [upsert("profile", {"display_name": "Annie"}, ann.user_id)], "tab")
        [conflict] = result["conflicts"]
        assert (conflict["field"], conflict["losing_value"]) == ("display_name", "Ann")


class TestDeletes:
    def test_an_edit_of_a_deleted_record_is_refused_and_kept(
        self, ann: Person, lunch: tuple[str, int]
    ) -> None:
        meal_id, version = lunch
        [gone] = push(ann, [delete("meals", meal_id, version)], device="phone")
        [result] = push(ann, [upsert("meals", {"name": "Late"}, meal_id, version)], "laptop")
        assert result["status"] == "conflict"
        assert result["record"] == {
            "entity": "meals",
            "id": meal_id,
            "version": gone["version"],
            "deleted": True,
            "fields": None,
        }
        [conflict] = result["conflicts"]
        assert (conflict["field"], conflict["losing_value"]) == ("*", {"name": "Late"})
        assert conflict["losing_device"] == "laptop"
        assert ann.get(f"/api/v1/meals/{meal_id}").status_code == 404

    def test_a_stale_delete_wins_and_keeps_what_it_removed(
        self, ann: Person, lunch: tuple[str, int]
    ) -> None:
        meal_id, version = lunch
        push(ann, [upsert("meals", {"note": "with bread"}, meal_id, version)], device="laptop")
        [result] = push(ann, [delete("meals", meal_id, version)], device="phone")
        assert result["status"] == "applied" and result["merged"]
        assert result["record"]["deleted"] is True
        [conflict] = result["conflicts"]
        assert conflict["field"] == "*"
        assert conflict["losing_value"]["note"] == "with bread"
        assert conflict["losing_device"] == "laptop"

    def test_a_fresh_delete_keeps_nothing(self, ann: Person, lunch: tuple[str, int]) -> None:
        meal_id, version = lunch
        [result] = push(ann, [delete("meals", meal_id, version)], device="laptop")
        assert result["conflicts"] == [] and not result["merged"]


class TestResolving:
    def _field_conflict(self, ann: Person, meal_id: str, version: int) -> dict[str, Any]:
        push(ann, [upsert("meals", {"name": "Big lunch"}, meal_id, version)], device="phone")
        [result] = push(ann, [upsert("meals", {"name": "Small"}, meal_id, version)], "laptop")
        conflict: dict[str, Any] = result["conflicts"][0]
        return conflict

    def test_restoring_writes_the_losing_value_back_as_a_new_change(
        self, ann: Person, lunch: tuple[str, int]
    ) -> None:
        meal_id, version = lunch
        conflict = self._field_conflict(ann, meal_id, version)
        _, cursor = pull_all(ann)
        response = ann.post(f"/api/v1/sync/conflicts/{conflict['id']}/restore")
        assert response.status_code == 200, response.text
        restored = response.json()
        assert restored["fields"]["name"] == "Big lunch"
        changes, _ = pull_all(ann, cursor)
        assert [(c["id"], c["version"]) for c in changes] == [(meal_id, restored["version"])]
        assert conflicts(ann) == []
        again = ann.post(f"/api/v1/sync/conflicts/{conflict['id']}/restore")
        assert again.status_code == 409

    def test_restoring_a_deleted_record_brings_it_back(
        self, ann: Person, lunch: tuple[str, int]
    ) -> None:
        meal_id, version = lunch
        push(ann, [upsert("meals", {"note": "with bread"}, meal_id, version)], device="laptop")
        [result] = push(ann, [delete("meals", meal_id, version)], device="phone")
        conflict_id = result["conflicts"][0]["id"]
        restored = ann.post(f"/api/v1/sync/conflicts/{conflict_id}/restore").json()
        assert restored["deleted"] is False
        assert ann.get(f"/api/v1/meals/{meal_id}").json()["note"] == "with bread"

    def test_a_field_of_a_deleted_record_cannot_be_restored_alone(
        self, ann: Person, lunch: tuple[str, int]
    ) -> None:
        meal_id, version = lunch
        conflict = self._field_conflict(ann, meal_id, version)
        push(ann, [delete("meals", meal_id, None)], device="laptop")
        response = ann.post(f"/api/v1/sync/conflicts/{conflict['id']}/restore")
        assert response.status_code == 409
        assert response.json()["errors"][0]["rule"] == "record_exists"

    def test_dismissing_keeps_the_winner(self, ann: Person, lunch: tuple[str, int]) -> None:
        meal_id, version = lunch
        conflict = self._field_conflict(ann, meal_id, version)
        response = ann.post(f"/api/v1/sync/conflicts/{conflict['id']}/dismiss")
        assert response.status_code == 200
        assert response.json()["resolution"] == "dismissed"
        assert conflicts(ann) == []
        assert ann.get(f"/api/v1/meals/{meal_id}").json()["name"] == "Small"

    def test_the_list_is_newest_first(self, ann: Person, lunch: tuple[str, int]) -> None:
        meal_id, version = lunch
        first = self._field_conflict(ann, meal_id, version)
        second = self._field_conflict(ann, meal_id, version)
        listed = conflicts(ann)
        assert listed[0]["id"] == second["id"] and first["id"] in {c["id"] for c in listed}
        stamps = [c["created_at"] for c in listed]
        assert stamps == sorted(stamps, reverse=True)

    def test_conflicts_are_private(self, ann: Person, bob: Person, lunch: tuple[str, int]) -> None:
        meal_id, version = lunch
        conflict = self._field_conflict(ann, meal_id, version)
        assert conflicts(bob) == []
        assert bob.post(f"/api/v1/sync/conflicts/{conflict['id']}/restore").status_code == 404
        assert bob.post(f"/api/v1/sync/conflicts/{conflict['id']}/dismiss").status_code == 404
