"""The routes the phones ask most sign in and answer in ONE hop to a worker thread.

Each hop is a thread to wake and, on an idle machine, the GIL handed to another core and back:
it cost more than the statement it carried (docs/scaling.md). `accounts.deps.as_person` signs
in and runs the route's reading in the same hop; a sync dependency or a second
`run_in_threadpool` in these routes would bring a hop back unnoticed, so the hops are counted
here, at `anyio.to_thread.run_sync`, through which every one of them goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from tests.factories import Person, at, dose, meal, sign_up

DAY = dt.date(2026, 11, 20)


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the functions each request ran on a worker thread, in order."""
    seen: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counting(function: Any, *args: Any, **kwargs: Any) -> Any:
        called = getattr(function, "func", function)  # starlette passes a functools.partial
        seen.append(getattr(called, "__name__", repr(called)))
        return await run_sync(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    yield seen


def _person_with_a_day(client: TestClient) -> Person:
    person = sign_up(client)
    assert person.post("/api/v1/meals", json=meal(eaten_at=at(DAY))).status_code == 201
    assert person.post("/api/v1/doses", json=dose(taken_at=at(DAY, 9))).status_code == 201
    return person


def _cursor(person: Person) -> str:
    cursor = None
    while True:
        page = person.get("/api/v1/sync/pull", params={"cursor": cursor} if cursor else {})
        assert page.status_code == 200, page.text
        cursor = page.json()["cursor"]
        if not page.json()["has_more"]:
            return str(cursor)


class TestOneHop:
    def test_a_pull_with_nothing_new_takes_one_hop(
        self, client: TestClient, hops: list[str]
    ) -> None:
        person = _person_with_a_day(client)
        cursor = _cursor(person)
        hops.clear()

        answer = person.get("/api/v1/sync/pull", params={"cursor": cursor})

        assert answer.status_code == 200
        assert answer.json()["changes"] == []
        assert hops == ["_as_person"]

    def test_a_pull_with_changes_takes_one_hop(self, client: TestClient, hops: list[str]) -> None:
        person = _person_with_a_day(client)
        hops.clear()

        answer = person.get("/api/v1/sync/pull")

        assert answer.status_code == 200
        assert len(answer.json()["changes"]) >= 2
        assert hops == ["_as_person"]

    def test_a_computed_day_report_then_a_cached_one_then_a_304_take_one_hop_each(
        self, client: TestClient, hops: list[str]
    ) -> None:
        person = _person_with_a_day(client)
        hops.clear()

        computed = person.get(f"/api/v1/days/{DAY}")
        cached = person.get(f"/api/v1/days/{DAY}")
        not_modified = client.get(
            f"/api/v1/days/{DAY}",
            headers=person.headers | {"If-None-Match": computed.headers["etag"]},
        )

        assert computed.status_code == cached.status_code == 200
        assert computed.content == cached.content
        assert not_modified.status_code == 304
        assert hops == ["_as_person"] * 3

    def test_a_food_search_takes_one_hop(self, client: TestClient, hops: list[str]) -> None:
        person = sign_up(client)
        hops.clear()

        answer = person.get("/api/v1/foods", params={"q": "sardines"})

        assert answer.status_code == 200
        assert answer.json()["items"]
        assert hops == ["_as_person"]

    def test_a_refused_credential_takes_its_one_hop_and_runs_no_work(
        self, client: TestClient, hops: list[str]
    ) -> None:
        person = sign_up(client)
        assert person.delete("/api/v1/sessions/current").status_code == 204
        hops.clear()

        answer = person.get(f"/api/v1/days/{DAY}")

        assert answer.status_code == 401
        assert answer.json()["errors"][0]["rule"] == "signed_out"
        assert hops == ["_as_person"]
