from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from fortify.entries.kinds import KINDS
from tests.factories import VALID, Person, at, regimen, sign_up

KIND_NAMES = sorted(KINDS)

# For each kind: payloads that must be refused, and the field the problem must name.
INVALID: dict[str, list[tuple[dict[str, Any], str]]] = {
    "meals": [
        ({"eaten_at": "2026-11-20T08:00:00"}, "eaten_at"),  # no offset
        ({"name": ""}, "name"),
        ({"items": [{"food_name": "milk", "grams": -1}]}, "items[0].grams"),
        (
            {"items": [{"food_name": "x", "grams": 1, "nutrients": {"calcium_mg": -5}}]},
            "items[0].nutrients.calcium_mg",
        ),
        (
            {"items": [{"food_name": "x", "grams": 1, "nutrients": {"sugar_g": 5}}]},
            "items[0].nutrients.sugar_g",
        ),
        ({"eaten_at": "2199-01-01T08:00:00+00:00"}, "eaten_at"),
        ({"colour": "red"}, "colour"),
    ],
    "regimen": [
        ({"kind": "vitamin"}, "kind"),
        ({"schedule_times": ["25:00"]}, "schedule_times"),
        ({"default_units": 0}, "default_units"),
        ({"form": "unicorn_dust"}, "form"),
    ],
    "doses": [
        ({"nutrients": {"calcium_mg": 5001}}, "nutrients.calcium_mg"),
        ({"units": -1}, "units"),
        ({"regimen_item_id": str(uuid.uuid4())}, "regimen_item_id"),
        ({"taken_at": "yesterday"}, "taken_at"),
    ],
    "workouts": [
        ({"minutes": 1441}, "minutes"),
        ({"minutes": 0}, "minutes"),
        ({"intensity": "extreme"}, "intensity"),
        ({"muscle_groups": ["tail"]}, "muscle_groups[0]"),
    ],
    "symptoms": [
        ({"worst_pain_0_10": 11}, "worst_pain_0_10"),
        ({"worst_pain_0_10": -1}, "worst_pain_0_10"),
        ({"morning_stiffness_minutes": -3}, "morning_stiffness_minutes"),
    ],
    "labs": [
        ({"unit": "mg/dL"}, "unit"),  # vitamin D is not in mg/dL
        ({"value": 900}, "value"),
        ({"kind": "glucose"}, "kind"),
        ({"site": "total_hip"}, "site"),  # only DXA has a site
    ],
    "measurements": [
        ({"weight_kg": 5}, "weight_kg"),
        ({"weight_lb": 150}, "weight_kg"),  # both given
        ({"measured_at": "1900-01-01T00:00:00+00:00"}, "measured_at"),
    ],
}


def count_rows(engine: Engine, kind: str) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(KINDS[kind].model)) or 0)


@pytest.fixture
def ann(client: TestClient) -> Person:
    return sign_up(client)


@pytest.fixture
def bob(client: TestClient) -> Person:
    return sign_up(client)


@pytest.mark.parametrize("kind", KIND_NAMES)
class TestLifecycle:
    def test_create_read_replace_patch_delete(self, kind: str, ann: Person) -> None:
        payload = VALID[kind]()
        created = ann.post(f"/api/v1/{kind}", payload)
        assert created.status_code == 201, created.text
        entry = created.json()
        assert entry["version"] >= 1
        url = f"/api/v1/{kind}/{entry['id']}"
        assert ann.get(url).json() == entry

        replaced = ann.put(url, payload)
        assert replaced.status_code == 200, replaced.text
        assert replaced.json()["version"] > entry["version"]

        first_field = next(iter(payload))
        patched = ann.patch(url, {first_field: payload[first_field]})
        assert patched.status_code == 200, patched.text
        assert patched.json()["version"] > replaced.json()["version"]

        assert ann.delete(url).status_code == 204
        assert ann.get(url).status_code == 404
        assert ann.delete(url).status_code == 404
        assert ann.get(f"/api/v1/{kind}").json()["items"] == []

    def test_the_client_chooses_the_id_and_a_retry_is_safe(self, kind: str, ann: Person) -> None:
        entry_id = str(uuid.uuid4())
        payload = VALID[kind]() | {"id": entry_id}
        first = ann.post(f"/api/v1/{kind}", payload)
        again = ann.post(f"/api/v1/{kind}", payload)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json() == again.json()
        assert len(ann.get(f"/api/v1/{kind}").json()["items"]) == 1


