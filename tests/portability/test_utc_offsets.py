"""UTC offsets beyond -12:00..+14:00 (F0): refused on the way in, harmless once stored.

`+14:01` parses (Python takes any offset under a day) but no clock shows it and FHIR's dateTime
cannot hold it: one such symptom, accepted, made every later FHIR export answer 200 and then
stop mid-stream. The one bounded instant type (core.schema) refuses it for every input (REST,
sync, imports); rows stored before are written in UTC, so no export can fail on them.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Engine, update

from fortify.core.schema import Instant, Timestamp
from fortify.entries.kinds import KINDS
from tests.factories import Person, meal, sign_up
from tests.portability.test_apple_health import export_zip
from tests.sync.helpers import push, upsert

BEYOND = ["+14:01", "+14:30", "+15:00", "+23:59", "-23:59", "-12:01"]
AT = "2026-11-20T08:00:00"


def _names(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert any(e["field"] == field and e["rule"] == "utc_offset_range" for e in errors), errors


class TestTheTypes:
    @pytest.mark.parametrize("offset", BEYOND)
    def test_instants_and_timestamps_refuse_offsets_no_clock_shows(self, offset: str) -> None:
        for kind in (Instant, Timestamp):
            with pytest.raises(ValidationError) as raised:
                TypeAdapter(kind).validate_python(AT + offset)
            assert raised.value.errors()[0]["type"] == "utc_offset_range"

    @pytest.mark.parametrize("offset", ["+14:00", "-12:00", "+05:45", "-09:30", "Z"])
    def test_the_real_extremes_and_odd_minutes_are_kept(self, offset: str) -> None:
        for kind in (Instant, Timestamp):
            TypeAdapter(kind).validate_python(AT + offset)


@pytest.fixture
def person(client: TestClient) -> Person:
    return sign_up(client)


class TestRefusedOnTheWayIn:
    @pytest.mark.parametrize("offset", BEYOND)
    def test_every_timed_entry_refuses_them_naming_the_field(
        self, person: Person, offset: str
    ) -> None:
        when = AT + offset
        _names(
            person.post("/api/v1/symptoms", {"measured_at": when, "worst_pain_0_10": 2}),
            "measured_at",
        )
        _names(
            person.post("/api/v1/measurements", {"measured_at": when, "weight_kg": 70}),
            "measured_at",
        )
        _names(person.post("/api/v1/meals", meal(eaten_at=when)), "eaten_at")
        workout = {
            "started_at": when,
            "activity": "walking",
            "minutes": 30,
            "intensity": "moderate",
        }
        _names(person.post("/api/v1/workouts", workout), "started_at")
        assert person.get("/api/v1/symptoms").json()["items"] == []

    def test_a_sync_push_rejects_that_operation_naming_the_field(self, person: Person) -> None:
        (result,) = push(
            person, [upsert("symptoms", {"measured_at": AT + "+15:00", "worst_pain_0_10": 2})]
        )
        assert result["status"] == "rejected", result
        error = result["problem"]["errors"][0]
        assert (error["field"], error["rule"]) == ("measured_at", "utc_offset_range")

    def test_an_apple_health_import_skips_them_as_invalid(self, person: Person) -> None:
        weights = "".join(
            f'<Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Scale" unit="kg" '
            f'startDate="2026-11-1{n} 08:00:00 {offset}" endDate="2026-11-1{n} 08:00:00 {offset}" '
            f'value="70"/>'
            for n, offset in enumerate(["+1401", "+1500", "+2359", "-2359", "+0100"])
        )
        xml = f'<?xml version="1.0" encoding="UTF-8"?><HealthData>{weights}</HealthData>'
        response = person.post(
            "/api/v1/import/apple-health",
            files={"file": ("export.zip", export_zip(xml), "application/zip")},
        )
        assert response.status_code == 200, response.text
        counts = response.json()
        assert counts["measurements"] == 1
        assert counts["skipped"]["invalid"] == 4
        assert _bundle(person)  # and the FHIR export is whole

    def test_an_import_refuses_them_naming_the_record(
        self, client: TestClient, person: Person
    ) -> None:
        assert (
            person.post(
                "/api/v1/symptoms", {"measured_at": AT + "+01:00", "worst_pain_0_10": 2}
            ).status_code
            == 201
        )
        document = person.get("/api/v1/export").json()
        document["symptoms"][0]["measured_at"] = AT + "+14:01"
        _names(sign_up(client).post("/api/v1/import", document), "symptoms[0].measured_at")


def _bundle(person: Person) -> dict[str, Any]:
    response = person.get("/api/v1/export/fhir")
    assert response.status_code == 200, response.text
    bundle: dict[str, Any] = response.json()  # a cut-off body does not parse
    Bundle.model_validate(bundle)
    return bundle


def _plant(engine: Engine, kind: str, record_id: str, minutes: int) -> None:
    """A row stored before offsets were checked: its offset set in the database directly."""
    model = KINDS[kind].model
    with engine.begin() as connection:
        connection.execute(
            update(model).where(model.id == uuid.UUID(record_id)).values(utc_offset_minutes=minutes)
        )


class TestStoredBefore:
    """Rows stored with such an offset before the API refused them."""

    @pytest.mark.parametrize("minutes", [14 * 60 + 1, 23 * 60 + 59, -(23 * 60 + 59), -13 * 60])
    def test_every_export_and_answer_shows_them_in_utc(
        self, client: TestClient, engine: Engine, person: Person, minutes: int
    ) -> None:
        ids = {}
        for kind, body in {
            "symptoms": {"measured_at": "2026-11-20T08:00:00Z", "worst_pain_0_10": 2},
            "measurements": {"measured_at": "2026-11-20T08:00:00Z", "weight_kg": 70},
            "meals": meal(eaten_at="2026-11-20T08:00:00Z"),
        }.items():
            response = person.post(f"/api/v1/{kind}", body)
            assert response.status_code == 201, response.text
            ids[kind] = response.json()["id"]
            _plant(engine, kind, ids[kind], minutes)
        bundle = _bundle(person)
        times = {
            e["resource"]["effectiveDateTime"]
            for e in bundle["entry"]
            if e["resource"]["resourceType"] == "Observation" and e["resource"].get("valueQuantity")
        }
        assert times == {"2026-11-20T08:00:00+00:00"}
        symptom = person.get(f"/api/v1/symptoms/{ids['symptoms']}").json()
        assert symptom["measured_at"] == "2026-11-20T08:00:00Z"
        assert person.get("/api/v1/export/csv").status_code == 200
        document = person.get("/api/v1/export").json()
        assert document["symptoms"][0]["measured_at"] == "2026-11-20T08:00:00+00:00"
        # the export moves to another account, and a PATCH of another field still works
        moved = sign_up(client).post("/api/v1/import", document)
        assert moved.status_code in (200, 201), moved.text
        patched = person.patch(f"/api/v1/symptoms/{ids['symptoms']}", {"worst_pain_0_10": 3})
        assert patched.status_code == 200, patched.text
