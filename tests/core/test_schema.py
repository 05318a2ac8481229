"""The shared request schema (core.schema.StrictModel): rules every request body obeys."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import meal, sign_up, symptom
from tests.sync.helpers import push, upsert


class TestNoNulCharacter:
    """PostgreSQL refuses U+0000 in text and SQLite stores it: both must refuse it the same."""

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            (meal(name="Break\x00fast"), "name"),
            (meal(note="\x00"), "note"),
            (
                meal(items=[{"food_name": "Milk\x00", "grams": 244, "nutrients": {}}]),
                "items[0].food_name",
            ),
            (symptom(locations=["hands", "kne\x00es"]), "locations[1]"),
        ],
    )
    def test_text_holding_nul_is_refused_naming_the_field(
        self, client: TestClient, body: dict[str, Any], field: str
    ) -> None:
        person = sign_up(client)
        url = "/api/v1/meals" if "eaten_at" in body else "/api/v1/symptoms"
        response = person.post(url, body)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["errors"][0]["field"] == field
        assert problem["errors"][0]["rule"] == "no_nul"
        assert "NUL" in problem["errors"][0]["detail"]
        assert person.get(url).json()["items"] == []

    def test_a_custom_food_and_the_profile_refuse_it_too(self, client: TestClient) -> None:
        person = sign_up(client)
        food = person.post("/api/v1/foods/custom", {"name": "Kefir", "synonyms": ["ke\x00fir"]})
        assert food.status_code == 422
        assert food.json()["errors"][0] == {
            "field": "synonyms[0]",
            "rule": "no_nul",
            "detail": food.json()["errors"][0]["detail"],
        }
        profile = person.patch("/api/v1/profile", {"display_name": "Pat\x00"})
        assert profile.status_code == 422
        assert profile.json()["errors"][0]["field"] == "display_name"

    def test_in_a_sync_push_only_that_operation_is_rejected(self, client: TestClient) -> None:
        person = sign_up(client)
        bad, good = upsert("meals", meal(note="a\x00b")), upsert("meals", meal())
        rejected, applied = push(person, [bad, good])
        assert rejected["status"] == "rejected"
        assert rejected["problem"]["errors"][0]["field"] == "note"
        assert rejected["problem"]["errors"][0]["rule"] == "no_nul"
        assert applied["status"] == "applied"

    def test_a_nul_in_the_envelope_refuses_the_batch(self, client: TestClient) -> None:
        person = sign_up(client)
        response = person.post("/api/v1/sync/push", {"device_id": "pho\x00ne", "operations": []})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "device_id"
