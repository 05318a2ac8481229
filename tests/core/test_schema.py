"""The shared request schema (core.schema.StrictModel): rules every request body obeys."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field, TypeAdapter, ValidationError

from fortify.core.schema import (
    MAX_JSON_DEPTH,
    Day,
    Instant,
    StrictModel,
    is_blank,
    json_too_deep,
)
from tests.factories import meal, regimen, sign_up, symptom
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
        # a name is one line: the controls that break a line are named as line breaks first
        breaks_a_line = len(f"a{hidden}b".splitlines()) > 1
        rule = "single_line" if breaks_a_line else "no_control"
        assert response.json()["errors"][0]["rule"] == rule
        assert person.get("/api/v1/meals").json()["items"] == []

    @pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
    def test_a_note_refusing_a_separator_says_so_and_not_that_line_breaks_are_fine(
        self, client: TestClient, separator: str
    ) -> None:
        """The words said "line breaks are fine" while refusing U+2028 (outside re-check N7)."""
        response = sign_up(client).post("/api/v1/meals", meal(note=f"one{separator}two"))
        assert response.status_code == 422, response.text
        error = response.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("note", "no_control")
        assert "line breaks are fine" not in error["detail"]
        assert f"U+{ord(separator):04X}" in error["detail"]

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


# What the outside probe stored as names (F5): zero-width space, word joiner, zero-width joiner,
# soft hyphen, Hangul filler, Hangul choseong filler, braille blank, combining grapheme joiner.
INVISIBLES = ["\u200b", "\u2060", "\u200d", "\u00ad", "\u3164", "\u115f", "\u2800", "\u034f"]
# Drawn from to build names that show nothing: the probe's, whitespace, and more of Unicode's
# default-ignorable code points (variation selectors, tags, the Mongolian vowel separator).
SHOWS_NOTHING = [*INVISIBLES, " ", "\u00a0", "\u2003", "\u3000", "\ufe0f", "\U000e0067", "\u180e"]


class _Named(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    nickname: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    places: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(default_factory=list)
    note: str | None = None


def _rule(data: dict[str, Any]) -> tuple[str, str] | None:
    try:
        _Named.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        return error["type"], ".".join(str(part) for part in error["loc"])
    return None


class TestNotBlank:
    """A required text that shows nothing is refused (rule `not_blank`), wherever an empty one
    is: invisible characters are not whitespace, so the strip left them and a name of only
    them was stored as an empty-looking row (an outside probe, F5)."""

    @given(st.lists(st.sampled_from(SHOWS_NOTHING), min_size=1, max_size=8).map("".join))
    def test_a_text_of_only_invisibles_and_spaces_is_refused_where_text_is_required(
        self, blank: str
    ) -> None:
        assert is_blank(blank)
        expected = "string_too_short" if not blank.strip() else "not_blank"
        assert _rule({"name": blank}) == (expected, "name")
        assert _rule({"name": "Oats", "nickname": blank}) == (expected, "nickname")
        assert _rule({"name": "Oats", "places": ["knees", blank]}) == (expected, "places.1")
        # Where text may be empty it may be invisible: nothing is required there.
        assert _rule({"name": "Oats", "note": blank}) is None

    @given(
        st.lists(st.sampled_from(SHOWS_NOTHING), max_size=4).map("".join),
        st.text(
            # Letters, digits, punctuation, symbols, less the fillers drawn blank (Lo, So).
            st.characters(
                categories=["L", "N", "P", "S"],
                exclude_characters="\u115f\u1160\u2800\u3164\uffa0",
            ),
            min_size=1,
            max_size=4,
        ),
        st.lists(st.sampled_from(SHOWS_NOTHING), max_size=4).map("".join),
    )
    def test_text_that_shows_something_is_kept_with_its_invisibles(
        self, before: str, visible: str, after: str
    ) -> None:
        text = before + visible + after
        assert not is_blank(text)
        assert _rule({"name": text}) is None

    @pytest.mark.parametrize(
        "text",
        [
            "\U0001f469\u200d\u2695\ufe0f",  # woman health worker: ZWJ and a variation selector
            "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland
            "\u0915\u094d\u200d\u0937",  # Devanagari with a zero-width joiner
            "\u0646\u0627\u200c\u0645",  # Persian with a zero-width non-joiner
            "co\u00adoperation",  # a soft hyphen inside a word
        ],
    )
    def test_joiners_inside_real_text_stay_allowed(self, client: TestClient, text: str) -> None:
        person = sign_up(client)
        response = person.post("/api/v1/meals", meal(name=text))
        assert response.status_code == 201, response.text
        assert response.json()["name"] == text

    @pytest.mark.parametrize("blank", INVISIBLES)
    def test_every_name_the_probe_used_is_refused_naming_the_field(
        self, client: TestClient, blank: str
    ) -> None:
        person = sign_up(client)
        feed = {"name": blank}
        refused = {
            ("/api/v1/meals", "name"): person.post("/api/v1/meals", meal(name=blank)),
            ("/api/v1/regimen", "name"): person.post("/api/v1/regimen", regimen(name=blank)),
            ("/api/v1/symptoms", "locations[0]"): person.post(
                "/api/v1/symptoms", symptom(locations=[blank])
            ),
            ("/api/v1/reminders", "title"): person.post(
                "/api/v1/reminders", {"kind": "custom", "title": blank, "times": ["08:00"]}
            ),
            ("/api/v1/foods/custom", "name"): person.post("/api/v1/foods/custom", {"name": blank}),
            ("/api/v1/calendar-feeds", "name"): person.post("/api/v1/calendar-feeds", feed),
            ("/api/v1/tokens", "name"): person.post(
                "/api/v1/tokens", {"name": blank, "scopes": ["read"]}
            ),
            ("/api/v1/profile", "display_name"): person.patch(
                "/api/v1/profile", {"display_name": blank}
            ),
            ("/api/v1/accounts", "display_name"): client.post(
                "/api/v1/accounts",
                json={
                    "email": "new@example.com",
                    "password": "Purple-Giraffe-Orbit-77",
                    "display_name": blank,
                },
            ),
        }
        for (url, field), response in refused.items():
            assert response.status_code == 422, (url, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            error = response.json()["errors"][0]
            assert (error["field"], error["rule"]) == (field, "not_blank"), url
        assert person.get("/api/v1/meals").json()["items"] == []
        assert person.get("/api/v1/profile").json()["display_name"] == "Pat"

    def test_in_a_sync_push_the_operation_is_rejected_naming_the_field(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        meal_op = upsert("meals", meal(name="\u200b\u2060"))
        profile_op = upsert("profile", {"display_name": "\u3164"}, entity_id=person.user_id)
        results = push(person, [meal_op, profile_op])
        for result, field in zip(results, ["name", "display_name"], strict=True):
            assert result["status"] == "rejected", result
            error = result["problem"]["errors"][0]
            assert (error["field"], error["rule"]) == (field, "not_blank")


class TestSingleLineDisplayName:
    """A display name is one line: it is put in mails and calendar names (F6, F7)."""

    @pytest.mark.parametrize(
        "name", ["Your bank\n\nURGENT: verify at http://evil.example/login", "Eve\rX:1", "A\r\nB"]
    )
    def test_a_line_break_is_refused_everywhere_the_name_is_set(
        self, client: TestClient, name: str
    ) -> None:
        person = sign_up(client)
        sign_up_response = client.post(
            "/api/v1/accounts",
            json={
                "email": "someone-else@example.com",
                "password": "Attacker-Chosen-Pass-4412",
                "display_name": name,
            },
        )
        answers = {
            "sign-up": sign_up_response,
            "profile": person.patch("/api/v1/profile", {"display_name": name}),
        }
        for where, response in answers.items():
            assert response.status_code == 422, (where, response.text)
            error = response.json()["errors"][0]
            assert (error["field"], error["rule"]) == ("display_name", "single_line"), where
        profile_op = upsert("profile", {"display_name": name}, entity_id=person.user_id)
        (pushed,) = push(person, [profile_op])
        assert pushed["status"] == "rejected"
        error = pushed["problem"]["errors"][0]
        assert (error["field"], error["rule"]) == ("display_name", "single_line")
        document = person.get("/api/v1/export").json()
        document["profile"]["display_name"] = name
        imported = sign_up(client).post("/api/v1/import", document)
        assert imported.status_code == 422, imported.text
        error = imported.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("profile.display_name", "single_line")
        assert person.get("/api/v1/profile").json()["display_name"] == "Pat"
        outbox = client.app.state.mailer  # type: ignore[attr-defined]
        assert outbox.to("someone-else@example.com") == []

    def test_a_name_on_one_line_with_spaces_and_tabs_around_is_kept_trimmed(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        response = person.patch("/api/v1/profile", {"display_name": "\n  Ann Marie\t\n"})
        assert response.status_code == 200, response.text
        assert response.json()["display_name"] == "Ann Marie"


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


def _request_models() -> list[type[StrictModel]]:
    """Every StrictModel the app defines (request bodies, sync entities, import records)."""
    import importlib
    import pkgutil

    import fortify

    for module in pkgutil.walk_packages(fortify.__path__, "fortify."):
        importlib.import_module(module.name)
    found: list[type[StrictModel]] = []
    todo: list[type[StrictModel]] = [StrictModel]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return [m for m in found if m.__module__.startswith("fortify.")]


# Texts that may hold line breaks, reviewed: notes are paragraphs; a password is whatever she
# typed and is never shown. Anything else a person types is one line (F7).
MULTI_LINE_FIELDS = {"note", "password", "current_password", "new_password"}


def _errors_at(model: type[StrictModel], name: str, value: Any) -> list[str]:
    try:
        model.model_validate({name: value})
    except ValidationError as exc:
        return [str(e["type"]) for e in exc.errors() if e["loc"][:1] == (name,)]
    return []


class TestSingleLineByClass:
    """Every text of every request model is one line unless reviewed as multi-line (F7: ten
    names took CR/LF; only display_name was checked)."""

    def test_every_text_field_refuses_a_line_break_unless_reviewed(self) -> None:
        checked = set()
        for model in _request_models():
            for name in model.model_fields:
                for shape in (lambda text: text, lambda text: [text]):
                    if _errors_at(model, name, shape("Ab")) or not _errors_at(model, name, 5):
                        continue  # not a text (or a list of them), a text with a format, any JSON
                    broken = _errors_at(model, name, shape("A\r\nb"))
                    if name in MULTI_LINE_FIELDS:
                        assert broken == [], (model.__name__, name, broken)
                    else:
                        assert "single_line" in broken, (model.__name__, name, broken)
                    checked.add(name)
        # the names the probe found taking CR/LF are among them
        assert {"name", "device_name", "title", "locations", "therapy_medicine"} <= checked
        assert {"food_name", "label", "synonyms", "display_name", "note"} <= checked

    @pytest.mark.parametrize(
        ("method", "path", "body", "field"),
        [
            ("POST", "/api/v1/calendar-feeds", {"name": "A\r\nB"}, "name"),
            ("POST", "/api/v1/tokens", {"name": "A\r\nB", "scopes": ["read"]}, "name"),
            ("POST", "/api/v1/regimen", {"name": "A\r\nB", "kind": "medicine"}, "name"),
            ("POST", "/api/v1/meals", meal(name="A\r\nB"), "name"),
            ("POST", "/api/v1/foods/custom", {"name": "A\r\nB"}, "name"),
            ("POST", "/api/v1/symptoms", symptom(locations=["knee\nhip"]), "locations[0]"),
            ("PATCH", "/api/v1/profile", {"therapy_medicine": "A\nB"}, "therapy_medicine"),
            (
                "POST",
                "/api/v1/reminders",
                {"kind": "custom", "title": "A\u2028B", "times": ["08:00"]},
                "title",
            ),
        ],
    )
    def test_the_names_the_probe_used_are_refused_naming_the_field(
        self, client: TestClient, method: str, path: str, body: dict[str, Any], field: str
    ) -> None:
        person = sign_up(client)
        response = person.client.request(method, path, json=body, headers=person.headers)
        assert response.status_code == 422, response.text
        error = response.json()["errors"][0]
        assert (error["field"], error["rule"]) == (field, "single_line")

    def test_a_note_keeps_its_line_breaks(self, client: TestClient) -> None:
        person = sign_up(client)
        response = person.post("/api/v1/meals", meal(note="first line\nsecond line"))
        assert response.status_code == 201, response.text
        assert response.json()["note"] == "first line\nsecond line"
