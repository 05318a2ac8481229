"""GET /api/v1/patterns (PROTOCOL.md §8): the documented shape, the errors, and one request's
statement count, which does not grow with the history. The computation itself is tested in
tests/scoring/test_patterns.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from tests.factories import Person, at, sign_up, symptom, workout


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
        # The sign-in, then the person with her first entry, the regimen with each item's
        # earliest dose, and one statement per entry kind (the doses' also brings adherence's).
        assert len(few) <= 9, few

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
