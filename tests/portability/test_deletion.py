"""Account deletion: every row that names the person is gone, everyone else's stays."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from fortify.catalog.service import catalog_food_id
from fortify.models import metadata
from fortify.portability.service import owner_columns
from tests.factories import PASSWORD, Person, sign_up
from tests.portability.conftest import demo_person


def _rows_naming(engine: Engine, user_id: str) -> dict[str, int]:
    """Rows in any table whose users.id foreign key, user_id or owner_id is this person."""
    person = uuid.UUID(user_id)
    found: dict[str, int] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = owner_columns(table)
            if table.name == "users":
                columns = [table.c.id]
            for column in columns:
                count = connection.scalar(
                    select(func.count()).select_from(table).where(column == person)
                )
                if count:
                    found[f"{table.name}.{column.name}"] = int(count)
    return found


def _busy_person(app: FastAPI, client: TestClient) -> Person:
    person = demo_person(app, client, days=14)
    token = person.post("/api/v1/tokens", json={"name": "Shortcuts", "scopes": ["read", "write"]})
    assert token.status_code == 201
    food = person.post("/api/v1/foods/custom", json={"name": "My smoothie"})
    assert food.status_code == 201, food.text
    assert (
        person.client.put(
            f"/api/v1/foods/{food.json()['id']}/favourite", headers=person.headers
        ).status_code
        == 204
    )
    # Sync records too: a pushed food, and a favourite removed since (a tombstone).
    milk = str(catalog_food_id("curated", "whole_milk"))
    ops = [
        {
            "op_id": str(uuid.uuid4()),
            "entity": "custom_foods",
            "id": str(uuid.uuid4()),
            "kind": "upsert",
            "fields": {"name": "Synced kefir"},
        },
        {
            "op_id": str(uuid.uuid4()),
            "entity": "favourites",
            "id": milk,
            "kind": "upsert",
            "fields": {},
        },
        {"op_id": str(uuid.uuid4()), "entity": "favourites", "id": milk, "kind": "delete"},
    ]
    pushed = person.post("/api/v1/sync/push", json={"device_id": "phone", "operations": ops})
    assert [r["status"] for r in pushed.json()["results"]] == ["applied"] * 3
    return person


class TestDeletion:
    def test_after_deletion_no_table_holds_a_row_naming_the_person(
        self, app: FastAPI, client: TestClient, engine: Engine
    ) -> None:
        person = _busy_person(app, client)
        other = _busy_person(app, client)
        before_other = _rows_naming(engine, other.user_id)
        assert _rows_naming(engine, person.user_id)  # the walk sees the rows at all

        response = client.request(
            "DELETE", "/api/v1/account", headers=person.headers, json={"password": PASSWORD}
        )
        assert response.status_code == 204, response.text
        assert _rows_naming(engine, person.user_id) == {}
        assert _rows_naming(engine, other.user_id) == before_other
        assert person.get("/api/v1/profile").status_code == 401
        signed_in = client.post(
            "/api/v1/sessions", json={"email": person.email, "password": PASSWORD}
        )
        assert signed_in.status_code == 401

    def test_the_post_form_deletes_too(self, client: TestClient, engine: Engine) -> None:
        person = sign_up(client)
        response = person.post("/api/v1/account/delete", json={"password": PASSWORD})
        assert response.status_code == 204
        assert _rows_naming(engine, person.user_id) == {}

    def test_a_wrong_password_is_a_422_naming_password_and_deletes_nothing(
        self, client: TestClient, engine: Engine
    ) -> None:
        person = sign_up(client)
        response = person.post("/api/v1/account/delete", json={"password": "not my password"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "password"
        assert person.get("/api/v1/profile").status_code == 200

    def test_an_access_token_cannot_delete_the_account(self, client: TestClient) -> None:
        person = sign_up(client)
        token = person.post("/api/v1/tokens", json={"name": "x", "scopes": ["read", "write"]})
        headers: dict[str, Any] = {"Authorization": f"Bearer {token.json()['token']}"}
        response = client.post(
            "/api/v1/account/delete", headers=headers, json={"password": PASSWORD}
        )
        assert response.status_code == 403
