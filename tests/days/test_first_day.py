"""A person's first day: no scores before it, in the day report, the series, the week and the
exports alike (the phone draws the same line: frontend/src/app/firstDay.ts)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
import zipfile

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from fortify.accounts.models import User
from tests.factories import Person, meal, sign_up


def _made_on(person: Person, engine: Engine, when: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(User)
            .where(User.id == uuid.UUID(person.user_id))
            .values(created_at=dt.datetime.fromisoformat(when))
        )


def _new(client: TestClient, engine: Engine, zone: str = "Europe/London") -> Person:
    person = sign_up(client)
    assert person.patch("/api/v1/profile", {"time_zone": zone}).status_code == 200
    # Made late on 20 Nov in New York, which is already 21 Nov in London.
    _made_on(person, engine, "2026-11-21T03:00:00+00:00")
    return person


class TestFirstDay:
    def test_a_day_before_the_account_has_no_scores_and_says_why(
        self, client: TestClient, engine: Engine
    ) -> None:
        person = _new(client, engine)
        before = person.get("/api/v1/days/2026-11-20").json()
        assert before["scored"] is False
        assert before["first_day"] == "2026-11-21"
        assert [before[k] for k in ("overall", "bone", "heart", "joint")] == [None] * 4
        assert before["components"] == before["flags"] == []
        assert before["next_best_action"] is None
        first = person.get("/api/v1/days/2026-11-21").json()
        assert first["scored"] is True
        assert isinstance(first["overall"], int)
        assert len(first["components"]) > 0

    def test_the_first_day_is_in_the_profile_zone(self, client: TestClient, engine: Engine) -> None:
        person = _new(client, engine, zone="America/New_York")
        assert person.get("/api/v1/days/2026-11-20").json()["scored"] is True
        assert person.get("/api/v1/days/2026-11-19").json()["scored"] is False

    def test_history_logged_after_the_fact_moves_the_first_day_back(
        self, client: TestClient, engine: Engine
    ) -> None:
        person = _new(client, engine)
        body = meal(eaten_at="2026-11-10T12:00:00+00:00")
        assert person.post("/api/v1/meals", json=body).status_code == 201
        assert person.get("/api/v1/days/2026-11-10").json()["scored"] is True
        assert person.get("/api/v1/days/2026-11-09").json()["scored"] is False

    def test_the_series_and_the_week_leave_days_before_it_unscored(
        self, client: TestClient, engine: Engine
    ) -> None:
        person = _new(client, engine)
        days = person.get("/api/v1/days", params={"from": "2026-11-19", "to": "2026-11-22"}).json()[
            "days"
        ]
        assert [(d["date"], d["scored"], d["overall"] is None) for d in days] == [
            ("2026-11-19", False, True),
            ("2026-11-20", False, True),
            ("2026-11-21", True, False),
            ("2026-11-22", True, False),
        ]
        week = person.get("/api/v1/weeks/2026-W47").json()  # 16-22 Nov
        scored = [d["overall"] for d in days[2:]]
        assert week["averages"]["overall"] == round(sum(scored) / 2, 2)

    def test_the_csv_has_no_scores_before_it(self, client: TestClient, engine: Engine) -> None:
        person = _new(client, engine)
        body = meal(eaten_at="2026-11-25T12:00:00+00:00")
        assert person.post("/api/v1/meals", json=body).status_code == 201
        response = person.get(
            "/api/v1/export/csv", params={"from": "2026-11-15", "to": "2026-11-25"}
        )
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        raw = archive.read("daily_scores.csv").decode("utf-8-sig")
        dates = [row["date"] for row in csv.DictReader(io.StringIO(raw, newline=""))]
        assert dates[0] == "2026-11-21"
        assert dates[-1] == "2026-11-25"


class TestFutureDays:
    """A day after her today (in the profile's zone) has not happened: no scores for it, as on
    the phone, until it comes."""

    def test_a_day_after_today_has_no_scores_until_it_comes(
        self, app: FastAPI, client: TestClient, engine: Engine
    ) -> None:
        person = sign_up(client)
        assert person.patch("/api/v1/profile", {"time_zone": "Pacific/Auckland"}).status_code == 200
        # 23:30 UTC on 1 Dec is already 2 Dec in Auckland: 2 Dec is today, 3 Dec is ahead.
        app.state.clock = lambda: dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)
        _made_on(person, engine, "2026-11-20T00:00:00+00:00")
        today = person.get("/api/v1/days/2026-12-02")
        assert today.json()["scored"] is True
        ahead = person.get("/api/v1/days/2026-12-03")
        body = ahead.json()
        assert body["scored"] is False
        assert [body[k] for k in ("overall", "bone", "heart", "joint")] == [None] * 4
        assert body["components"] == body["flags"] == []
        series = person.get("/api/v1/days", params={"from": "2026-12-01", "to": "2026-12-04"})
        assert [(d["date"], d["scored"]) for d in series.json()["days"]] == [
            ("2026-12-01", True),
            ("2026-12-02", True),
            ("2026-12-03", False),
            ("2026-12-04", False),
        ]
        # The next day it has come: neither the cached report nor its ETag hides that.
        app.state.clock = lambda: dt.datetime(2026, 12, 2, 23, 30, tzinfo=dt.UTC)
        again = person.client.get(
            "/api/v1/days/2026-12-03",
            headers=person.headers | {"If-None-Match": ahead.headers["ETag"]},
        )
        assert again.status_code == 200
        assert again.json()["scored"] is True
        assert isinstance(again.json()["overall"], int)

    def test_the_week_averages_only_days_that_have_come(
        self, app: FastAPI, client: TestClient, engine: Engine
    ) -> None:
        person = sign_up(client)
        app.state.clock = lambda: dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)  # a Wednesday
        _made_on(person, engine, "2026-11-20T00:00:00+00:00")
        days = person.get("/api/v1/days", params={"from": "2026-11-30", "to": "2026-12-06"})
        scored = [d["overall"] for d in days.json()["days"] if d["scored"]]
        assert len(scored) == 3  # Monday to Wednesday
        week = person.get("/api/v1/weeks/2026-W49").json()
        assert week["averages"]["overall"] == round(sum(scored) / 3, 2)
