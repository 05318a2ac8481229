"""The CSV zip: one file per entry kind plus daily scores, ready for a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

from fastapi.testclient import TestClient

from fortify.core.clock import local_today
from tests.factories import Person, at, meal, sign_up
from tests.portability.conftest import DAYS


def _zip(person: Person, **params: str) -> zipfile.ZipFile:
    response = person.get("/api/v1/export/csv", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _table(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    raw = archive.read(name)
    assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no byte-order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


class TestCsvZip:
    def test_every_file_opens_with_units_in_its_headers(self, demo: Person) -> None:
        archive = _zip(demo)
        assert sorted(archive.namelist()) == [
            "README.txt",
            "daily_scores.csv",
            "doses.csv",
            "labs.csv",
            "meals.csv",
            "measurements.csv",
            "regimen.csv",
            "symptoms.csv",
            "workouts.csv",
        ]
        meals = _table(archive, "meals.csv")
        assert {"eaten_at", "meal", "food", "grams", "calcium_mg", "vitamin_d_iu"} <= set(meals[0])
        assert meals[0]["eaten_at"][-6] in "+-"  # an ISO timestamp with its offset
        labs = _table(archive, "labs.csv")
        assert {"value", "unit", "value_canonical", "unit_canonical"} <= set(labs[0])
        assert "weight_kg" in _table(archive, "measurements.csv")[0]
        doses = _table(archive, "doses.csv")
        assert {"taken_at", "medicine_or_supplement", "calcium_mg"} <= set(doses[0])

    def test_daily_scores_cover_every_logged_day(self, demo: Person) -> None:
        scores = _table(_zip(demo), "daily_scores.csv")
        assert len(scores) == DAYS
        first = scores[0]
        for column in ("date", "overall", "bone", "heart", "joint", "calcium_mg"):
            assert column in first
        assert "vitamin_d_iu_7day_avg" in first
        assert all(0 <= int(row["overall"]) <= 100 for row in scores)

    def test_a_range_chooses_the_scored_days(self, demo: Person) -> None:
        first = dt.date.today() - dt.timedelta(days=30)
        last = first + dt.timedelta(days=9)
        scores = _table(
            _zip(demo, **{"from": first.isoformat(), "to": last.isoformat()}), "daily_scores.csv"
        )
        assert [row["date"] for row in scores][:2] == [
            first.isoformat(),
            (first + dt.timedelta(days=1)).isoformat(),
        ]
        assert len(scores) == 10

    def test_a_range_before_the_first_day_starts_at_it(self, demo: Person) -> None:
        # The demo history starts DAYS days ago: no scores for the days before it.
        start = dt.date.today() - dt.timedelta(days=DAYS + 10)
        scores = _table(
            _zip(demo, **{"from": start.isoformat(), "to": dt.date.today().isoformat()}),
            "daily_scores.csv",
        )
        assert scores[0]["date"] > start.isoformat()

    def test_text_that_looks_like_a_formula_is_shown_not_run(self, client: TestClient) -> None:
        person = sign_up(client)
        assert person.post("/api/v1/meals", json=meal(name="=HYPERLINK(1)")).status_code == 201
        (row,) = _table(_zip(person), "meals.csv")
        assert row["meal"] == "'=HYPERLINK(1)"


class TestOneClock:
    def test_every_time_is_in_her_zone_whatever_offset_it_was_written_with(
        self, client: TestClient
    ) -> None:
        """A dose written in UTC (as the server logs one from a reminder) and one typed with
        Chicago's offset, the same minute: both read in Chicago, as the same minute."""
        person = sign_up(client)
        zone = person.patch("/api/v1/profile", json={"time_zone": "America/Chicago"})
        assert zone.status_code == 200, zone.text
        for taken_at in ("2026-11-20T16:49:00+00:00", "2026-11-20T10:49:00-06:00"):
            made = person.post(
                "/api/v1/doses",
                json={"taken_at": taken_at, "kind": "supplement", "form": "other", "units": 1},
            )
            assert made.status_code == 201, made.text
        rows = _table(_zip(person), "doses.csv")
        assert [r["taken_at"] for r in rows] == ["2026-11-20T10:49:00-06:00"] * 2
        assert {r["local_date"] for r in rows} == {"2026-11-20"}


class TestWeightUnits:
    def test_a_weight_in_pounds_is_exported_in_kilograms_and_as_typed(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        for body in (
            {"measured_at": "2026-11-20T07:00:00+00:00", "weight_lb": 180},
            {"measured_at": "2026-11-21T07:00:00+00:00", "weight_kg": 81.5},
        ):
            assert person.post("/api/v1/measurements", json=body).status_code == 201
        pounds, kilograms = _table(_zip(person), "measurements.csv")
        # weight_kg is always kilograms (180 lb = 81.647 kg); the typed value keeps its unit.
        assert float(pounds["weight_kg"]) == 81.647
        assert (pounds["entered_value"], pounds["entered_unit"]) == ("180.0", "lb")
        assert float(kilograms["weight_kg"]) == 81.5
        assert (kilograms["entered_value"], kilograms["entered_unit"]) == ("81.5", "kg")


class TestCareTeamColumn:
    def test_regimen_csv_says_which_items_the_care_team_set(self, demo: Person) -> None:
        rows = _table(_zip(demo), "regimen.csv")
        marked = {r["name"]: r["set_by_care_team"] for r in rows}
        assert marked["Vitamin D3 50,000 IU (Sundays)"] == "yes"
        assert marked["Fish oil"] == "no"


class TestNoScoresAfterToday:
    """A day after her today has not happened: daily_scores.csv stops at today, as the app
    scores no day ahead (days.service.is_scored)."""

    def _with_a_meal_tomorrow(self, client: TestClient) -> tuple[Person, dt.date]:
        person = sign_up(client)
        zone = person.get("/api/v1/profile").json()["time_zone"]
        today = local_today(zone)
        for day in (today, today + dt.timedelta(days=1)):  # an entry may be dated ahead
            assert person.post("/api/v1/meals", json=meal(eaten_at=at(day, 12))).status_code == 201
        return person, local_today(zone)

    def test_the_logged_days_stop_at_today(self, client: TestClient) -> None:
        person, today = self._with_a_meal_tomorrow(client)
        scores = _table(_zip(person), "daily_scores.csv")
        assert scores, "no daily scores"
        assert scores[-1]["date"] == today.isoformat()

    def test_a_range_past_today_stops_at_today(self, client: TestClient) -> None:
        person, today = self._with_a_meal_tomorrow(client)
        archive = _zip(
            person,
            **{"from": today.isoformat(), "to": (today + dt.timedelta(days=5)).isoformat()},
        )
        scores = _table(archive, "daily_scores.csv")
        assert [row["date"] for row in scores] == [today.isoformat()]
        assert f"to {today.isoformat()}" in archive.read("README.txt").decode()

    def test_a_range_that_starts_after_today_is_refused(self, client: TestClient) -> None:
        person, today = self._with_a_meal_tomorrow(client)
        tomorrow = (today + dt.timedelta(days=1)).isoformat()
        response = person.get("/api/v1/export/csv", params={"from": tomorrow, "to": tomorrow})
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        error = response.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("from", "not_in_future")