INVALID_CASES = [
    pytest.param(kind, change, field, id=f"{kind}-{field}-{index}")
    for kind, cases in INVALID.items()
    for index, (change, field) in enumerate(cases)
]


class TestValidation:
    def test_every_kind_has_invalid_cases(self) -> None:
        assert set(INVALID) == set(KINDS)

    @pytest.mark.parametrize(("kind", "change", "field"), INVALID_CASES)
    def test_invalid_payloads_are_refused_and_write_nothing(
        self, kind: str, change: dict[str, Any], field: str, ann: Person, engine: Engine
    ) -> None:
        before = count_rows(engine, kind)
        response = ann.post(f"/api/v1/{kind}", VALID[kind]() | change)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == 422
        assert field in [e["field"] for e in body["errors"]], body
        assert all(e["rule"] for e in body["errors"])
        assert count_rows(engine, kind) == before


@pytest.mark.parametrize("kind", KIND_NAMES)
class TestIsolation:
    def test_another_person_can_neither_see_nor_touch_an_entry(
        self, kind: str, ann: Person, bob: Person
    ) -> None:
        entry = ann.post(f"/api/v1/{kind}", VALID[kind]()).json()
        url = f"/api/v1/{kind}/{entry['id']}"
        assert bob.get(url).status_code == 404
        assert bob.put(url, VALID[kind]()).status_code == 404
        assert bob.patch(url, {}).status_code == 404
        assert bob.delete(url).status_code == 404
        assert bob.get(f"/api/v1/{kind}").json() == {"items": [], "next_cursor": None}
        assert ann.get(url).json() == entry

    def test_the_same_client_id_for_two_people_makes_two_entries(
        self, kind: str, ann: Person, bob: Person
    ) -> None:
        entry_id = str(uuid.uuid4())
        assert ann.post(f"/api/v1/{kind}", VALID[kind]() | {"id": entry_id}).status_code == 201
        assert bob.post(f"/api/v1/{kind}", VALID[kind]() | {"id": entry_id}).status_code == 201
        assert bob.delete(f"/api/v1/{kind}/{entry_id}").status_code == 204
        assert ann.get(f"/api/v1/{kind}/{entry_id}").status_code == 200


