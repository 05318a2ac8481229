"""The FHIR Bundle: valid R4B, the right LOINC codes and UCUM units, doses as administrations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle

from fortify.core.clock import local_today
from tests.factories import Person, at, lab, meal, sign_up

LOINC = "http://loinc.org"


def _bundle(person: Person, **params: Any) -> dict[str, Any]:
    response = person.get("/api/v1/export/fhir", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    return response.json()  # type: ignore[no-any-return]


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _loinc(resource: dict[str, Any]) -> str | None:
    for coding in resource["code"].get("coding", []):
        if coding["system"] == LOINC:
            return str(coding["code"])
    return None


class TestBundle:
    def test_the_bundle_validates_with_fhir_resources(self, demo: Person) -> None:
        bundle = _bundle(demo)
        parsed = Bundle.model_validate(bundle)
        assert parsed.type == "collection"
        kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
        assert kinds == {
            "Patient",
            "Observation",
            "MedicationStatement",
            "MedicationAdministration",
        }

    def test_observations_use_exactly_the_documented_loinc_codes(self, client: TestClient) -> None:
        person = sign_up(client)
        results = [
            lab(kind="vitamin_d_25oh", value=75, unit="nmol/L"),
            lab(kind="total_cholesterol", value=210, unit="mg/dL"),
            lab(kind="ldl_cholesterol", value=3.4, unit="mmol/L"),
            lab(kind="hdl_cholesterol", value=55, unit="mg/dL"),
            lab(kind="triglycerides", value=140, unit="mg/dL"),
            lab(kind="dxa_t_score", value=-1.8, unit="T-score", site="lumbar_spine"),
            lab(kind="dxa_t_score", value=-2.1, unit="T-score", site="total_hip"),
            lab(kind="dxa_t_score", value=-2.4, unit="T-score", site="femoral_neck"),
            lab(kind="dxa_t_score", value=-1.2, unit="T-score", site="forearm"),
        ]
        for payload in results:
            assert person.post("/api/v1/labs", json=payload).status_code == 201
        assert (
            person.post(
                "/api/v1/measurements",
                json={"measured_at": "2026-11-20T07:00:00+00:00", "weight_lb": 150},
            ).status_code
            == 201
        )
        symptom = {"measured_at": "2026-11-20T07:30:00+00:00", "worst_pain_0_10": 6}
        assert person.post("/api/v1/symptoms", json=symptom).status_code == 201
        bundle = _bundle(person)
        Bundle.model_validate(bundle)
        by_code = {_loinc(o): o for o in _resources(bundle, "Observation") if _loinc(o) is not None}
        assert set(by_code) == {
            "62292-8",  # 25-hydroxyvitamin D2 + D3, mass/volume
            "2093-3",  # total cholesterol
            "2089-1",  # LDL cholesterol (method not specified)
            "2085-9",  # HDL cholesterol
            "2571-8",  # triglycerides
            "38267-1",  # DXA lumbar spine T-score
            "38264-8",  # DXA hip T-score
            "38263-0",  # DXA femur T-score
            "38265-5",  # DXA T-score, site not specified (forearm)
            "29463-7",  # body weight
            "72514-3",  # pain severity 0-10
        }
        vitamin_d = by_code["62292-8"]["valueQuantity"]
        assert vitamin_d["code"] == "ng/mL" and vitamin_d["system"] == "http://unitsofmeasure.org"
        assert abs(vitamin_d["value"] - 75 / 2.496) < 0.01
        assert by_code["2089-1"]["valueQuantity"]["code"] == "mg/dL"
        assert by_code["29463-7"]["valueQuantity"]["code"] == "kg"
        assert abs(by_code["29463-7"]["valueQuantity"]["value"] - 68.039) < 0.001
        assert by_code["72514-3"]["valueQuantity"]["value"] == 6
        assert by_code["38265-5"]["bodySite"]["text"] == "Forearm"

    def test_each_dose_is_a_medication_administration_of_its_regimen_item(
        self, demo: Person
    ) -> None:
        bundle = _bundle(demo)
        statements = _resources(bundle, "MedicationStatement")
        administrations = _resources(bundle, "MedicationAdministration")
        assert any(s["medicationCodeableConcept"]["text"] == "Anastrozole 1 mg" for s in statements)
        anastrozole = [
            a
            for a in administrations
            if a["medicationCodeableConcept"]["text"] == "Anastrozole 1 mg"
        ]
        assert len(anastrozole) > 80
        assert all(a["status"] == "completed" and "effectiveDateTime" in a for a in anastrozole)

    def test_daily_scores_are_observations_in_fortifys_code_system(self, demo: Person) -> None:
        scores = [
            o
            for o in _resources(_bundle(demo), "Observation")
            if o["code"]["coding"][0]["code"] == "daily-score"
        ]
        assert len(scores) == 90
        assert {c["code"]["coding"][0]["code"] for c in scores[0]["component"]} == {
            "bone-score",
            "heart-score",
            "joint-score",
        }

    def test_the_patient_names_the_person_only_when_asked(self, demo: Person) -> None:
        (anonymous,) = _resources(_bundle(demo), "Patient")
        assert "name" not in anonymous and "birthDate" not in anonymous
        (named,) = _resources(_bundle(demo, include_identity="true"), "Patient")
        assert named["name"][0]["text"] == "Demo"
        assert named["birthDate"] == "1958"
        assert named["gender"] == "female"


class TestCareTeamItems:
    def test_an_item_set_by_the_care_team_says_so_and_others_do_not(self, demo: Person) -> None:
        bundle = _bundle(demo)
        Bundle.model_validate(bundle)
        by_name = {
            s["medicationCodeableConcept"]["text"]: s
            for s in _resources(bundle, "MedicationStatement")
        }
        prescribed = by_name["Vitamin D3 50,000 IU (Sundays)"]
        assert prescribed["category"]["coding"][0]["code"] == "care-team"
        assert prescribed["note"][0]["text"] == "Prescribed or recommended by the care team."
        assert "category" not in by_name["Fish oil"]


def test_no_daily_score_is_given_for_a_day_after_today(client: TestClient) -> None:
    # An entry may be dated up to two days ahead; its day has no score until it comes.
    person = sign_up(client)
    today = local_today(person.get("/api/v1/profile").json()["time_zone"])
    for day in (today, today + dt.timedelta(days=1)):
        assert person.post("/api/v1/meals", json=meal(eaten_at=at(day, 12))).status_code == 201
    scored_days = [
        o["effectiveDateTime"]
        for o in _resources(_bundle(person), "Observation")
        if o["code"]["coding"][0]["code"] == "daily-score"
    ]
    assert scored_days == [today.isoformat()]
