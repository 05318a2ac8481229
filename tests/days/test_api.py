"""The golden vectors through the real API: entries logged over HTTP, the report read back.

The same files drive the pure engine (test_golden.py) and, later, the TypeScript port; here they
prove the API path (storage, time zones, snapshots, the query windows) gives the same answers.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from fortify.accounts.models import User
from fortify.core.schema import LAST_DAY
from fortify.days.service import MAX_SERIES_DAYS
from fortify.entries.models import RegimenItem
from fortify.scoring import PROTOCOL_VERSION
from tests.factories import Person, at, dose, regimen, sign_up, workout
from tests.scoring.golden import golden_paths

ENTRY_KINDS = ("meals", "doses", "workouts", "symptoms", "measurements", "labs")


def log_golden(person: Person, data: dict[str, Any], engine: Engine) -> None:
    assert person.patch("/api/v1/profile", data["profile"]).status_code == 200
    # A vector describes a person who has used the app for a while: her account is made well
    # before the vector's day (a day before it has no scores: test_first_day.py).
    made = dt.datetime.fromisoformat(data["day"]).replace(tzinfo=dt.UTC) - dt.timedelta(days=400)
    with engine.begin() as connection:
        connection.execute(
            update(User).where(User.id == uuid.UUID(person.user_id)).values(created_at=made)
        )
    for item in data.get("regimen", []):
        body = {k: v for k, v in item.items() if k not in ("created_at", "earliest_dose_at")}
        response = person.post("/api/v1/regimen", body)
        assert response.status_code == 201, response.text
        # The server stamps created_at itself; the vector's creation time is part of its input
        # (an item's start, PROTOCOL §1), so it is written as if the item had been made then.
        with engine.begin() as connection:
            connection.execute(
                update(RegimenItem)
                .where(RegimenItem.id == uuid.UUID(item["id"]))
                .values(created_at=dt.datetime.fromisoformat(item["created_at"]))
            )
    for kind in ENTRY_KINDS:
        for entry in data.get(kind, []):
            body = {k: v for k, v in entry.items() if v is not None or k != "weight_kg"}
            body = {k: v for k, v in body.items() if not (k == "weight_lb" and v is None)}
            response = person.post(f"/api/v1/{kind}", body)
            assert response.status_code == 201, (kind, response.text)


@pytest.mark.parametrize("path", golden_paths(), ids=lambda p: p.stem)
def test_the_api_reports_every_golden_vector(
    path: Path, client: TestClient, engine: Engine
) -> None:
    """The whole day report and the whole patterns answer, as pinned in the file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    person = sign_up(client)
    log_golden(person, data, engine)
    response = person.get(f"/api/v1/days/{data['day']}")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report.pop("scored") is True
    assert report.pop("first_day") <= data["day"]
    expected = data["expected"]
    scores = {k: report[k] for k in ("overall", "bone", "heart", "joint")}
    assert scores == {k: expected[k] for k in scores}
    assert sorted(f["key"] for f in report["flags"]) == sorted(expected["flags"])
    assert differences(report, expected["report"]) == []
    patterns = person.get("/api/v1/patterns", params={"date": data["day"]})
    assert patterns.status_code == 200, patterns.text
    assert patterns.json() == expected["patterns"]


