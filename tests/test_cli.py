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
