from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.factories import meal, sign_up

# Values for the path parameters of GET routes, so every one of them can be called.
PATH_VALUES = {
    "day": "2026-11-20",
    "iso_week": "2026-W47",
    "secret": "x",
    "food_id": "00000000-0000-4000-8000-000000000001",
    "reminder_id": "00000000-0000-4000-8000-000000000001",
    "entry_id": "00000000-0000-4000-8000-000000000001",
}


class TestSecurityHeaders:
    def test_api_answers_carry_the_hardening_headers(self, client: TestClient) -> None:
        response = client.get("/healthz")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp

    def test_health_data_is_never_cached(self, client: TestClient) -> None:
        response = sign_up(client).get("/api/v1/profile")
        assert response.headers["cache-control"] == "no-store"

    def test_hsts_only_over_https(self, client: TestClient) -> None:
        assert "strict-transport-security" not in client.get("/healthz").headers
        secure = TestClient(client.app, base_url="https://testserver")
        assert secure.get("/healthz").headers["strict-transport-security"].startswith("max-age=")


class TestNoStore:
    """Every API answer, health data or not, 200 or 304 or 4xx, is `no-store`."""

    def _get_paths(self, app: FastAPI) -> list[str]:
        """Every GET route of the API (from the OpenAPI document), with its parameters filled."""
        return [
            re.sub(r"{(\w+)}", lambda m: PATH_VALUES[m.group(1)], path)
            for path, operations in app.openapi()["paths"].items()
            if "get" in operations and path.startswith("/api/")
        ]

    def test_every_get_route_of_the_api_answers_no_store(
        self, app: FastAPI, client: TestClient
    ) -> None:
        person = sign_up(client)
        assert person.post("/api/v1/meals", json=meal()).status_code == 201
        paths = self._get_paths(app)
        for must in (
            "/api/v1/export",
            "/api/v1/export/csv",
            "/api/v1/reports/care-team",
            "/api/v1/days/2026-11-20",
            "/api/v1/meals",
            "/api/v1/foods/offline-pack",
            "/api/v1/sync/pull",
            "/api/v1/audit",
        ):
            assert must in paths
        for path in paths:
            response = person.get(path)
            assert response.status_code < 500, (path, response.text)
            assert response.headers["cache-control"] == "no-store", path

    def test_a_304_is_no_store_too_and_the_tag_still_works(self, client: TestClient) -> None:
        person = sign_up(client)
        for path in ("/api/v1/export", "/api/v1/days/2026-11-20", "/api/v1/foods/offline-pack"):
            first = person.get(path)
            assert first.headers["cache-control"] == "no-store"
            again = client.get(
                path, headers=person.headers | {"If-None-Match": first.headers["etag"]}
            )
            assert again.status_code == 304, path
            assert again.headers["cache-control"] == "no-store"


class TestBodyLimit:
    def test_a_huge_body_is_refused_with_413_before_it_is_parsed(self, client: TestClient) -> None:
        person = sign_up(client)
        body = b'{"name": "' + b"x" * (5 * 1024 * 1024) + b'"}'
        response = client.post(
            "/api/v1/meals",
            content=body,
            headers=person.headers | {"content-type": "application/json"},
        )
        assert response.status_code == 413
        assert response.json()["errors"][0] == {
            "field": "body",
            "rule": "max_bytes",
            "detail": "at most 4194304 bytes",
        }

    def test_a_chunked_body_is_counted_too(self, client: TestClient) -> None:
        person = sign_up(client)

        def chunks() -> object:
            for _ in range(80):
                yield b"x" * 65536

        response = client.post(
            "/api/v1/meals",
            content=chunks(),
            headers=person.headers | {"content-type": "application/json"},
        )
        assert response.status_code == 413


class TestApiDocs:
    def test_the_docs_page_loads_nothing_from_another_origin(self, client: TestClient) -> None:
        page = client.get("/api/docs")
        assert page.status_code == 200
        assert not re.search(r"https?://", page.text), "the page names another origin"
        csp = page.headers["content-security-policy"]
        assert not re.search(r"https?://", csp)
        assets = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", page.text)
        scripts = [a for a in assets if a.endswith(".js")]
        assert scripts, page.text
        for asset in assets:
            assert asset.startswith("/"), asset
            assert client.get(asset).status_code == 200, asset
