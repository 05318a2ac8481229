from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fortify.cli import app as cli
from fortify.core.config import get_settings

runner = CliRunner()


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str, client: TestClient) -> None:
    monkeypatch.setenv("FORTIFY_DATABASE_URL", database_url)
    get_settings.cache_clear()


class TestUserCommands:
    def test_reset_link_prints_a_link_that_works_once(
        self, cli_env: None, client: TestClient
    ) -> None:
        runner.invoke(cli, ["user", "create", "l@example.com", "--password", "first password"])
        result = runner.invoke(cli, ["user", "reset-link", "l@example.com"])
        assert result.exit_code == 0, result.output
        assert "/reset#token=" in result.output
        token = result.output.strip().split("#token=")[1]
        body = {"token": token, "new_password": "violet kettle orbit"}
        assert client.post("/api/v1/password/reset", json=body).status_code == 201
        assert client.post("/api/v1/password/reset", json=body).status_code == 422

    def test_reset_link_for_an_unknown_email_fails(self, cli_env: None) -> None:
        result = runner.invoke(cli, ["user", "reset-link", "nobody@example.com"])
        assert result.exit_code == 1

    def test_verify_link_finishes_a_waiting_sign_up(
        self, cli_env: None, client: TestClient
    ) -> None:
        client.post(
            "/api/v1/accounts",
            json={"email": "v@example.com", "password": "violet kettle orbit", "display_name": "V"},
        )
        result = runner.invoke(cli, ["user", "verify-link", "V@example.com"])
        assert result.exit_code == 0, result.output
        token = result.output.strip().split("#token=")[1]
        # She still types the password she chose at sign-up.
        verified = client.post(
            "/api/v1/accounts/verify", json={"token": token, "password": "violet kettle orbit"}
        )
        assert verified.status_code == 201

    def test_create_then_sign_in(self, cli_env: None, client: TestClient) -> None:
        result = runner.invoke(
            cli,
            ["user", "create", "cli@example.com", "--name", "Cli", "--password", "long enough pw"],
        )
        assert result.exit_code == 0, result.output
        signed_in = client.post(
            "/api/v1/sessions", json={"email": "cli@example.com", "password": "long enough pw"}
        )
        assert signed_in.status_code == 201

    def test_create_refuses_a_short_password(self, cli_env: None) -> None:
        result = runner.invoke(cli, ["user", "create", "x@example.com", "--password", "short"])
        assert result.exit_code == 1
        assert "at least 10" in result.output

    def test_reset_password_signs_out_everywhere(self, cli_env: None, client: TestClient) -> None:
        runner.invoke(cli, ["user", "create", "r@example.com", "--password", "first password"])
        token = client.post(
            "/api/v1/sessions", json={"email": "r@example.com", "password": "first password"}
        ).json()["token"]
        result = runner.invoke(
            cli, ["user", "reset-password", "r@example.com", "--password", "second password"]
        )
        assert result.exit_code == 0, result.output
        assert (
            client.get("/api/v1/profile", headers={"Authorization": f"Bearer {token}"}).status_code
            == 401
        )

    def test_reset_password_refuses_a_common_password(self, cli_env: None) -> None:
        runner.invoke(cli, ["user", "create", "q@example.com", "--password", "first password"])
        result = runner.invoke(
            cli, ["user", "reset-password", "q@example.com", "--password", "qwertyuiop"]
        )
        assert result.exit_code == 1
        assert "common" in result.output

    def test_reset_password_of_an_unknown_account_fails(self, cli_env: None) -> None:
        result = runner.invoke(
            cli, ["user", "reset-password", "ghost@example.com", "--password", "second password"]
        )
        assert result.exit_code == 1


class TestDemo:
    def test_creates_a_person_with_a_living_history(
        self, cli_env: None, client: TestClient
    ) -> None:
        result = runner.invoke(
            cli,
            ["demo", "--days", "14", "--email", "demo@example.com", "--password", "demo pass 1"],
        )
        assert result.exit_code == 0, result.output
        assert "sign in as demo@example.com" in result.output
        token = client.post(
            "/api/v1/sessions", json={"email": "demo@example.com", "password": "demo pass 1"}
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        yesterday = dt.date.today() - dt.timedelta(days=1)
        report = client.get(f"/api/v1/days/{yesterday}", headers=headers).json()
        assert report["entry_count"] >= 8
        assert report["overall"] > 0
        assert [a["name"] for a in report["adherence"]] == ["Anastrozole 1 mg"]
