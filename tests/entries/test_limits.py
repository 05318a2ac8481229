"""The one table of entry limits (scoring/tables.ENTRY_LIMITS): every row's hard range is what
the API refuses, with a 422 naming the field and the rule; a number outside only the usual range
(24 hours of yoga, 30 000 IU of vitamin D in one dose) is saved as it was sent, because the
phone asks the person about it and she said yes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fortify.scoring.tables import CANONICAL_UNIT, ENTRY_LIMITS
from tests.factories import Person, dose, lab, meal, measurement, sign_up, symptom, workout

Build = Callable[[float], tuple[str, str, dict[str, Any]]]  # method+path, error field, body

INTEGER_ROWS = {"workout_minutes", "worst_pain_0_10", "morning_stiffness_minutes"}


def _item(grams: float) -> dict[str, Any]:
    item: dict[str, Any] = meal()["items"][0]
    return item | {"grams": grams}


def _build(key: str) -> Build:
    """Where a row's number is written: the request that carries `value` and the field a
    refusal must name."""
    if key == "meal_item_grams":
        return lambda v: ("POST /api/v1/meals", "items[0].grams", meal(items=[_item(v)]))
    if key == "dose_units":
        return lambda v: ("POST /api/v1/doses", "units", dose(units=v))
    if key in ("calcium_mg", "magnesium_mg", "vitamin_d_iu", "vitamin_k_mcg"):
        return lambda v: ("POST /api/v1/doses", f"nutrients.{key}", dose(nutrients={key: v}))
    if key in ("epa_mg", "dha_mg", "fiber_g"):
        return lambda v: ("POST /api/v1/doses", f"nutrients.{key}", dose(nutrients={key: v}))
    if key == "workout_minutes":
        return lambda v: ("POST /api/v1/workouts", "minutes", workout(minutes=v))
    if key in ("weight_kg", "weight_lb"):
        other = "weight_lb" if key == "weight_kg" else "weight_kg"
        return lambda v: ("POST /api/v1/measurements", key, measurement(**{key: v, other: None}))
    if key == "height_cm":
        return lambda v: ("PATCH /api/v1/profile", "height_cm", {"height_cm": v})
    if key in ("worst_pain_0_10", "morning_stiffness_minutes"):
        return lambda v: ("POST /api/v1/symptoms", key, symptom(**{key: v}))
    if key.startswith("lab_"):
        kind = key.removeprefix("lab_")
        unit = CANONICAL_UNIT[kind]
        return lambda v: ("POST /api/v1/labs", "value", lab(kind=kind, value=v, unit=unit))
    raise AssertionError(f"no request writes {key}: add it here")


def _send(person: Person, request: str, body: dict[str, Any]) -> Any:
    method, path = request.split(" ")
    return person.post(path, body) if method == "POST" else person.patch(path, body)


def _step(key: str) -> float:
    return 1 if key in INTEGER_ROWS else 0.5


def _beyond(key: str) -> list[tuple[float, str]]:
    """Numbers just outside the hard range, each with the rule the refusal names (a lab value
    is checked in its canonical unit, rule `plausible_range`, unless the field's own bound for
    every lab, -8 to 10 000, refuses it first)."""
    row = ENTRY_LIMITS[key]
    low_rule = "greater_than" if row.above_hard_min else "greater_than_equal"
    low = row.hard_min if row.above_hard_min else row.hard_min - _step(key)
    high = row.hard_max + _step(key)
    if key.startswith("lab_"):
        return [
            (high, "less_than_equal" if high > 10_000 else "plausible_range"),
            (low, "greater_than_equal" if low < -8 else "plausible_range"),
        ]
    return [(high, "less_than_equal"), (low, low_rule)]


def _usual_but_possible(key: str) -> list[float]:
    """Numbers outside the usual range and inside the hard one: accepted."""
    row = ENTRY_LIMITS[key]
    out = []
    if row.usual_max < row.hard_max:
        out.append((row.usual_max + row.hard_max) / 2)
    if row.usual_min > row.hard_min:
        out.append((row.usual_min + row.hard_min) / 2)
    return [round(v) if key in INTEGER_ROWS else v for v in out]


@pytest.fixture
def ann(client: TestClient) -> Person:
    return sign_up(client)


REFUSED = [
    pytest.param(key, value, rule, id=f"{key}-{value}")
    for key in ENTRY_LIMITS
    for value, rule in _beyond(key)
]
ACCEPTED = [
    pytest.param(key, value, id=f"{key}-{value}")
    for key in ENTRY_LIMITS
    for value in [ENTRY_LIMITS[key].hard_max, *_usual_but_possible(key)]
]


class TestEntryLimits:
    @pytest.mark.parametrize(("key", "value", "rule"), REFUSED)
    def test_a_number_outside_the_hard_range_is_refused_naming_field_and_rule(
        self, key: str, value: float, rule: str, ann: Person
    ) -> None:
        request, field, body = _build(key)(value)
        response = _send(ann, request, body)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        errors = [(e["field"], e["rule"]) for e in response.json()["errors"]]
        assert (field, rule) in errors, errors

    @pytest.mark.parametrize(("key", "value"), ACCEPTED)
    def test_a_number_inside_the_hard_range_is_saved_as_sent(
        self, key: str, value: float, ann: Person
    ) -> None:
        request, _, body = _build(key)(value)
        response = _send(ann, request, body)
        assert response.status_code in (200, 201), response.text

    def test_the_yoga_and_the_vitamin_d_of_the_issue_are_unusual_but_possible(self) -> None:
        minutes, vitamin_d = ENTRY_LIMITS["workout_minutes"], ENTRY_LIMITS["vitamin_d_iu"]
        assert minutes.usual_max < 24 * 60 <= minutes.hard_max
        assert vitamin_d.usual_max < 30_000 <= vitamin_d.hard_max
        grams = ENTRY_LIMITS["meal_item_grams"]
        assert grams.usual_max < 5_000 <= grams.hard_max < 50_000

    @pytest.mark.parametrize("key", list(ENTRY_LIMITS))
    def test_every_usual_range_lies_inside_its_hard_range(self, key: str) -> None:
        row = ENTRY_LIMITS[key]
        assert row.hard_min <= row.usual_min <= row.usual_max <= row.hard_max
