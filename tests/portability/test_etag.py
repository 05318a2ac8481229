"""Conditional reads (ETag / If-None-Match) and the sign-in rate-limit headers."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import PASSWORD, Person, meal, sign_up


def _if_none_match(person: Person, url: str, tag: str) -> Any:
    return person.client.get(url, headers=person.headers | {"If-None-Match": tag})


ROUTES = (
    "/api/v1/days/2026-11-20",
    "/api/v1/days?from=2026-11-14&to=2026-11-20",
    "/api/v1/meals",
    "/api/v1/workouts?from=2026-11-01",
    "/api/v1/export",
)


class TestETags:
    def test_each_read_answers_304_until_something_changes(self, client: TestClient) -> None:
        person = sign_up(client)
        assert person.post("/api/v1/meals", json=meal()).status_code == 201
        tags = {}
        for url in ROUTES:
            first = person.get(url)
            assert first.status_code == 200, url
            tag = first.headers["etag"]
            assert tag.startswith('W/"')
            assert first.headers["cache-control"] == "no-store"
            again = _if_none_match(person, url, tag)
            assert again.status_code == 304, url
            assert again.content == b""
            assert again.headers["etag"] == tag
            tags[url] = tag
        assert person.post("/api/v1/meals", json=meal(name="Snack")).status_code == 201
        for url, tag in tags.items():
            assert _if_none_match(person, url, tag).status_code == 200, url

    def test_a_profile_change_changes_the_day_report_tag(self, client: TestClient) -> None:
        person = sign_up(client)
        tag = person.get("/api/v1/days/2026-11-20").headers["etag"]
        assert person.patch("/api/v1/profile", json={"height_cm": 165}).status_code == 200
        response = _if_none_match(person, "/api/v1/days/2026-11-20", tag)
        assert response.status_code == 200

    def test_another_query_or_another_person_has_another_tag(self, client: TestClient) -> None:
        one, two = sign_up(client), sign_up(client)
        a = one.get("/api/v1/days/2026-11-20").headers["etag"]
        assert one.get("/api/v1/days/2026-11-21").headers["etag"] != a
        assert two.get("/api/v1/days/2026-11-20").headers["etag"] != a
        assert (
            one.get("/api/v1/meals?limit=10").headers["etag"]
            != one.get("/api/v1/meals?limit=20").headers["etag"]
        )

    def test_the_export_tag_follows_favourites_too(self, client: TestClient) -> None:
        person = sign_up(client)
        tag = person.get("/api/v1/export").headers["etag"]
        food = person.post("/api/v1/foods/custom", json={"name": "Kefir"}).json()
        person.client.put(f"/api/v1/foods/{food['id']}/favourite", headers=person.headers)
        assert _if_none_match(person, "/api/v1/export", tag).status_code == 200


class TestRateLimitHeaders:
    def test_sign_in_answers_carry_the_attempts_left(self, client: TestClient) -> None:
        # Signed in by the mailed link and again here: right passwords use no attempt up.
        person = sign_up(client)
        ok = client.post("/api/v1/sessions", json={"email": person.email, "password": PASSWORD})
        assert ok.status_code == 201
        assert ok.headers["ratelimit-limit"] == "10"
        assert ok.headers["ratelimit-remaining"] == "10"
        assert int(ok.headers["ratelimit-reset"]) <= 60
        wrong = client.post("/api/v1/sessions", json={"email": person.email, "password": "nope"})
        assert wrong.status_code == 401
        assert wrong.headers["ratelimit-remaining"] == "9"
        for _ in range(9):
            client.post("/api/v1/sessions", json={"email": person.email, "password": "nope"})
        limited = client.post("/api/v1/sessions", json={"email": person.email, "password": "x"})
        assert limited.status_code == 429
        assert limited.headers["ratelimit-remaining"] == "0"
        assert "retry-after" in limited.headers
