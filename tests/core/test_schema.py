"""The shared request schema (core.schema.StrictModel): rules every request body obeys."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from fortify.core.schema import MAX_JSON_DEPTH, Day, Instant, json_too_deep
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

    @pytest.mark.parametrize(
        "hidden",
        [
            "\x01",
            "\x1b[31m",
            "\x7f",
            "\x85",
            "\u202e",
            "\u2066",
            "\u202a",
            "\u2028",
            "\u2029",
            "\ufeff",
            "\uffff",
        ],
    )
    def test_other_hidden_characters_are_refused_naming_the_field(
        self, client: TestClient, hidden: str
    ) -> None:
        """Controls and bidirectional overrides could make a name read backwards in the report."""
        person = sign_up(client)
        response = person.post("/api/v1/meals", meal(name=f"Oats {hidden}and milk"))
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "name"
        assert response.json()["errors"][0]["rule"] == "no_control"
        assert person.get("/api/v1/meals").json()["items"] == []

    def test_tabs_line_breaks_and_right_to_left_text_are_kept(self, client: TestClient) -> None:
        person = sign_up(client)
        note = "line one\nline two\tand a tab; \u05e9\u05dc\u05d5\u05dd \u200fmark"
        response = person.post("/api/v1/meals", meal(note=note))
        assert response.status_code == 201, response.text
        assert response.json()["note"] == note

    def test_a_nul_in_the_envelope_refuses_the_batch(self, client: TestClient) -> None:
        person = sign_up(client)
        response = person.post("/api/v1/sync/push", {"device_id": "pho\x00ne", "operations": []})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "device_id"


class TestBoundedDaysAndInstants:
    """`Day` and `Instant` (core.schema): every day and instant the API reads."""

    @given(
        st.text(max_size=40)
        | st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())
        | st.datetimes().map(str)
        | st.dates().map(str)
    )
    def test_whatever_validates_survives_every_conversion(self, text: str) -> None:
        """Whatever validates can be moved two days either way and shown in any time zone from
        UTC-14 to UTC+14 without overflowing; everything else is a ValidationError (422)."""
        try:
            day = TypeAdapter(Day).validate_python(text)
        except ValidationError:
            pass
        else:
            assert day + dt.timedelta(days=2) > day - dt.timedelta(days=2)
        try:
            instant = TypeAdapter(Instant).validate_python(text)
        except ValidationError:
            return
        for hours in (-14, 0, 14):
            local = instant.astimezone(dt.timezone(dt.timedelta(hours=hours)))
            assert local + dt.timedelta(days=2) > local - dt.timedelta(days=2)

    @pytest.mark.parametrize(
        "text", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "3000-01-01T00:00:00Z"]
    )
    def test_instants_at_the_calendars_edges_are_refused_with_their_rule(self, text: str) -> None:
        with pytest.raises(ValidationError) as raised:
            TypeAdapter(Instant).validate_python(text)
        assert raised.value.errors()[0]["type"] == "supported_range"


class TestJsonDepth:
    @given(st.integers(min_value=0, max_value=300))
    def test_nesting_beyond_the_limit_is_found_without_recursion(self, depth: int) -> None:
        value: Any = "x"
        for _ in range(depth):
            value = [value] if depth % 2 else {"k": value}
        assert json_too_deep(value) == (depth > MAX_JSON_DEPTH)