def differences(actual: object, expected: object, path: str = "") -> list[str]:
    """Every path where two JSON values differ: exactly, except numbers, which may differ by
    1e-3 (a weight entered in pounds is stored as kg to 3 decimals, which moves the BMI in its
    fifth digit; every other number comes out identical)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        if actual.keys() != expected.keys():
            return [f"{path}: keys {sorted(actual)} != {sorted(expected)}"]
        return [d for k in expected for d in differences(actual[k], expected[k], f"{path}.{k}")]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(actual) != len(expected):
            return [f"{path}: {len(actual)} items != {len(expected)}"]
        return [
            d
            for i, (a, e) in enumerate(zip(actual, expected, strict=True))
            for d in differences(a, e, f"{path}[{i}]")
        ]
    numbers = (int, float)
    plain = not isinstance(expected, bool) and not isinstance(actual, bool)
    if isinstance(expected, numbers) and isinstance(actual, numbers) and plain:
        return [] if abs(actual - expected) <= 1e-3 else [f"{path}: {actual} != {expected}"]
    return [] if actual == expected else [f"{path}: {actual!r} != {expected!r}"]


class TestDayReport:
    def test_counts_the_entries_of_the_day(self, client: TestClient) -> None:
        person = sign_up(client)
        person.post("/api/v1/workouts", workout(started_at=at(dt.date(2026, 11, 18))))
        person.post("/api/v1/doses", dose())
        report = person.get("/api/v1/days/2026-11-20").json()
        assert report["entry_count"] == 1
        assert report["totals"]["minutes_w7"]["aerobic"] == 30

    def test_a_deleted_entry_stops_counting(self, client: TestClient) -> None:
        person = sign_up(client)
        made = person.post("/api/v1/doses", dose()).json()
        before = person.get("/api/v1/days/2026-11-20").json()["totals"]["calcium_mg"]
        person.delete(f"/api/v1/doses/{made['id']}")
        after = person.get("/api/v1/days/2026-11-20").json()["totals"]["calcium_mg"]
        assert (before, after) == (400, 0)

    def test_never_counts_another_persons_entries(self, client: TestClient) -> None:
        ann, bob = sign_up(client), sign_up(client)
        ann.post("/api/v1/doses", dose())
        report = bob.get("/api/v1/days/2026-11-20").json()
        assert (report["entry_count"], report["totals"]["calcium_mg"]) == (0, 0)

    def test_adherence_counts_daily_doses_over_90_days(self, client: TestClient) -> None:
        person = sign_up(client)
        item = person.post(
            "/api/v1/regimen",
            regimen(
                name="Anastrozole 1 mg",
                kind="medicine",
                form="anastrozole",
                nutrients_per_unit={},
                schedule_times=["08:00"],
                prescribed_daily=True,
                started_on="2026-06-01",
            ),
        ).json()
        day = dt.date(2026, 11, 20)
        for back in range(0, 90, 2):  # every other day
            person.post(
                "/api/v1/doses",
                {"regimen_item_id": item["id"], "taken_at": at(day - dt.timedelta(days=back))},
            )
        adherence = person.get("/api/v1/days/2026-11-20").json()["adherence"][0]
        assert adherence["days_7"] == pytest.approx(4 / 7, abs=1e-3)
        assert adherence["days_90"] == pytest.approx(45 / 90, abs=1e-3)

    def test_an_item_starts_at_its_earliest_dose_however_long_ago(
        self, client: TestClient, engine: Engine
    ) -> None:
        """§1: with no `started_on`, an item starts at the earlier of its creation and its
        earliest dose, even a dose long before the 91 days of doses a report reads: the
        report reads it with the regimen (made this week, the item would show 5 of 6 days)."""
        person = sign_up(client)
        item = person.post(
            "/api/v1/regimen",
            regimen(
                name="Anastrozole 1 mg",
                kind="medicine",
                form="anastrozole",
                nutrients_per_unit={},
                prescribed_daily=True,
            ),
        ).json()
        with engine.begin() as connection:
            connection.execute(
                update(RegimenItem)
                .where(RegimenItem.id == uuid.UUID(item["id"]))
                .values(created_at=dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC))
            )
        day = dt.date(2026, 11, 20)
        for taken in [dt.date(2026, 6, 1)] + [day - dt.timedelta(days=n) for n in range(5)]:
            body = {"regimen_item_id": item["id"], "taken_at": at(taken)}
            assert person.post("/api/v1/doses", body).status_code == 201
        adherence = person.get("/api/v1/days/2026-11-20").json()["adherence"][0]
        assert adherence["days_7"] == pytest.approx(5 / 7, abs=1e-3)
        assert adherence["days_90"] == pytest.approx(5 / 90, abs=1e-3)


class TestSeries:
    def test_gives_one_summary_per_day(self, client: TestClient) -> None:
        person = sign_up(client)
        person.post("/api/v1/doses", dose())
        days = person.get("/api/v1/days", params={"from": "2026-11-18", "to": "2026-11-22"})
        assert days.status_code == 200
        series = days.json()["days"]
        assert [d["date"] for d in series] == [f"2026-11-{n}" for n in range(18, 23)]
        assert [d["calcium_mg"] for d in series] == [0, 0, 400, 0, 0]

    def test_matches_the_single_day_reports(self, client: TestClient) -> None:
        person = sign_up(client)
        for n in range(10):
            person.post("/api/v1/workouts", workout(started_at=at(dt.date(2026, 11, 10 + n))))
            person.post("/api/v1/doses", dose(taken_at=at(dt.date(2026, 11, 10 + n))))
        series = person.get("/api/v1/days", params={"from": "2026-11-08", "to": "2026-11-21"})
        for summary in series.json()["days"]:
            single = person.get(f"/api/v1/days/{summary['date']}").json()
            assert summary["overall"] == single["overall"]
            assert summary["bone"] == single["bone"]

    def test_refuses_more_than_366_days(self, client: TestClient) -> None:
        response = sign_up(client).get(
            "/api/v1/days", params={"from": "2025-01-01", "to": "2026-01-02"}
        )
        assert response.status_code == 422
        assert response.json()["errors"][0] == {
            "field": "to",
            "rule": "max_range",
            "detail": "At most 366 days at a time.",
        }

    def test_the_longest_range_is_answered_and_one_day_more_is_refused(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        first = dt.date(2025, 3, 1)
        longest = first + dt.timedelta(days=MAX_SERIES_DAYS - 1)
        answered = person.get("/api/v1/days", params={"from": first, "to": longest})
        assert answered.status_code == 200, answered.text
        assert len(answered.json()["days"]) == MAX_SERIES_DAYS
        for last in (longest + dt.timedelta(days=1), LAST_DAY):
            refused = person.get("/api/v1/days", params={"from": first, "to": last})
            assert refused.status_code == 422, refused.text
            assert refused.headers["content-type"] == "application/problem+json"
            [error] = refused.json()["errors"]
            assert (error["field"], error["rule"]) == ("to", "max_range")
            assert str(MAX_SERIES_DAYS) in error["detail"]


class TestWeek:
    def test_sums_the_iso_week(self, client: TestClient) -> None:
        person = sign_up(client)
        # 2026-W47 is Monday 16 to Sunday 22 November.
        person.post("/api/v1/workouts", workout(started_at=at(dt.date(2026, 11, 15))))
        person.post("/api/v1/workouts", workout(started_at=at(dt.date(2026, 11, 16))))
        person.post(
            "/api/v1/workouts",
            workout(started_at=at(dt.date(2026, 11, 19)), intensity="vigorous", minutes=20),
        )
        week = person.get("/api/v1/weeks/2026-W47").json()
        assert (week["first_day"], week["last_day"]) == ("2026-11-16", "2026-11-22")
        assert week["minutes"]["aerobic"] == 30 + 40
        assert week["days"]["aerobic"] == 2
        assert week["days_logged"] == 2

    def test_refuses_a_week_that_does_not_exist(self, client: TestClient) -> None:
        response = sign_up(client).get("/api/v1/weeks/2026-W60")
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "iso_week"


class TestProtocol:
    def test_lists_effective_targets_with_care_team_marks(self, client: TestClient) -> None:
        person = sign_up(client)
        person.patch(
            "/api/v1/profile",
            {
                "sex": "male",
                "target_overrides": {"calcium_mg": {"value": 1000, "set_by_care_team": True}},
            },
        )
        protocol = person.get("/api/v1/protocol").json()
        # One constant: the version reported is the one every cached day report is stamped with.
        assert protocol["protocol_version"] == PROTOCOL_VERSION == "1.1"
        targets = {t["key"]: t for t in protocol["targets"]}
        assert targets["calcium_mg"]["value"] == 1000
        assert targets["calcium_mg"]["set_by_care_team"] is True
        assert targets["magnesium_mg"]["value"] == 420
        assert "NIH" in targets["magnesium_mg"]["source"]

    def test_the_activity_catalog_has_the_seed_examples(self, client: TestClient) -> None:
        activities = {a["key"]: a for a in sign_up(client).get("/api/v1/activities").json()}
        assert len(activities) >= 40
        assert activities["swimming"]["low_impact"] and activities["swimming"]["aerobic"]
        assert activities["brisk_walking"]["weight_bearing"]
