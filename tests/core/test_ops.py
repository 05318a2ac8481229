from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
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
        # Started for real (its lifespan runs): nothing at start may need the tables.
        with TestClient(app) as started:
            response = started.get("/readyz")
        assert response.status_code == 503
        assert response.json()["code"] == "migrations_pending"
        assert response.headers["retry-after"]


def assert_problem_shape(response: Response, status: int, field: str, rule: str) -> None:
    """Every problem+json has one shape (core/errors.py): the RFC 9457 members, the request's
    path as `instance`, and a non-empty `errors[]` naming a field and a rule."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "code", "instance", "errors"}
    assert body["status"] == status
    assert body["instance"] == response.request.url.path
    assert body["type"].endswith("/" + body["code"])
    assert body["errors"], "errors[] is never empty"
    for error in body["errors"]:
        assert set(error) == {"field", "rule", "detail"}
        assert error["rule"] != "value_error", "a rule has a name"
    assert (body["errors"][0]["field"], body["errors"][0]["rule"]) == (field, rule)


class TestErrors:
    def test_unknown_api_routes_are_problem_json(self, client: TestClient) -> None:
        response = client.get("/api/v1/nothing-here")
        assert_problem_shape(response, 404, "path", "not_found")

    @pytest.mark.parametrize(
        ("method", "path"),
        [("POST", "/api/v1/nothing-here"), ("DELETE", "/api/v1/api/v1/x"), ("PUT", "/nowhere")],
    )
    def test_an_unknown_path_is_404_whatever_the_method(
        self, client: TestClient, method: str, path: str
    ) -> None:
        """The app shell answers GET on every path, but it is no route for other methods."""
        assert_problem_shape(client.request(method, path), 404, "path", "not_found")

    def test_an_unknown_entry_is_a_problem_of_the_same_shape(self, client: TestClient) -> None:
        person = sign_up(client)
        response = person.get(f"/api/v1/meals/{uuid.uuid4()}")
        assert_problem_shape(response, 404, "path", "not_found")

    def test_a_wrong_method_is_a_problem_too(self, client: TestClient) -> None:
        response = client.put("/api/v1/accounts", json={})
        assert_problem_shape(response, 405, "method", "method_not_allowed")
        assert response.headers["allow"]

    def test_too_many_sign_in_attempts_is_a_problem_of_the_same_shape(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        for _ in range(10):
            client.post("/api/v1/sessions", json={"email": person.email, "password": "wrong one"})
        response = client.post(
            "/api/v1/sessions", json={"email": person.email, "password": "wrong one"}
        )
        assert_problem_shape(response, 429, "request", "rate_limited")
        assert int(response.headers["retry-after"]) > 0

    def test_a_body_over_the_limit_is_a_problem_of_the_same_shape(self, client: TestClient) -> None:
        person = sign_up(client)
        response = client.post(
            "/api/v1/meals",
            content=b"x" * (4 * 1024 * 1024 + 1),
            headers=person.headers | {"content-type": "application/json"},
        )
        assert_problem_shape(response, 413, "body", "max_bytes")

    def test_an_invalid_body_and_a_missing_credential_share_the_shape(
        self, client: TestClient
    ) -> None:
        assert_problem_shape(client.get("/api/v1/meals"), 401, "authorization", "unauthorized")
        person = sign_up(client)
        response = person.post("/api/v1/meals", meal(eaten_at="1969-12-31T23:00:00+00:00"))
        assert_problem_shape(response, 422, "eaten_at", "not_before_1970")

    @pytest.mark.parametrize(
        ("when", "rule"),
        [
            ("1969-12-31T23:00:00+00:00", "not_before_1970"),
            ("2999-01-01T00:00:00+00:00", "not_in_future"),
            ("9999-12-31T23:59:59-14:00", "supported_range"),
            ("2026-11-27T08:00:00", "timezone_aware"),
        ],
    )
    def test_instants_out_of_bounds_name_their_rule(
        self, client: TestClient, when: str, rule: str
    ) -> None:
        person = sign_up(client)
        response = person.post("/api/v1/meals", meal(eaten_at=when))
        assert_problem_shape(response, 422, "eaten_at", rule)

    @pytest.mark.parametrize(
        ("profile", "field", "rule"),
        [
            ({"time_zone": "Mars/Olympus"}, "time_zone", "iana_time_zone"),
            # Files of the zone database that name no place (the host's own zone, "unset").
            ({"time_zone": "localtime"}, "time_zone", "iana_time_zone"),
            ({"time_zone": "Factory"}, "time_zone", "iana_time_zone"),
        ],
    )
    def test_other_value_rules_are_named_too(
        self, client: TestClient, profile: dict[str, str], field: str, rule: str
    ) -> None:
        person = sign_up(client)
        assert_problem_shape(person.patch("/api/v1/profile", profile), 422, field, rule)
        regimen = {
            "name": "Calcium",
            "form": "calcium_carbonate",
            "schedule_times": ["08:00", "08:00"],
        }
        response = person.post("/api/v1/regimen", regimen)
        assert response.status_code == 422, response.text
        assert {e["rule"] for e in response.json()["errors"]} & {"unique", "clock_time"}

    def test_malformed_json_names_the_body(self, client: TestClient) -> None:
        response = client.post(
            "/api/v1/accounts", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["rule"] == "json_invalid"

    def test_broken_multipart_data_names_the_body(self, client: TestClient) -> None:
        # Schemathesis found this one: Starlette refuses a multipart body with a bare 400.
        boundary = "6a863d4213a080528f6f9abb29b86f60"
        response = client.post(
            "/api/v1/import/apple-health",
            content=f"--{boundary}\r\n208--{boundary}--\r\n".encode(),
            headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0] == {
            "field": "body",
            "rule": "multipart_invalid",
            "detail": "not valid multipart form data",
        }


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
