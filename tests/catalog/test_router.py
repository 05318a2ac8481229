"""People's own foods, favourites, recents, the offline pack, the curated sync and the
supplement-form routes."""

from __future__ import annotations

import gzip
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fortify.catalog import service
from fortify.catalog.service import catalog_food_id
from fortify.core.db import session_factory, session_scope
from tests.factories import Person, meal, sign_up

MILK = catalog_food_id("curated", "whole_milk")


def oat_bake(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Oat and apple bake",
        "synonyms": ["apple crumble bake"],
        "food_group": "grains",
        "nutrients_per_100g": {"energy_kcal": 180, "calcium_mg": 40, "fiber_g": 4.2},
        "servings_grams": {"soluble_fiber": 120},
        "portions": [{"label": "1 slice", "grams": 90}],
        "tags": ["whole_grain"],
    } | overrides


@pytest.fixture
def pat(client: TestClient) -> Person:
    return sign_up(client)


@pytest.fixture
def sam(client: TestClient) -> Person:
    return sign_up(client)


def create(person: Person, **overrides: Any) -> dict[str, Any]:
    response = person.post("/api/v1/foods/custom", json=oat_bake(**overrides))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def get(person: Person, url: str, headers: dict[str, str]) -> Any:
    return person.client.get(url, headers=person.headers | headers)


def meal_with(food_id: str) -> dict[str, Any]:
    return meal(items=[{"food_id": food_id, "food_name": "Something", "grams": 100}])


