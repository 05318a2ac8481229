"""The full export and its import: an exact round trip, all-or-nothing validation, empty-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from fortify.accounts.models import User
from fortify.catalog.service import catalog_food_id
from fortify.core.db import session_scope
from fortify.days.service import day_series
from fortify.portability.schemas import ExportDocument
from fortify.scoring import report_to_dict
from tests.factories import Person, sign_up, symptom
from tests.portability.conftest import DAYS


def _reports(app: FastAPI, user_id: str, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    for session in session_scope(app.state.session_factory):
        user = session.scalar(select(User).where(User.id == __import__("uuid").UUID(user_id)))
        assert user is not None
        return [report_to_dict(r) for r in day_series(session, user, first, last)]
    raise AssertionError("unreachable")


def _export(person: Person) -> dict[str, Any]:
    response = person.get("/api/v1/export")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment")
    return response.json()  # type: ignore[no-any-return]


class TestRoundTrip:
    def test_an_import_reproduces_every_day_report_of_the_exported_account(
        self, app: FastAPI, client: TestClient, demo: Person
    ) -> None:
        document = _export(demo)
        ExportDocument.model_validate(document)
        assert len(document["meals"]) > 200 and len(document["doses"]) > 200
        copy = sign_up(client)
        imported = copy.post("/api/v1/import", json=document)
        assert imported.status_code == 200, imported.text
        assert imported.json()["imported"]["meals"] == len(document["meals"])

        last = dt.date.today() - dt.timedelta(days=1)
        first = last - dt.timedelta(days=DAYS + 6)  # and the week before the history began
        original = _reports(app, demo.user_id, first, last)
        restored = _reports(app, copy.user_id, first, last)
        assert len(original) == DAYS + 7
        assert restored == original
        assert any(r["entry_count"] > 0 and r["adherence"] for r in original)

    def test_the_export_of_the_copy_equals_the_original_export(
        self, client: TestClient, demo: Person
    ) -> None:
        document = _export(demo)
        copy = sign_up(client)
        assert copy.post("/api/v1/import", json=document).status_code == 200
        again = _export(copy)
        for section in ("exported_at",):
            document.pop(section), again.pop(section)
        document["profile"].pop("display_name"), again["profile"].pop("display_name")
        # The copy's Apple Health ids may be derived from either account (provenance.py).
        assert document.pop("apple_health") == {"accounts": [demo.user_id], "deleted": {}}
        assert again.pop("apple_health") == {
            "accounts": [copy.user_id, demo.user_id],
            "deleted": {},
        }
        assert again == document

    def test_custom_foods_favourites_and_their_meals_follow_into_the_copy(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        food = person.post(
            "/api/v1/foods/custom",
            json={"name": "Grandma's kefir", "nutrients_per_100g": {"calcium_mg": 130}},
        )
        assert food.status_code == 201, food.text
        food_id = food.json()["id"]
        assert (
            person.client.put(
                f"/api/v1/foods/{food_id}/favourite", headers=person.headers
            ).status_code
            == 204
        )
        meal = {
            "eaten_at": "2026-11-20T08:00:00+00:00",
            "name": "Breakfast",
            "items": [{"food_id": food_id, "food_name": "Kefir", "grams": 200}],
        }
        assert person.post("/api/v1/meals", json=meal).status_code == 201
        document = _export(person)
        assert [f["id"] for f in document["custom_foods"]] == [food_id]
        assert [f["food_id"] for f in document["favourites"]] == [food_id]

        copy = sign_up(client)
        assert copy.post("/api/v1/import", json=document).status_code == 200, "import"
        restored = _export(copy)
        (new_food,) = restored["custom_foods"]
        assert new_food["id"] != food_id  # ids of foods are global: a taken one is replaced
        assert new_food["name"] == "Grandma's kefir"
        assert restored["favourites"][0]["food_id"] == new_food["id"]
        assert restored["meals"][0]["items"][0]["food_id"] == new_food["id"]
        # The imported foods and favourites are sync records of the copy: a pull brings them.
        pulled = copy.get("/api/v1/sync/pull").json()["changes"]
        assert {(c["entity"], c["id"]) for c in pulled if c["entity"] != "meals"} >= {
            ("custom_foods", new_food["id"]),
            ("favourites", new_food["id"]),
        }

    def test_a_removed_favourite_is_not_exported(self, client: TestClient) -> None:
        person = sign_up(client)
        milk = "/api/v1/foods/" + str(catalog_food_id("curated", "whole_milk")) + "/favourite"
        assert person.client.put(milk, headers=person.headers).status_code == 204
        assert person.client.delete(milk, headers=person.headers).status_code == 204
        assert _export(person)["favourites"] == []


class TestImportRules:
    def test_an_account_with_data_refuses_an_import_with_409(
        self, client: TestClient, demo: Person
    ) -> None:
        """The account may hold only this file's records (an import of it cut short): its own
        export changes nothing; one record more than the file holds is a 409."""
        document = _export(demo)
        same = demo.post("/api/v1/import", json=document)
        assert same.status_code == 200, same.text
        assert same.json()["present"]["meals"] == len(document["meals"])
        assert same.json()["imported"]["meals"] == 0
        assert demo.post("/api/v1/symptoms", json=symptom()).status_code == 201
        response = demo.post("/api/v1/import", json=document)
        assert response.status_code == 409
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["rule"] == "empty"

    def test_an_invalid_record_is_named_and_nothing_is_written(
        self, client: TestClient, demo: Person
    ) -> None:
        document = _export(demo)
        document["meals"][3]["eaten_at"] = "yesterday"
        copy = sign_up(client)
        response = copy.post("/api/v1/import", json=document)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "meals[3].eaten_at"
        assert _export(copy)["meals"] == []

    def test_a_dose_of_an_unknown_regimen_item_without_a_snapshot_is_refused(
        self, client: TestClient
    ) -> None:
        document = {
            "exported_at": "2026-11-27T08:00:00+00:00",
            "doses": [
                {
                    "id": "00000000-0000-4000-8000-000000000001",
                    "taken_at": "2026-11-20T08:00:00+00:00",
                    "regimen_item_id": "00000000-0000-4000-8000-000000000002",
                }
            ],
            "workouts": [
                {
                    "id": "00000000-0000-4000-8000-000000000003",
                    "activity": "yoga",
                    "started_at": "2026-11-20T08:00:00+00:00",
                    "minutes": 30,
                }
            ],
        }
        person = sign_up(client)
        response = person.post("/api/v1/import", json=document)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "doses[0].regimen_item_id"
        assert person.get("/api/v1/workouts").json()["items"] == []

    def test_a_food_this_server_does_not_have_is_named(self, client: TestClient) -> None:
        document = {
            "exported_at": "2026-11-27T08:00:00+00:00",
            "meals": [
                {
                    "id": "00000000-0000-4000-8000-000000000001",
                    "eaten_at": "2026-11-20T08:00:00+00:00",
                    "name": "Lunch",
                    "items": [
                        {"food_name": "Milk", "grams": 100},
                        {"food_id": "no_such_food", "food_name": "?", "grams": 100},
                    ],
                }
            ],
        }
        response = sign_up(client).post("/api/v1/import", json=document)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "meals[0].items[1].food_id"

    def test_the_same_id_twice_in_a_section_is_refused(self, client: TestClient) -> None:
        symptom = {
            "id": "00000000-0000-4000-8000-000000000001",
            "measured_at": "2026-11-20T08:00:00+00:00",
            "worst_pain_0_10": 3,
        }
        document = {"exported_at": "2026-11-27T08:00:00+00:00", "symptoms": [symptom, symptom]}
        response = sign_up(client).post("/api/v1/import", json=document)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "symptoms[1].id"

    def test_reminders_round_trip(self, client: TestClient) -> None:
        reminder = {
            "id": "00000000-0000-4000-8000-000000000002",
            "kind": "custom",
            "title": "Stretch",
            "times": ["18:30"],
            "days_of_week": [0, 2, 4],
        }
        document = {"exported_at": "2026-11-27T08:00:00+00:00", "reminders": [reminder]}
        person = sign_up(client)
        response = person.post("/api/v1/import", json=document)
        assert response.status_code == 200, response.text
        assert response.json()["imported"]["reminders"] == 1
        exported = person.get("/api/v1/export").json()["reminders"]
        assert [(r["id"], r["times"], r["days_of_week"]) for r in exported] == [
            (reminder["id"], ["18:30"], [0, 2, 4])
        ]

    def test_a_reminder_of_a_regimen_item_not_in_the_document_is_refused(
        self, client: TestClient
    ) -> None:
        reminder = {
            "id": "00000000-0000-4000-8000-000000000003",
            "kind": "dose",
            "title": "Anastrozole",
            "regimen_item_id": "00000000-0000-4000-8000-000000000004",
        }
        document = {"exported_at": "2026-11-27T08:00:00+00:00", "reminders": [reminder]}
        response = sign_up(client).post("/api/v1/import", json=document)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "reminders[0].regimen_item_id"


class TestCareTeamItems:
    def test_set_by_care_team_and_the_creation_time_follow_into_the_copy(
        self, demo: Person, client: TestClient
    ) -> None:
        document = _export(demo)
        copy = sign_up(client)
        assert copy.post("/api/v1/import", json=document).status_code == 200
        originals = {r["name"]: r for r in demo.get("/api/v1/regimen").json()["items"]}
        copies = {r["name"]: r for r in copy.get("/api/v1/regimen").json()["items"]}
        for name, original in originals.items():
            assert copies[name]["set_by_care_team"] == original["set_by_care_team"]
            assert copies[name]["created_at"] == original["created_at"]
        assert copies["Vitamin D3 50,000 IU (Sundays)"]["set_by_care_team"] is True


class TestImportSize:
    """The JSON import reads at most `max_import_bytes` (64 MiB), refused before parsing."""

    def _headers(self, person: Person) -> dict[str, str]:
        return person.headers | {"content-type": "application/json"}

    def test_a_declared_body_over_the_limit_is_413_before_it_is_read(
        self, client: TestClient, app: FastAPI
    ) -> None:
        person = sign_up(client)
        limit = app.state.settings.max_import_bytes
        assert limit == 64 * 1024 * 1024
        body = b'{"exported_at": "2026-11-27T08:00:00+00:00", "x": "' + b"x" * limit + b'"}'
        response = client.post("/api/v1/import", content=body, headers=self._headers(person))
        assert response.status_code == 413
        assert response.json()["errors"][0] == {
            "field": "body",
            "rule": "max_bytes",
            "detail": f"at most {limit} bytes",
        }

    def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit(
        self, client: TestClient, app: FastAPI
    ) -> None:
        person = sign_up(client)
        limit = app.state.settings.max_import_bytes
        sent = 0

        def chunks() -> Any:
            nonlocal sent
            yield b'{"exported_at": "2026-11-27T08:00:00+00:00", "x": "'
            while sent < 4 * limit:
                sent += 1 << 20
                yield b"x" * (1 << 20)

        response = client.post(
            "/api/v1/import",
            content=chunks(),
            headers=self._headers(person),
        )
        assert response.status_code == 413
        assert response.json()["errors"][0]["rule"] == "max_bytes"

    def test_the_apple_health_upload_keeps_its_own_larger_limit(
        self, client: TestClient, app: FastAPI
    ) -> None:
        person = sign_up(client)
        body = b"x" * (app.state.settings.max_import_bytes + 1)
        response = person.post(
            "/api/v1/import/apple-health", files={"file": ("export.zip", body, "application/zip")}
        )
        assert response.status_code == 422  # read, and found not to be a zip
