"""Custom foods and favourites as sync entities (`custom_foods`, `favourites`)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Engine

from fortify.catalog.service import catalog_food_id
from tests.factories import Person, meal
from tests.sync.helpers import delete, pull_all, push, upsert
from tests.sync.test_pull import purge

MILK = str(catalog_food_id("curated", "whole_milk"))
SARDINES = str(catalog_food_id("curated", "sardines_canned_in_oil"))


def kefir(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Home kefir",
        "synonyms": ["kefir"],
        "food_group": "dairy",
        "nutrients_per_100g": {"calcium_mg": 130, "protein_g": 3.5},
        "portions": [{"label": "1 glass", "grams": 250}],
    } | overrides


def changes_of(person: Person, entity: str) -> dict[str, dict[str, Any]]:
    changes, _ = pull_all(person)
    return {c["id"]: c for c in changes if c["entity"] == entity}


class TestCustomFoods:
    def test_a_pushed_food_is_created_and_pulled(self, ann: Person) -> None:
        op = upsert("custom_foods", kefir())
        [result] = push(ann, [op])
        assert result["status"] == "applied", result
        read = ann.get(f"/api/v1/foods/custom/{op['id']}").json()
        assert (read["name"], read["version"]) == ("Home kefir", result["version"])
        change = changes_of(ann, "custom_foods")[op["id"]]
        assert change["version"] == result["version"] and not change["deleted"]
        fields = change["fields"]
        assert fields["name"] == "Home kefir" and fields["synonyms"] == ["kefir"]
        assert fields["nutrients_per_100g"]["calcium_mg"] == 130
        assert fields["nutrients_per_100g"]["vitamin_d_iu"] is None  # every key: null = unknown
        assert fields["portions"] == [{"label": "1 glass", "grams": 250}]
        assert set(fields) == {
            "name",
            "synonyms",
            "food_group",
            "nutrients_per_100g",
            "servings_grams",
            "portions",
            "tags",
        }

    def test_an_edit_sends_only_what_changed_and_a_stale_one_conflicts(self, ann: Person) -> None:
        op = upsert("custom_foods", kefir())
        [created] = push(ann, [op])
        [fresh] = push(
            ann, [upsert("custom_foods", {"name": "Kefir"}, op["id"], created["version"])]
        )
        assert fresh["status"] == "applied" and not fresh.get("merged")
        stale = upsert("custom_foods", {"name": "Goat kefir"}, op["id"], created["version"])
        [merged] = push(ann, [stale], device="tablet")
        assert merged["merged"] is True
        assert [(c["field"], c["losing_value"]) for c in merged["conflicts"]] == [("name", "Kefir")]
        read = ann.get(f"/api/v1/foods/custom/{op['id']}").json()
        assert (read["name"], read["synonyms"]) == ("Goat kefir", ["kefir"])

    def test_a_delete_is_a_tombstone_in_the_feed(self, ann: Person) -> None:
        op = upsert("custom_foods", kefir())
        [created] = push(ann, [op])
        [deleted] = push(ann, [delete("custom_foods", op["id"], created["version"])])
        assert deleted["status"] == "applied" and deleted["version"] > created["version"]
        assert ann.get(f"/api/v1/foods/custom/{op['id']}").status_code == 404
        change = changes_of(ann, "custom_foods")[op["id"]]
        assert (change["deleted"], change["fields"]) == (True, None)
        [refused] = push(ann, [upsert("custom_foods", {"name": "x"}, op["id"], deleted["version"])])
        assert refused["status"] == "conflict"  # deletes are sticky, as for entries

    def test_invalid_fields_reject_only_that_operation(self, ann: Person) -> None:
        bad = upsert("custom_foods", kefir(nutrients_per_100g={"calcium_mg": -1}))
        missing = upsert("custom_foods", {"synonyms": []})
        good = upsert("custom_foods", kefir())
        results = push(ann, [bad, missing, good])
        assert [r["status"] for r in results] == ["rejected", "rejected", "applied"]
        assert results[0]["problem"]["errors"][0]["field"] == "nutrients_per_100g.calcium_mg"
        assert results[1]["problem"]["errors"][0]["field"] == "name"

    def test_an_id_held_by_another_food_is_refused(self, ann: Person, bob: Person) -> None:
        op = upsert("custom_foods", kefir())
        push(bob, [op])
        taken = upsert("custom_foods", kefir(), op["id"])
        curated = upsert("custom_foods", kefir(), MILK)
        results = push(ann, [taken, curated])
        for result in results:
            assert result["status"] == "rejected"
            assert result["problem"]["status"] == 409
            assert result["problem"]["errors"][0] == {
                "field": "id",
                "rule": "unique",
                "detail": "A food with this id exists already.",
            }
        assert bob.get(f"/api/v1/foods/custom/{op['id']}").json()["name"] == "Home kefir"
        assert changes_of(ann, "custom_foods") == {}

    def test_rest_writes_are_in_the_feed(self, ann: Person) -> None:
        food_id = ann.post("/api/v1/foods/custom", kefir()).json()["id"]
        patched = ann.patch(f"/api/v1/foods/custom/{food_id}", {"name": "Kefir"}).json()
        change = changes_of(ann, "custom_foods")[food_id]
        assert (change["version"], change["fields"]["name"]) == (patched["version"], "Kefir")
        assert ann.delete(f"/api/v1/foods/custom/{food_id}").status_code == 204
        assert changes_of(ann, "custom_foods")[food_id]["deleted"] is True

    def test_a_meal_may_name_a_food_created_earlier_in_the_batch(self, ann: Person) -> None:
        food = upsert("custom_foods", kefir())
        item = {"food_id": food["id"], "food_name": "Kefir", "grams": 250, "nutrients": {}}
        lunch = upsert("meals", meal(items=[item]))
        assert [r["status"] for r in push(ann, [food, lunch])] == ["applied", "applied"]

    def test_a_restored_delete_brings_the_food_back(self, ann: Person) -> None:
        op = upsert("custom_foods", kefir())
        [created] = push(ann, [op])
        push(ann, [upsert("custom_foods", {"name": "Kefir"}, op["id"], created["version"])])
        [gone] = push(ann, [delete("custom_foods", op["id"], created["version"])], device="tab")
        [conflict] = gone["conflicts"]
        assert conflict["field"] == "*" and conflict["losing_value"]["name"] == "Kefir"
        restored = ann.post(f"/api/v1/sync/conflicts/{conflict['id']}/restore")
        assert restored.status_code == 200, restored.text
        assert ann.get(f"/api/v1/foods/custom/{op['id']}").json()["name"] == "Kefir"

    def test_tombstones_of_foods_are_never_purged(self, ann: Person, engine: Engine) -> None:
        op = upsert("custom_foods", kefir())
        [created] = push(ann, [op])
        push(ann, [delete("custom_foods", op["id"], created["version"])])
        assert purge(engine, days_later=365).people == 0
        assert changes_of(ann, "custom_foods")[op["id"]]["deleted"] is True


class TestFavourites:
    def test_a_favourite_is_the_foods_id_with_no_fields(self, ann: Person) -> None:
        op = upsert("favourites", {}, MILK)
        [result] = push(ann, [op])
        assert result["status"] == "applied", result
        assert [f["id"] for f in ann.get("/api/v1/foods/favourites").json()] == [MILK]
        change = changes_of(ann, "favourites")[MILK]
        assert change == {
            "entity": "favourites",
            "id": MILK,
            "version": result["version"],
            "deleted": False,
            "fields": {},
        }

    def test_a_removal_is_a_tombstone_and_marking_again_brings_it_back(self, ann: Person) -> None:
        [added] = push(ann, [upsert("favourites", {}, MILK)])
        [removed] = push(ann, [delete("favourites", MILK, added["version"])])
        assert ann.get("/api/v1/foods/favourites").json() == []
        assert changes_of(ann, "favourites")[MILK]["deleted"] is True
        # Unlike an entry, a favourite comes back: marking a food again is a new fact.
        [again] = push(ann, [upsert("favourites", {}, MILK, removed["version"])])
        assert again["status"] == "applied" and again["version"] > removed["version"]
        assert not again.get("merged") and again.get("conflicts", []) == []
        [other_device] = push(ann, [upsert("favourites", {}, MILK)], device="tablet")
        assert other_device["status"] == "applied"
        assert [f["id"] for f in ann.get("/api/v1/foods/favourites").json()] == [MILK]

    def test_rest_marks_are_in_the_feed_and_a_repeated_mark_writes_nothing(
        self, ann: Person
    ) -> None:
        assert ann.put(f"/api/v1/foods/{SARDINES}/favourite").status_code == 204
        first = changes_of(ann, "favourites")[SARDINES]
        assert ann.put(f"/api/v1/foods/{SARDINES}/favourite").status_code == 204
        assert changes_of(ann, "favourites")[SARDINES] == first
        assert ann.delete(f"/api/v1/foods/{SARDINES}/favourite").status_code == 204
        gone = changes_of(ann, "favourites")[SARDINES]
        assert gone["deleted"] is True and gone["version"] > first["version"]
        assert ann.put(f"/api/v1/foods/{SARDINES}/favourite").status_code == 204
        assert changes_of(ann, "favourites")[SARDINES]["deleted"] is False

    def test_only_foods_the_person_can_see(self, ann: Person, bob: Person) -> None:
        bobs = upsert("custom_foods", kefir())
        push(bob, [bobs])
        unknown, others = str(uuid.uuid4()), bobs["id"]
        with_fields = upsert("favourites", {"note": "x"}, MILK)
        results = push(ann, [upsert("favourites", {}, unknown), upsert("favourites", {}, others)])
        for result in results:
            assert result["status"] == "rejected"
            assert result["problem"]["errors"][0]["field"] == "id"
            assert result["problem"]["errors"][0]["rule"] == "exists"
        [refused] = push(ann, [with_fields])
        assert refused["status"] == "rejected"
        assert refused["problem"]["errors"][0]["rule"] == "extra_forbidden"
        assert changes_of(ann, "favourites") == {}

    def test_deleting_a_favourite_food_removes_the_favourite_too(self, ann: Person) -> None:
        food = upsert("custom_foods", kefir())
        [created, _] = push(ann, [food, upsert("favourites", {}, food["id"])])
        [deleted] = push(ann, [delete("custom_foods", food["id"], created["version"])])
        assert deleted["status"] == "applied"
        favourite = changes_of(ann, "favourites")[food["id"]]
        assert favourite["deleted"] is True and favourite["version"] > deleted["version"]
        [refused] = push(ann, [upsert("favourites", {}, food["id"], favourite["version"])])
        assert refused["status"] == "rejected"  # the food is gone

    def test_favourite_tombstones_are_purged_after_90_days(
        self, ann: Person, engine: Engine
    ) -> None:
        [added] = push(ann, [upsert("favourites", {}, MILK)])
        push(ann, [delete("favourites", MILK, added["version"])])
        assert purge(engine, days_later=89).people == 0
        assert purge(engine, days_later=91).people == 1
        assert MILK not in changes_of(ann, "favourites")