class TestCustomFoods:
    def test_a_created_food_reads_back_with_unknown_nutrients_as_null(self, pat: Person) -> None:
        food = create(pat)
        assert food["source"] == "user" and food["version"] >= 1
        read = pat.get(f"/api/v1/foods/custom/{food['id']}").json()
        assert read["nutrients_per_100g"]["calcium_mg"] == 40
        assert read["nutrients_per_100g"]["vitamin_d_iu"] is None
        assert read["servings_grams"] == {"soluble_fiber": 120}
        assert pat.get(f"/api/v1/foods/{food['id']}").json()["name"] == "Oat and apple bake"

    def test_a_client_id_is_kept_and_a_retry_of_the_same_create_is_200(self, pat: Person) -> None:
        food_id = str(uuid.uuid4())
        first = pat.post("/api/v1/foods/custom", json=oat_bake(id=food_id))
        again = pat.post("/api/v1/foods/custom", json=oat_bake(id=food_id))
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"] == food_id
        assert again.json()["version"] == first.json()["version"]

    def test_the_same_id_with_other_content_is_a_conflict(self, pat: Person) -> None:
        food_id = str(uuid.uuid4())
        pat.post("/api/v1/foods/custom", json=oat_bake(id=food_id))
        response = pat.post("/api/v1/foods/custom", json=oat_bake(id=food_id, name="Other"))
        assert response.status_code == 409
        assert response.json()["errors"][0]["field"] == "id"

    def test_put_replaces_and_patch_changes_some_fields(self, pat: Person) -> None:
        food = create(pat)
        replaced = pat.put(f"/api/v1/foods/custom/{food['id']}", json=oat_bake(name="Oat bake"))
        assert replaced.status_code == 200 and replaced.json()["name"] == "Oat bake"
        patched = pat.patch(
            f"/api/v1/foods/custom/{food['id']}", json={"nutrients_per_100g": {"calcium_mg": 55}}
        ).json()
        assert patched["name"] == "Oat bake"
        assert patched["nutrients_per_100g"]["calcium_mg"] == 55
        assert patched["nutrients_per_100g"]["energy_kcal"] is None
        assert patched["version"] > replaced.json()["version"] > food["version"]

    def test_a_patch_that_breaks_a_rule_is_a_problem_naming_the_field(self, pat: Person) -> None:
        food = create(pat)
        response = pat.patch(f"/api/v1/foods/custom/{food['id']}", json={"name": None})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "name"

    def test_impossible_amounts_are_refused(self, pat: Person) -> None:
        response = pat.post(
            "/api/v1/foods/custom", json=oat_bake(nutrients_per_100g={"protein_g": 120})
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "nutrients_per_100g.protein_g"

    def test_the_list_holds_only_live_foods_of_the_person(self, pat: Person, sam: Person) -> None:
        kept, gone = create(pat, name="Apple bake"), create(pat, name="Berry bake")
        create(sam)
        assert pat.delete(f"/api/v1/foods/custom/{gone['id']}").status_code == 204
        listed = pat.get("/api/v1/foods/custom").json()
        assert [f["id"] for f in listed["items"]] == [kept["id"]]

    def test_a_deleted_food_is_gone_and_its_id_cannot_be_reused(self, pat: Person) -> None:
        food = create(pat)
        pat.delete(f"/api/v1/foods/custom/{food['id']}")
        assert pat.get(f"/api/v1/foods/custom/{food['id']}").status_code == 404
        assert pat.get(f"/api/v1/foods/{food['id']}").status_code == 404
        assert pat.post("/api/v1/foods/custom", json=oat_bake(id=food["id"])).status_code == 409

    def test_a_catalog_food_is_not_editable_as_a_custom_food(self, pat: Person) -> None:
        assert pat.put(f"/api/v1/foods/custom/{MILK}", json=oat_bake()).status_code == 404
        assert pat.delete(f"/api/v1/foods/custom/{MILK}").status_code == 404


class TestIsolation:
    """Person B can neither see nor use person A's foods: every door answers like a missing id."""

    def test_b_cannot_find_or_read_a_food_of_a(self, pat: Person, sam: Person) -> None:
        food = create(pat, name="Pat's secret flapjack")
        assert all(
            f["id"] != food["id"] for f in sam.get("/api/v1/foods?q=flapjack").json()["items"]
        )
        assert sam.get(f"/api/v1/foods/{food['id']}").status_code == 404
        assert sam.get(f"/api/v1/foods/custom/{food['id']}").status_code == 404

    def test_b_cannot_update_or_delete_a_food_of_a(self, pat: Person, sam: Person) -> None:
        food = create(pat)
        url = f"/api/v1/foods/custom/{food['id']}"
        assert sam.put(url, json=oat_bake(name="Mine now")).status_code == 404
        assert sam.patch(url, json={"name": "Mine now"}).status_code == 404
        assert sam.delete(url).status_code == 404
        assert pat.get(url).json()["name"] == "Oat and apple bake"

    def test_b_cannot_favourite_a_food_of_a(self, pat: Person, sam: Person) -> None:
        food = create(pat)
        assert sam.put(f"/api/v1/foods/{food['id']}/favourite").status_code == 404
        assert sam.delete(f"/api/v1/foods/{food['id']}/favourite").status_code == 404
        assert sam.get("/api/v1/foods/favourites").json() == []

    def test_b_cannot_log_a_meal_item_with_a_food_of_a(self, pat: Person, sam: Person) -> None:
        food = create(pat)
        response = sam.post("/api/v1/meals", json=meal_with(food["id"]))
        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("items[0].food_id", "exists")
        assert pat.post("/api/v1/meals", json=meal_with(food["id"])).status_code == 201

    def test_b_taking_the_id_of_a_food_of_a_learns_nothing_of_it(
        self, pat: Person, sam: Person
    ) -> None:
        food = create(pat)
        response = sam.post("/api/v1/foods/custom", json=oat_bake(id=food["id"]))
        assert response.status_code == 409
        assert "Oat" not in response.text

    def test_the_offline_pack_of_b_holds_nothing_of_a(self, pat: Person, sam: Person) -> None:
        food = create(pat)
        pack = sam.get("/api/v1/foods/offline-pack").json()
        assert food["id"] not in {f["id"] for f in pack["foods"]}


class TestFavouritesAndRecents:
    def test_a_favourite_is_listed_flagged_and_removable(self, pat: Person) -> None:
        assert pat.put(f"/api/v1/foods/{MILK}/favourite").status_code == 204
        assert pat.put(f"/api/v1/foods/{MILK}/favourite").status_code == 204  # idempotent
        assert [f["id"] for f in pat.get("/api/v1/foods/favourites").json()] == [str(MILK)]
        assert pat.get(f"/api/v1/foods/{MILK}").json()["favourite"] is True
        assert pat.delete(f"/api/v1/foods/{MILK}/favourite").status_code == 204
        assert pat.get("/api/v1/foods/favourites").json() == []

    def test_an_unknown_food_cannot_be_a_favourite(self, pat: Person) -> None:
        assert pat.put(f"/api/v1/foods/{uuid.uuid4()}/favourite").status_code == 404

    def test_logging_a_meal_item_makes_its_food_recent(self, pat: Person) -> None:
        food = create(pat)
        pat.post("/api/v1/meals", json=meal_with("whole_milk"))
        pat.post("/api/v1/meals", json=meal_with(food["id"]))
        recent = pat.get("/api/v1/foods/recent").json()
        assert [f["id"] for f in recent] == [food["id"], str(MILK)]
        assert all(f["recent"] for f in recent)

    def test_a_meal_item_may_name_a_catalog_food_by_uuid(self, pat: Person) -> None:
        sardines = catalog_food_id("curated", "sardines_canned_in_oil")
        assert pat.post("/api/v1/meals", json=meal_with(str(sardines))).status_code == 201

    def test_a_meal_item_naming_an_unknown_food_is_refused(self, pat: Person) -> None:
        for ref in (str(uuid.uuid4()), "no_such_food"):
            response = pat.post("/api/v1/meals", json=meal_with(ref))
            assert response.status_code == 422
            assert response.json()["errors"][0]["field"] == "items[0].food_id"

    def test_a_meal_naming_a_since_deleted_food_of_ones_own_stays_editable(
        self, pat: Person
    ) -> None:
        food = create(pat)
        logged = pat.post("/api/v1/meals", json=meal_with(food["id"])).json()
        pat.delete(f"/api/v1/foods/custom/{food['id']}")
        edited = pat.patch(f"/api/v1/meals/{logged['id']}", json={"note": "tasty"})
        assert edited.status_code == 200, edited.text
        assert pat.get("/api/v1/foods/recent").json() == []

    def test_meal_items_without_a_food_id_are_still_fine(self, pat: Person) -> None:
        assert pat.post("/api/v1/meals", json=meal()).status_code == 201


class TestOfflinePack:
    def test_the_pack_with_fifty_own_foods_is_under_150_kb_gzipped(self, pat: Person) -> None:
        for n in range(50):
            create(
                pat,
                name=f"Home-made dish number {n} with a fairly long descriptive name",
                synonyms=[f"dish {n}", f"family recipe {n}"],
                nutrients_per_100g={k: 1.5 + n for k in ("energy_kcal", "protein_g", "fiber_g")},
                portions=[{"label": "1 bowl", "grams": 250}, {"label": "1 spoon", "grams": 15}],
            )
        response = get(pat, "/api/v1/foods/offline-pack", {"Accept-Encoding": "identity"})
        assert response.status_code == 200
        pack = response.json()
        assert sum(f["source"] == "user" for f in pack["foods"]) == 50
        assert sum(f["source"] == "curated" for f in pack["foods"]) == 347
        assert len(gzip.compress(response.content)) < 150 * 1024

    def test_an_unchanged_pack_answers_304_to_its_etag(self, pat: Person) -> None:
        first = pat.get("/api/v1/foods/offline-pack")
        etag = first.headers["ETag"]
        again = get(pat, "/api/v1/foods/offline-pack", {"If-None-Match": etag})
        assert again.status_code == 304
        assert again.headers["ETag"] == etag
        assert again.content == b""

    def test_a_change_gives_a_new_etag(self, pat: Person) -> None:
        etag = pat.get("/api/v1/foods/offline-pack").headers["ETag"]
        pat.put(f"/api/v1/foods/{catalog_food_id('curated', 'kale_raw')}/favourite")
        changed = get(pat, "/api/v1/foods/offline-pack", {"If-None-Match": etag})
        assert changed.status_code == 200
        assert changed.headers["ETag"] != etag
        kale = next(f for f in changed.json()["foods"] if f.get("source_id") == "kale_raw")
        assert kale["favourite"] is True

    def test_the_pack_is_gzipped_for_clients_that_accept_it(self, pat: Person) -> None:
        response = get(pat, "/api/v1/foods/offline-pack", {"Accept-Encoding": "gzip"})
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.json()["foods"]  # the client decodes it

    def test_recent_usda_foods_join_the_pack(self, pat: Person, client: TestClient) -> None:
        food = create(pat)
        pat.post("/api/v1/meals", json=meal_with(food["id"]))
        pat.put(f"/api/v1/foods/{MILK}/favourite")
        foods = {f["id"]: f for f in pat.get("/api/v1/foods/offline-pack").json()["foods"]}
        assert foods[food["id"]]["recent"] is True
        assert foods[str(MILK)]["favourite"] is True
        assert "vitamin_d_iu" not in foods[food["id"]]["nutrients_per_100g"]  # absent = unknown


class TestCuratedSync:
    def test_the_curated_catalog_is_loaded_and_a_second_sync_writes_nothing(
        self, pat: Person, engine: Engine
    ) -> None:
        assert pat.get(f"/api/v1/foods/{MILK}").json()["nutrients_per_100g"]["calcium_mg"] == 113
        for session in session_scope(session_factory(engine)):
            assert service.sync_curated(session) is False

    def test_curated_ids_are_the_same_everywhere(self) -> None:
        assert catalog_food_id("curated", "whole_milk") == uuid.uuid5(
            service.FOOD_NAMESPACE, "curated:whole_milk"
        )


class TestSupplementForms:
    def test_the_form_table_names_fractions_and_sources(self, pat: Person) -> None:
        forms = {f["key"]: f for f in pat.get("/api/v1/supplement-forms").json()}
        assert forms["calcium_carbonate"]["elemental_fraction"] == 0.4
        assert forms["calcium_citrate"]["elemental_fraction"] == 0.21
        assert all(f["source"] for f in forms.values())

    @pytest.mark.parametrize(
        ("label", "nutrients"),
        [
            ({"form": "calcium_carbonate", "compound_mg": 1250}, {"calcium_mg": 500.0}),
            ({"form": "calcium_citrate", "elemental_mg": 315}, {"calcium_mg": 315.0}),
            ({"form": "vitamin_d3", "mcg": 25}, {"vitamin_d_iu": 1000.0}),
            ({"form": "fish_oil", "epa_mg": 360, "dha_mg": 240}, {"epa_mg": 360, "dha_mg": 240}),
        ],
    )
    def test_a_label_converts_to_per_unit_nutrients(
        self, pat: Person, label: dict[str, Any], nutrients: dict[str, float]
    ) -> None:
        response = pat.post("/api/v1/supplement-forms/convert", json=label)
        assert response.status_code == 200, response.text
        assert response.json()["nutrients_per_unit"] == nutrients

    def test_psyllium_gives_a_soluble_fiber_serving_per_unit(self, pat: Person) -> None:
        body = pat.post("/api/v1/supplement-forms/convert", json={"form": "psyllium"}).json()
        assert body["servings_per_unit"] == {"soluble_fiber": 1.0}

    @pytest.mark.parametrize(
        ("label", "field"),
        [
            (
                {"form": "calcium_carbonate", "compound_mg": 1250, "elemental_mg": 500},
                "elemental_mg",
            ),
            ({"form": "calcium_carbonate"}, "elemental_mg"),
            ({"form": "vitamin_d3", "compound_mg": 10}, "compound_mg"),
            ({"form": "unobtainium", "mcg": 5}, "form"),
            ({"form": "vitamin_k2_mk7", "mcg": -5}, "mcg"),
        ],
    )
    def test_a_label_that_does_not_fit_the_form_is_a_problem_naming_the_field(
        self, pat: Person, label: dict[str, Any], field: str
    ) -> None:
        response = pat.post("/api/v1/supplement-forms/convert", json=label)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field
