"""The CSV zip: one file per entry kind plus daily scores, ready for a spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile

from fastapi.testclient import TestClient

from tests.factories import Person, meal, sign_up
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
        scores = _table(
            _zip(demo, **{"from": "2026-01-01", "to": "2026-01-10"}), "daily_scores.csv"
        )
        assert [row["date"] for row in scores][:2] == ["2026-01-01", "2026-01-02"]
        assert len(scores) == 10

    def test_text_that_looks_like_a_formula_is_shown_not_run(self, client: TestClient) -> None:
        person = sign_up(client)
        assert person.post("/api/v1/meals", json=meal(name="=HYPERLINK(1)")).status_code == 201
        (row,) = _table(_zip(person), "meals.csv")
        assert row["meal"] == "'=HYPERLINK(1)"


class TestCareTeamColumn:
    def test_regimen_csv_says_which_items_the_care_team_set(self, demo: Person) -> None:
        rows = _table(_zip(demo), "regimen.csv")
        marked = {r["name"]: r["set_by_care_team"] for r in rows}
        assert marked["Vitamin D3 50,000 IU (Sundays)"] == "yes"
        assert marked["Fish oil"] == "no"
