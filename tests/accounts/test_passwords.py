"""The password policy: common passwords are refused at sign-up, change and reset."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fortify.accounts import passwords, service
from fortify.core.errors import InvalidInput
from tests.factories import PASSWORD, sign_up


class TestIsCommon:
    @pytest.mark.parametrize(
        "password", ["qwertyuiop", "1234567890", "Password123", "PASSWORD2026!", "manchester"]
    )
    def test_refuses_listed_passwords_and_their_numbered_variants(self, password: str) -> None:
        assert passwords.is_common(password)

    @pytest.mark.parametrize("password", [PASSWORD, "a brand new secret", "Zanzibar-otter-42"])
    def test_accepts_uncommon_passwords(self, password: str) -> None:
        assert not passwords.is_common(password)

    def test_the_list_ships_with_the_package(self) -> None:
        assert len(passwords._common()) >= 30_000


class TestSignUp:
    def test_refuses_a_common_password_naming_the_field_and_rule(self, client: TestClient) -> None:
        response = client.post(
            "/api/v1/accounts",
            json={"email": "c@example.com", "password": "password123", "display_name": "C"},
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        error = response.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("password", "not_common")


class TestPasswordChange:
    def test_refuses_a_common_new_password(self, client: TestClient) -> None:
        person = sign_up(client)
        response = person.post(
            "/api/v1/password",
            json={"current_password": PASSWORD, "new_password": "qwertyuiop1"},
        )
        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("new_password", "not_common")
        # The old password still works: nothing was changed.
        signed_in = client.post(
            "/api/v1/sessions", json={"email": person.email, "password": PASSWORD}
        )
        assert signed_in.status_code == 201


class TestReset:
    def test_refuses_a_common_password(self, client: TestClient, engine: Engine) -> None:
        person = sign_up(client)
        with Session(engine) as session, pytest.raises(InvalidInput) as refused:
            service.reset_password(session, person.email, "1q2w3e4r5t")
        assert (refused.value.field, refused.value.rule) == ("password", "not_common")
