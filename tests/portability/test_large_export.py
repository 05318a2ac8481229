"""A large account's export fits the import, and restores exactly (issue 13, "nothing is lost").

A very large account's version-1 export (93,676 meals, 107 MB, mostly unknown nutrients
written out as `null`) was over what the import reads. Version 2 leaves nulls out: each record
is bounded by what was entered, and a very diligent logger's ten years fit under the limit.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from fortify.accounts.models import User
from fortify.core.db import session_scope
from fortify.demo.generator import DemoEntry, generate
from fortify.demo.service import bulk_write
from fortify.entries.schemas import Nutrients
from fortify.portability.schemas import ExportDocument
from tests.factories import Person, at, sign_up

#: docs/api.md: ten years of a very diligent logger (the demo's busy mode) fit under the limit.
YEARS_THAT_FIT = 10
ENTRY_SECTIONS = ("regimen", "meals", "doses", "workouts", "symptoms", "labs", "measurements")
DAYS = 28  # a sample of her days: four weeks (a weight each day, a vitamin D dose each Sunday)


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def numbers(value: Any) -> int:
    if isinstance(value, dict):
        return sum(numbers(v) for v in value.values())
    if isinstance(value, list):
        return sum(numbers(v) for v in value)
    return int(isinstance(value, int | float) and not isinstance(value, bool))


#: What the export adds to a record entered without nulls: its id and its creation time (UTC
#: with microseconds), each with its key, quotes and a comma.
METADATA_BYTES = (
    len(compact({"id": str(uuid.UUID(int=0)), "created_at": dt.datetime.now(dt.UTC).isoformat()}))
    - len("{}")
    + len(",")
)
#: A number entered as 244 is stored as a float and written back as 244.0.
FLOAT_BYTES = len(".0")


def bound(entered: dict[str, Any]) -> int:
    """The most bytes an exported record may take: what was entered (no nulls in it), its
    metadata, and the float form of its numbers. A record that writes out unknown fields as
    null (version 1: some 280 bytes more a meal item) is over it."""
    return len(compact(entered)) + METADATA_BYTES + FLOAT_BYTES * numbers(entered)


def account(app: FastAPI, client: TestClient, entries: Iterable[DemoEntry]) -> Person:
    """A person signed up through the API whose entries are written in bulk (validated as
    the API would, demo/service.py)."""
    person = sign_up(client)
    for session in session_scope(app.state.session_factory):
        user = session.get(User, uuid.UUID(person.user_id))
        assert user is not None
        bulk_write(session, user, entries)
    return person


def export(person: Person) -> tuple[dict[str, Any], int]:
    response = person.get("/api/v1/export")
    assert response.status_code == 200, response.text
    return response.json(), len(response.content)


def content(document: dict[str, Any]) -> dict[str, Any]:
    """Everything but when it was made, and which account made it (`apple_health.accounts`
    starts with the exporting account's id)."""
    return {k: v for k, v in document.items() if k not in ("exported_at", "apple_health")}


def sparse_entries(days: int) -> list[DemoEntry]:
    """Entries as a quick logger or Apple Health writes them: meals of one or two items, each
    with one or two known nutrients, doses with their own snapshot. No nulls in them."""
    out = []
    for n in range(days):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=n)
        for hour in (8, 10, 13, 16, 19):
            items = [
                {
                    "food_name": "Calcium (Health)",
                    "grams": 0,
                    "nutrients": {"calcium_mg": 100 + n % 50},
                    "servings": {},
                }
            ]
            if hour in (8, 19):
                items.append(
                    {
                        "food_id": "whole_milk",
                        "food_name": "Milk, whole",
                        "grams": 244,
                        "nutrients": {"calcium_mg": 276, "energy_kcal": 149},
                        "servings": {},
                    }
                )
            payload = {"eaten_at": at(day, hour), "name": "Snack", "items": items}
            out.append(DemoEntry("meals", {"id": str(uuid.uuid4())} | payload))
        dose = {
            "taken_at": at(day, 9),
            "units": 1,
            "kind": "supplement",
            "nutrients": {"vitamin_d_iu": 1000},
            "servings": {},
        }
        out.append(DemoEntry("doses", {"id": str(uuid.uuid4())} | dose))
    return out


class TestTheExportIsBoundedByWhatWasEntered:
    def test_no_record_writes_out_an_unknown_field(self, app: FastAPI, client: TestClient) -> None:
        entries = sparse_entries(60)
        person = account(app, client, entries)
        document, size = export(person)
        assert document["version"] == 3
        exported = {r["id"]: r for name in ("meals", "doses") for r in document[name]}
        assert len(exported) == len(entries) == 360
        for entry in entries:
            entered = {k: v for k, v in entry.payload.items() if k != "id"}
            record = exported[entry.payload["id"]]
            assert len(compact(record)) <= bound(entered), record
            assert "null" not in compact(record), record
        assert size / len(entries) <= max(bound(e.payload) for e in entries)


class TestALargeAccountRoundTrips:
    def test_ten_years_of_a_diligent_logger_fit_and_every_entry_is_restored_exactly(
        self, app: FastAPI, client: TestClient
    ) -> None:
        first = dt.date(2026, 1, 5)
        person = account(app, client, generate(seed=3, first_day=first, days=DAYS, busy=True))
        # A reminder with the nulls that mean something (every day; the item's own times).
        reminder = {"kind": "custom", "title": "Walk", "times": ["07:30"], "days_of_week": None}
        assert person.post("/api/v1/reminders", json=reminder).status_code == 201
        document, size = export(person)
        entries = sum(len(document[name]) for name in ENTRY_SECTIONS)
        assert entries > 25 * DAYS  # a very diligent logger: about 30 entries a day

        limit = app.state.settings.max_import_bytes
        years_bytes = size / DAYS * 365.25 * YEARS_THAT_FIT
        assert years_bytes <= limit, f"{YEARS_THAT_FIT} years: {years_bytes:,.0f} > {limit:,}"

        copy = sign_up(client)
        imported = copy.post("/api/v1/import", json=document)
        assert imported.status_code == 200, imported.text
        again, _ = export(copy)
        assert content(again) == content(document)

    def test_a_version_1_document_with_every_null_written_restores_the_same(
        self, app: FastAPI, client: TestClient
    ) -> None:
        person = account(app, client, generate(seed=5, first_day=dt.date(2026, 2, 2), days=7))
        document, size = export(person)
        # Version 1 wrote every field, null or not: what the models give back in full.
        old = ExportDocument.model_validate(document).model_dump(mode="json") | {"version": 1}
        item = old["doses"][0]["nutrients"]
        assert set(item) == set(Nutrients.model_fields) and None in item.values()
        assert len(compact(old)) > size
        copy = sign_up(client)
        assert copy.post("/api/v1/import", json=old).status_code == 200
        again, _ = export(copy)
        assert content(again) == content(document)
