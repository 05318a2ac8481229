"""Per-person caps (core/limits.py, F6): past one, a create is a 409 `too_many` saying what to
remove; removing one makes room. The caps are lowered here so that each test makes a few."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fortify.catalog.custom_foods import CustomFoodKind
from fortify.core import limits
from fortify.reminders.records import ReminderKind
from tests.factories import Person, sign_up
from tests.reminders.push_peer import PushPeer

CAP = 3


def _refused(response: Any, words: str) -> None:
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    error = response.json()["errors"][0]
    assert error["rule"] == "too_many"
    assert f"most one account may keep is {CAP}" in error["detail"]
    assert words in error["detail"]


@pytest.fixture
def person(client: TestClient) -> Person:
    return sign_up(client)


@pytest.fixture(autouse=True)
def _low_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MAX_PUSH_SUBSCRIPTIONS", "MAX_ACCESS_TOKENS", "MAX_CALENDAR_LINKS"):
        monkeypatch.setattr(limits, name, CAP)
    for kind in (ReminderKind, CustomFoodKind):
        assert kind.per_person is not None
        monkeypatch.setattr(kind, "per_person", (CAP, *kind.per_person[1:]))


def _fill(make: Callable[[int], Any]) -> list[Any]:
    made = [make(n) for n in range(CAP)]
    assert all(r.status_code == 201 for r in made), [r.text for r in made]
    return made


class TestCaps:
    def test_push_subscriptions(self, person: Person, peer: PushPeer) -> None:
        def make(_: int) -> Any:
            return person.post("/api/v1/push/subscriptions", peer.subscribe().info())

        made = _fill(make)
        _refused(make(0), "Turn reminders off on a device you no longer use")
        again = made[0].json()
        # the same device again is an update, not one more
        assert person.get("/api/v1/push/subscriptions").status_code == 200
        assert person.delete(f"/api/v1/push/subscriptions/{again['id']}").status_code == 204
        assert make(0).status_code == 201

    def test_access_tokens(self, person: Person) -> None:
        def make(n: int) -> Any:
            return person.post("/api/v1/tokens", {"name": f"script {n}", "scopes": ["read"]})

        made = _fill(make)
        _refused(make(9), "Revoke a token you no longer use")
        assert person.delete(f"/api/v1/tokens/{made[0].json()['id']}").status_code == 204
        assert make(9).status_code == 201

    def test_calendar_links(self, person: Person) -> None:
        def make(n: int) -> Any:
            return person.post("/api/v1/calendar-feeds", {"name": f"Calendar {n}"})

        made = _fill(make)
        _refused(make(9), "Revoke a link no calendar uses any more")
        assert person.delete(f"/api/v1/calendar-feeds/{made[0].json()['id']}").status_code == 204
        assert make(9).status_code == 201

    def test_reminders(self, person: Person) -> None:
        def make(n: int) -> Any:
            body = {"kind": "custom", "title": f"Walk {n}", "times": ["08:00"]}
            return person.post("/api/v1/reminders", body)

        made = _fill(make)
        _refused(make(9), "Delete a reminder you no longer need")
        assert person.delete(f"/api/v1/reminders/{made[0].json()['id']}").status_code == 204
        assert make(9).status_code == 201

    def test_own_foods(self, person: Person) -> None:
        def make(n: int) -> Any:
            return person.post("/api/v1/foods/custom", {"name": f"Granola {n}"})

        made = _fill(make)
        _refused(make(9), "Delete foods you no longer use")
        assert person.delete(f"/api/v1/foods/custom/{made[0].json()['id']}").status_code == 204
        assert make(9).status_code == 201

    def test_one_persons_count_is_not_anothers(self, client: TestClient, person: Person) -> None:
        _fill(lambda n: person.post("/api/v1/calendar-feeds", {"name": f"Calendar {n}"}))
        other = sign_up(client)
        assert other.post("/api/v1/calendar-feeds", {"name": "Mine"}).status_code == 201
