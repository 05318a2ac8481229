"""Patterns (PROTOCOL.md §8): the pure computation against a brute-force count, and the API.

The golden vectors 53-59 pin the boundaries (20 weighted minutes, 7 pain days, a difference of
exactly ±1.0); here Hypothesis checks the counts and means for any log, and the API tests check
the shape, the errors and that one request's statement count does not grow with the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, event

from fortify.scoring import DayInput, compute_patterns
from fortify.scoring.model import ScoringProfile, Symptom, Workout
from tests.factories import Person, at, sign_up, symptom, workout

DAY = dt.date(2026, 3, 29)  # New York changes to summer time on 2026-03-08, inside the window
ZONE = "America/New_York"
FACTOR = {"light": 0, "moderate": 1, "vigorous": 2}

instants = st.integers(min_value=-70 * 24 * 60, max_value=3 * 24 * 60).map(
    lambda m: dt.datetime(2026, 3, 29, 12, tzinfo=dt.UTC) + dt.timedelta(minutes=m)
)
symptoms = st.lists(
    st.builds(
        Symptom,
        measured_at=instants,
        worst_pain_0_10=st.integers(0, 10),
        id=st.uuids().map(str),
    ),
    max_size=60,
)
workouts = st.lists(
    st.builds(
        Workout,
        started_at=instants,
        activity=st.sampled_from(["walking", "yoga", "swimming", "weights"]),
        minutes=st.integers(1, 40),
        intensity=st.sampled_from(["light", "moderate", "vigorous"]),
        id=st.uuids().map(str),
    ),
    max_size=60,
)


def _half_up(value: Fraction) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


class TestTheCountsAreABruteForceCount:
    @settings(max_examples=150, deadline=None)
    @given(symptoms=symptoms, workouts=workouts)
    def test_for_any_log(self, symptoms: list[Symptom], workouts: list[Workout]) -> None:
        zone = ZoneInfo(ZONE)
        inp = DayInput(
            day=DAY,
            profile=ScoringProfile(time_zone=ZONE),
            symptoms=tuple(symptoms),
            workouts=tuple(workouts),
        )
        pattern = compute_patterns(inp).pain_after_exercise

        after_exercise: list[int] = []
        after_rest: list[int] = []
        for back in range(56):
            day = DAY - dt.timedelta(days=back)
            pains = [
                s.worst_pain_0_10 for s in symptoms if s.measured_at.astimezone(zone).date() == day
            ]
            if not pains:
                continue
            before = day - dt.timedelta(days=1)
            minutes = sum(
                w.minutes * FACTOR[w.intensity]
                for w in workouts
                if w.started_at.astimezone(zone).date() == before
            )
            (after_exercise if minutes >= 20 else after_rest).append(max(pains))

        assert pattern.after_exercise_days == len(after_exercise)
        assert pattern.after_rest_days == len(after_rest)
        assert pattern.days_needed.after_exercise == max(0, 7 - len(after_exercise))
        assert pattern.days_needed.after_rest == max(0, 7 - len(after_rest))
        assert pattern.shown == (len(after_exercise) >= 7 and len(after_rest) >= 7)
        if not pattern.shown:
            assert (pattern.mean_after_exercise, pattern.difference, pattern.direction) == (
                None,
                None,
                None,
            )
            return
        mean_e = Fraction(sum(after_exercise), len(after_exercise))
        mean_r = Fraction(sum(after_rest), len(after_rest))
        assert pattern.mean_after_exercise == _half_up(mean_e)
        assert pattern.mean_after_rest == _half_up(mean_r)
        assert pattern.difference == _half_up(mean_r - mean_e)
        shown = _half_up(mean_r - mean_e)
        expected = "lower" if shown >= 1 else "higher" if shown <= -1 else "no_clear_difference"
        assert pattern.direction == expected


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _log_days(person: Person, last: dt.date, days: int) -> None:
    for back in range(days):
        day = last - dt.timedelta(days=back)
        if back % 2:
            assert (
                person.post("/api/v1/workouts", workout(started_at=at(day, 7))).status_code == 201
            )
        body = symptom(measured_at=at(day, 9), worst_pain_0_10=back % 10)
        assert person.post("/api/v1/symptoms", body).status_code == 201


class TestTheApi:
    def test_answers_the_documented_shape_while_not_shown(self, client: TestClient) -> None:
        person = sign_up(client)
        _log_days(person, dt.date(2026, 11, 20), 3)
        response = person.get("/api/v1/patterns", params={"date": "2026-11-20"})
        assert response.status_code == 200, response.text
        pattern = response.json()["pain_after_exercise"]
        assert pattern["shown"] is False
        assert (pattern["after_exercise_days"], pattern["after_rest_days"]) == (1, 2)
        assert pattern["days_needed"] == {"after_exercise": 6, "after_rest": 5}
        for key in ("mean_after_exercise", "mean_after_rest", "difference", "direction"):
            assert pattern[key] is None
        assert "6 more check-ins on a day after you exercised" in pattern["text"]

    def test_shows_the_pattern_with_enough_check_ins(self, client: TestClient) -> None:
        person = sign_up(client)
        _log_days(person, dt.date(2026, 11, 20), 40)
        pattern = person.get("/api/v1/patterns", params={"date": "2026-11-20"}).json()[
            "pain_after_exercise"
        ]
        assert pattern["shown"] is True
        assert pattern["after_exercise_days"] + pattern["after_rest_days"] == 40
        assert pattern["direction"] in {"lower", "higher", "no_clear_difference"}
        assert "not proof of cause" in pattern["text"]

    def test_one_request_runs_as_many_statements_for_a_long_history(
        self, client: TestClient, engine: Engine
    ) -> None:
        short, long = sign_up(client), sign_up(client)
        _log_days(short, dt.date(2026, 11, 20), 3)
        _log_days(long, dt.date(2026, 11, 20), 150)
        with counted(engine) as few:
            assert short.get("/api/v1/patterns", params={"date": "2026-11-20"}).status_code == 200
        with counted(engine) as many:
            assert long.get("/api/v1/patterns", params={"date": "2026-11-20"}).status_code == 200
        assert len(many) == len(few)
        assert len(few) <= 8

    def test_the_day_report_also_runs_as_many_statements(
        self, client: TestClient, engine: Engine
    ) -> None:
        short, long = sign_up(client), sign_up(client)
        _log_days(short, dt.date(2026, 11, 20), 3)
        _log_days(long, dt.date(2026, 11, 20), 150)
        with counted(engine) as few:
            assert short.get("/api/v1/days/2026-11-20").status_code == 200
        with counted(engine) as many:
            assert long.get("/api/v1/days/2026-11-20").status_code == 200
        assert len(many) == len(few)

    def test_refuses_a_day_outside_the_supported_range(self, client: TestClient) -> None:
        response = sign_up(client).get("/api/v1/patterns", params={"date": "0001-01-04"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "date"

    def test_needs_a_date(self, client: TestClient) -> None:
        response = sign_up(client).get("/api/v1/patterns")
        assert response.status_code == 422

    def test_needs_a_sign_in(self, client: TestClient) -> None:
        response = client.get("/api/v1/patterns", params={"date": "2026-11-20"})
        assert response.status_code == 401
