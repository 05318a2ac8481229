from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from fortify.core.config import Settings
from fortify.main import create_app
from tests.factories import meal, sign_up


class TestHealth:
    def test_healthz_answers(self, client: TestClient) -> None:
        assert client.get("/healthz").json() == {"status": "ok"}

    def test_readyz_is_ready_when_migrations_are_at_head(self, client: TestClient) -> None:
        response = client.get("/readyz")
        assert response.status_code == 200
        assert response.json()["status"] == "ready"

    def test_readyz_is_503_on_an_unmigrated_database(self, tmp_path: Path) -> None:
        url = f"sqlite:///{tmp_path / 'empty.db'}"
        settings = Settings(environment="test", database_url=url, data_dir=tmp_path)
        app = create_app(settings, create_engine(url))
        response = TestClient(app).get("/readyz")
        assert response.status_code == 503
        assert response.json()["code"] == "migrations_pending"
        assert response.headers["retry-after"]


class TestErrors:
    def test_unknown_api_routes_are_problem_json(self, client: TestClient) -> None:
        response = client.get("/api/v1/nothing-here")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"

    def test_a_wrong_method_is_a_problem_too(self, client: TestClient) -> None:
        response = client.put("/api/v1/accounts", json={})
        assert response.status_code == 405
        assert response.json()["status"] == 405

    def test_malformed_json_names_the_body(self, client: TestClient) -> None:
        response = client.post(
            "/api/v1/accounts", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["rule"] == "json_invalid"


class TestRequestLog:
    def test_logs_the_route_template_and_no_health_data_or_secrets(
        self, client: TestClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.INFO, logger="fortify.requests"):
            person = sign_up(client)
            person.post("/api/v1/meals", meal(name="Sardines on toast"))
            person.get("/api/v1/meals", params={"from": "2026-11-01"})
        records = [r for r in caplog.records if r.name == "fortify.requests"]
        assert {r.fields["route"] for r in records} >= {"/api/v1/meals", "/api/v1/accounts/verify"}  # type: ignore[attr-defined]
        text = " ".join(str(r.fields) for r in records)  # type: ignore[attr-defined]
        for secret in (person.token, "Sardines", "2026-11-01", person.email, "correct horse"):
            assert secret not in text


class TestSettings:
    def test_generates_and_keeps_a_secret_key(self, tmp_path: Path) -> None:
        first = Settings(data_dir=tmp_path, secret_key="")
        second = Settings(data_dir=tmp_path, secret_key="")
        assert len(first.secret_key) > 40
        assert first.secret_key == second.secret_key
        assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0

    def test_refuses_a_known_default_secret_in_production(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="known default"):
            Settings(environment="production", data_dir=tmp_path, secret_key="changeme")

    def test_defaults_to_sqlite_under_the_data_directory(self, tmp_path: Path) -> None:
        settings = Settings(data_dir=tmp_path, database_url="")
        assert settings.database_url == f"sqlite:///{tmp_path.as_posix()}/fortify.db"

    def test_cors_is_closed_by_default(self, client: TestClient) -> None:
        response = client.options(
            "/api/v1/meals",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        )
        assert "access-control-allow-origin" not in response.headers


class TestRequestIds:
    def test_every_response_carries_a_request_id_and_the_log_names_the_person(
        self, client: TestClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        person = sign_up(client)
        with caplog.at_level(logging.INFO, logger="fortify.requests"):
            response = person.get("/api/v1/profile")
        assert len(response.headers["x-request-id"]) == 32
        fields = [r.fields for r in caplog.records if r.name == "fortify.requests"]  # type: ignore[attr-defined]
        assert fields[-1]["user"] == person.user_id
        assert fields[-1]["request_id"] == response.headers["x-request-id"]
