"""Inputs at the edges of their type are 4xx problem+json naming the field, never 500s.

Each class is checked over every operation that has it, found in the app's own OpenAPI
schema, so a new route or parameter is covered the day it is added:

- days and instants at the calendar's edges (`to=9999-12-31`, `from=0001-01-01`,
  `9999-12-31T23:59:59-14:00`, an instant without an offset): `core.schema.Day`/`Instant`;
- crafted opaque cursors (base64 of a naive instant, a number past any range, bytes that are
  not UTF-8): `core.cursor.decode`;
- URLs that do not parse (`https://[::1`, a port that is not a number): `core.urls`.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.factories import Person, meal, sign_up
from tests.reminders.push_peer import browser_keys

EDGE_DAYS = ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"]
EDGE_INSTANTS = [
    "9999-12-31T23:59:59-14:00",  # past year 9999 in UTC
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
    "9999-12-31T23:59:59+00:00",
    "2026-01-01T00:00:00",  # no offset: cannot be compared with a stored instant
]
A_DAY = "2026-11-20"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


some_id = uuid.uuid4()
CRAFTED_CURSORS = [
    _b64(f"2026-01-01T00:00:00|{some_id}".encode()),  # naive instant
    _b64(f"9999-12-31T23:59:59-14:00|{some_id}".encode()),
    _b64(f"0001-01-01T00:00:00+14:00|{some_id}".encode()),
    _b64(b"v1:" + b"9" * 40),
    _b64(b"v1:-1"),
    _b64("v1:\u0661".encode()),  # an Arabic-Indic one: int() reads it, no cursor of ours has it
    _b64("\u0661".encode()),
    _b64(b"9" * 40),
    _b64(b"\xff\xfe\x00"),
    _b64(b"name|not-a-uuid"),
    _b64(b"|"),
    "!!!not-base64!!!",
    "A",
]


def _parameters(app: FastAPI) -> Iterator[tuple[str, str, dict[str, Any], set[str | None]]]:
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                formats = {schema.get("format")} | {
                    s.get("format") for s in schema.get("anyOf", [])
                }
                yield method, path, parameter, formats


def _send(person: Person, method: str, path: str, parameter: dict[str, Any], value: str) -> Any:
    """The operation with `value` in `parameter` and valid values in its other required ones."""
    name = parameter["name"]
    query = {"from": A_DAY, "to": A_DAY} if path == "/api/v1/days" else {}
    if parameter["in"] == "path":
        path = path.replace("{" + name + "}", value)
    else:
        query[name] = value
    return person.client.request(method.upper(), path, params=query, headers=person.headers)


def _assert_names(response: Any, field: str, rule: str | None = None) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert any(e["field"] == field and (rule is None or e["rule"] == rule) for e in errors), errors


@pytest.fixture
def person(client: TestClient) -> Person:
    return sign_up(client)


class TestDaysAndInstants:
    def test_every_day_parameter_refuses_days_at_the_calendars_edges(
        self, app: FastAPI, person: Person
    ) -> None:
        checked = set()
        for method, path, parameter, formats in _parameters(app):
            if "date" not in formats:
                continue
            for value in EDGE_DAYS:
                response = _send(person, method, path, parameter, value)
                _assert_names(response, parameter["name"], "supported_range")
            checked.add((path, parameter["name"]))
        # lists, the CSV export, the care-team report and the day reports are among them
        assert {("/api/v1/meals", "to"), ("/api/v1/export/csv", "from")} <= checked
        assert {("/api/v1/reports/care-team", "to"), ("/api/v1/days/{day}", "day")} <= checked

    def test_every_instant_parameter_refuses_instants_at_the_edges_or_without_offset(
        self, app: FastAPI, person: Person
    ) -> None:
        checked = []
        for method, path, parameter, formats in _parameters(app):
            if "date-time" not in formats:
                continue
            for value in EDGE_INSTANTS:
                _assert_names(_send(person, method, path, parameter, value), parameter["name"])
            checked.append(path)
        assert "/api/v1/audit" in checked

    def test_a_reminder_snoozed_to_the_end_of_time_is_refused_naming_the_field(
        self, person: Person
    ) -> None:
        reminder = {"kind": "custom", "title": "Walk", "times": ["08:00"]}
        for value in EDGE_INSTANTS[:2]:
            response = person.post("/api/v1/reminders", reminder | {"snoozed_until": value})
            _assert_names(response, "snoozed_until", "supported_range")

    @pytest.mark.parametrize(
        ("path", "body", "field"),
        [
            ("/api/v1/meals", meal(eaten_at="9999-12-31T23:59:59-14:00"), "eaten_at"),
            ("/api/v1/meals", meal(eaten_at="0001-01-01T00:00:00+14:00"), "eaten_at"),
        ],
    )
    def test_entry_times_at_the_edges_are_refused(
        self, person: Person, path: str, body: dict[str, Any], field: str
    ) -> None:
        _assert_names(person.post(path, body), field, "supported_range")

    @pytest.mark.parametrize("value", ["1764576000", 1764576000, 1764576000.5, "tomorrow"])
    def test_a_time_that_is_not_iso_8601_is_refused_not_read_as_seconds(
        self, person: Person, value: object
    ) -> None:
        # Found from outside: "1764576000" was taken as seconds since 1970 (pydantic's lax mode).
        _assert_names(person.post("/api/v1/meals", meal(eaten_at=value)), "eaten_at", "iso_8601")
        regimen = {"name": "Calcium", "kind": "supplement", "started_on": value}
        _assert_names(person.post("/api/v1/regimen", regimen), "started_on", "iso_8601")

    def test_every_day_and_instant_parameter_refuses_seconds_since_1970(
        self, app: FastAPI, person: Person
    ) -> None:
        checked = 0
        for method, path, parameter, formats in _parameters(app):
            if "date" in formats or "date-time" in formats:
                response = _send(person, method, path, parameter, "1764576000")
                _assert_names(response, parameter["name"], "iso_8601")
                checked += 1
        assert checked >= 5

    def test_profile_and_regimen_days_at_the_edges_are_refused(self, person: Person) -> None:
        response = person.patch("/api/v1/profile", {"therapy_start_date": "9999-12-31"})
        _assert_names(response, "therapy_start_date", "supported_range")
        regimen = {"name": "Calcium", "kind": "supplement", "started_on": "0001-01-01"}
        _assert_names(person.post("/api/v1/regimen", regimen), "started_on", "supported_range")

    def test_imported_records_from_year_1_or_9999_are_refused(self, person: Person) -> None:
        for created_at in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):
            document = {
                "exported_at": "2026-11-20T08:00:00+00:00",
                "meals": [meal(id=str(uuid.uuid4()), created_at=created_at)],
            }
            response = person.post("/api/v1/import", document)
            _assert_names(response, "meals[0].created_at", "supported_range")


class TestCursors:
    def test_every_cursor_parameter_refuses_crafted_cursors_naming_it(
        self, app: FastAPI, person: Person
    ) -> None:
        checked = []
        for method, path, parameter, _ in _parameters(app):
            if parameter["name"] != "cursor":
                continue
            for value in CRAFTED_CURSORS:
                response = _send(person, method, path, parameter, value)
                if response.status_code == 200 and path == "/api/v1/foods/custom":
                    continue  # "<any name>|<uuid>" is a well-formed cursor of this list
                _assert_names(response, "cursor")  # `format`, or too long for a cursor
            checked.append(path)
        assert {"/api/v1/meals", "/api/v1/foods", "/api/v1/sync/pull"} <= set(checked)


class TestUrls:
    @pytest.mark.parametrize(
        "endpoint",
        [
            "https://[::1",
            "https://push.example.com:abc/x",
            "https://push.example.com:99999/x",
            "https://push example.com/x",
            "https://user:pw@push.example.com/x",
            "ftp://push.example.com/x",
            "https:///nohost",
        ],
    )
    def test_a_push_endpoint_that_is_not_a_web_url_is_refused(
        self, person: Person, endpoint: str
    ) -> None:
        body = {"endpoint": endpoint, "keys": browser_keys()}
        response = person.post("/api/v1/push/subscriptions", body)
        _assert_names(response, "endpoint")
