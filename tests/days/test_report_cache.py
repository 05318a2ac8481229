"""The day report cache: served again while the person's versions, the day and the protocol
version hold; computed afresh as soon as one of them moves (never by time)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fortify.days import service
from tests.days.test_api import log_golden
from tests.factories import Person, dose, sign_up
from tests.scoring.golden import golden_paths

DAY = "/api/v1/days/2026-11-20"


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The days whose report was computed (not served from the cache)."""
    days: list[str] = []
    real = service.day_report

    def counting(session: Any, user: Any, day: Any) -> Any:
        days.append(day.isoformat())
        return real(session, user, day)

    monkeypatch.setattr(service, "day_report", counting)
    return days


def calcium(person: Person) -> float:
    response = person.get(DAY)
    assert response.status_code == 200, response.text
    return float(response.json()["totals"]["calcium_mg"])


class TestDayReportCache:
    def test_an_unchanged_report_is_served_from_the_cache(
        self, client: TestClient, computed: list[str]
    ) -> None:
        person = sign_up(client)
        person.post("/api/v1/doses", dose())
        first = person.get(DAY)
        second = person.get(DAY)
        assert second.content == first.content
        assert second.headers["etag"] == first.headers["etag"]
        assert computed == ["2026-11-20"]

    def test_each_day_and_each_person_has_its_own_entry(
        self, client: TestClient, computed: list[str]
    ) -> None:
        alice, bob = sign_up(client), sign_up(client)
        alice.post("/api/v1/doses", dose())
        assert calcium(alice) == 400
        assert calcium(bob) == 0
        assert alice.get("/api/v1/days/2026-11-21").status_code == 200
        assert len(computed) == 3

    def test_a_write_of_the_person_invalidates_it(
        self, client: TestClient, computed: list[str]
    ) -> None:
        person = sign_up(client)
        assert calcium(person) == 0
        made = person.post("/api/v1/doses", dose()).json()
        assert calcium(person) == 400
        person.delete(f"/api/v1/doses/{made['id']}")
        assert calcium(person) == 0
        assert len(computed) == 3

    def test_a_sync_push_invalidates_it(self, client: TestClient) -> None:
        person = sign_up(client)
        assert calcium(person) == 0
        pushed = person.post(
            "/api/v1/sync/push",
            {
                "device_id": "phone",
                "operations": [
                    {
                        "op_id": "op-1",
                        "entity": "doses",
                        "id": "00000000-0000-4000-8000-0000000000d1",
                        "kind": "upsert",
                        "fields": dose(),
                    }
                ],
            },
        )
        assert pushed.status_code == 200, pushed.text
        assert pushed.json()["results"][0]["status"] == "applied", pushed.text
        assert calcium(person) == 400

    def test_a_profile_change_invalidates_it(self, client: TestClient, computed: list[str]) -> None:
        person = sign_up(client)
        person.post("/api/v1/doses", dose())
        before = person.get(DAY).json()
        changed = person.patch(
            "/api/v1/profile",
            {"target_overrides": {"calcium_mg": {"value": 800, "set_by_care_team": False}}},
        )
        assert changed.status_code == 200, changed.text
        after = person.get(DAY).json()
        assert len(computed) == 2
        assert after["bone"] > before["bone"]  # 400 mg of 800 scores more than of 1,200

    def test_a_new_protocol_version_is_never_served_an_old_report(
        self, client: TestClient, computed: list[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        person = sign_up(client)
        first = person.get(DAY)
        monkeypatch.setattr(service, "PROTOCOL_VERSION", "2")
        person.get(DAY)
        assert len(computed) == 2
        # An ETag from the old rules is not current under the new ones either.
        again = person.client.get(
            DAY, headers=person.headers | {"If-None-Match": first.headers["etag"]}
        )
        assert again.status_code == 200

    def test_a_new_release_is_never_served_an_old_report(
        self, client: TestClient, computed: list[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        person = sign_up(client)
        person.get(DAY)
        monkeypatch.setattr(service, "release", lambda: "99.0.0")
        person.get(DAY)
        assert len(computed) == 2

    def test_the_etag_still_answers_304_before_the_cache(
        self, client: TestClient, computed: list[str]
    ) -> None:
        person = sign_up(client)
        tag = person.get(DAY).headers["etag"]
        again = person.client.get(DAY, headers=person.headers | {"If-None-Match": tag})
        assert (again.status_code, again.content) == (304, b"")
        assert computed == ["2026-11-20"]

    def test_no_cache_at_all_when_it_is_turned_off(
        self, app: FastAPI, client: TestClient, computed: list[str]
    ) -> None:
        app.state.report_cache.max_entries = 0
        person = sign_up(client)
        person.get(DAY)
        person.get(DAY)
        assert len(computed) == 2


@pytest.mark.parametrize("path", golden_paths()[:6], ids=lambda p: p.stem)
def test_a_cached_report_is_the_report_computed_afresh(
    path: Path, app: FastAPI, client: TestClient, engine: Engine
) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    person = sign_up(client)
    log_golden(person, data, engine)
    url = f"/api/v1/days/{data['day']}"
    fresh = person.get(url)
    cached = person.get(url)
    app.state.report_cache.clear()
    again = person.get(url)
    assert fresh.status_code == cached.status_code == again.status_code == 200
    assert fresh.content == cached.content == again.content
    assert fresh.json()["overall"] == data["expected"]["overall"]
