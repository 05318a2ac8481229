from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import sign_up


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
            content=chunks(),  # type: ignore[arg-type]
            headers=person.headers | {"content-type": "application/json"},
        )
        assert response.status_code == 413