class TestCreate:
    def test_an_id_reused_with_other_content_is_a_conflict(self, ann: Person) -> None:
        entry_id = str(uuid.uuid4())
        ann.post("/api/v1/symptoms", VALID["symptoms"]() | {"id": entry_id})
        response = ann.post(
            "/api/v1/symptoms", VALID["symptoms"]() | {"id": entry_id, "worst_pain_0_10": 9}
        )
        assert response.status_code == 409
        assert response.json()["errors"][0]["field"] == "id"

    def test_the_offset_sent_is_the_offset_read_back(self, ann: Person) -> None:
        entry = ann.post(
            "/api/v1/symptoms", VALID["symptoms"](measured_at="2026-11-20T23:30:00-05:00")
        ).json()
        assert entry["measured_at"] == "2026-11-20T23:30:00-05:00"

    def test_pounds_are_stored_as_kilograms(self, ann: Person) -> None:
        entry = ann.post("/api/v1/measurements", {"measured_at": at(), "weight_lb": 150}).json()
        assert entry["weight_kg"] == pytest.approx(68.039, abs=0.001)
        assert entry["entered_unit"] == "lb"

    def test_labs_keep_the_canonical_value(self, ann: Person) -> None:
        entry = ann.post("/api/v1/labs", VALID["labs"](value=75, unit="nmol/L")).json()
        assert entry["unit_canonical"] == "ng/mL"
        assert entry["value_canonical"] == pytest.approx(75 / 2.496)

    def test_a_dose_takes_its_snapshot_from_the_regimen_item(self, ann: Person) -> None:
        item = ann.post("/api/v1/regimen", regimen()).json()
        dose = ann.post(
            "/api/v1/doses", {"regimen_item_id": item["id"], "taken_at": at(), "units": 2}
        ).json()
        assert dose["nutrients"]["calcium_mg"] == 800
        assert (dose["kind"], dose["form"]) == ("supplement", "calcium_citrate")
        ann.patch(f"/api/v1/regimen/{item['id']}", {"nutrients_per_unit": {"calcium_mg": 500}})
        assert ann.get(f"/api/v1/doses/{dose['id']}").json()["nutrients"]["calcium_mg"] == 800

    def test_a_dose_cannot_point_at_another_persons_item(self, ann: Person, bob: Person) -> None:
        item = ann.post("/api/v1/regimen", regimen()).json()
        response = bob.post("/api/v1/doses", {"regimen_item_id": item["id"], "taken_at": at()})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "regimen_item_id"


class TestUpdate:
    def test_patch_switches_the_weight_unit(self, ann: Person) -> None:
        entry = ann.post("/api/v1/measurements", {"measured_at": at(), "weight_kg": 70}).json()
        patched = ann.patch(f"/api/v1/measurements/{entry['id']}", {"weight_lb": 150})
        assert patched.status_code == 200
        assert patched.json()["entered_unit"] == "lb"

    def test_an_invalid_patch_changes_nothing(self, ann: Person) -> None:
        entry = ann.post("/api/v1/symptoms", VALID["symptoms"]()).json()
        response = ann.patch(f"/api/v1/symptoms/{entry['id']}", {"worst_pain_0_10": 12})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "worst_pain_0_10"
        assert ann.get(f"/api/v1/symptoms/{entry['id']}").json() == entry

    def test_patch_refuses_unknown_fields(self, ann: Person) -> None:
        entry = ann.post("/api/v1/symptoms", VALID["symptoms"]()).json()
        response = ann.patch(f"/api/v1/symptoms/{entry['id']}", {"mood": "grumpy"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "mood"


class TestList:
    def test_filters_by_local_day_in_the_profile_time_zone(self, ann: Person) -> None:
        ann.patch("/api/v1/profile", {"time_zone": "America/New_York"})
        # 03:00 UTC on the 21st is still the evening of the 20th in New York.
        ann.post("/api/v1/symptoms", VALID["symptoms"](measured_at="2026-11-21T03:00:00+00:00"))
        ann.post("/api/v1/symptoms", VALID["symptoms"](measured_at="2026-11-21T12:00:00+00:00"))
        on_20th = ann.get("/api/v1/symptoms", params={"from": "2026-11-20", "to": "2026-11-20"})
        assert [e["measured_at"] for e in on_20th.json()["items"]] == ["2026-11-21T03:00:00Z"]

    def test_pages_with_a_cursor_without_gaps_or_repeats(self, ann: Person) -> None:
        made = {
            ann.post("/api/v1/symptoms", VALID["symptoms"](measured_at=at(hour=h % 24))).json()[
                "id"
            ]
            for h in range(7)
        }
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
            page = ann.get("/api/v1/symptoms", params=params).json()
            seen += [e["id"] for e in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert sorted(seen) == sorted(made)
        assert len(seen) == 7

    def test_a_bad_cursor_is_a_clear_error(self, ann: Person) -> None:
        response = ann.get("/api/v1/meals", params={"cursor": "not-a-cursor"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "cursor"

    def test_to_before_from_is_refused(self, ann: Person) -> None:
        response = ann.get("/api/v1/meals", params={"from": "2026-11-20", "to": "2026-11-01"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "to"
