"""Small builders for raw sync requests (the reference client is in `client.py`)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.factories import Person


def upsert(
    entity: str,
    fields: dict[str, Any],
    entity_id: str | None = None,
    base_version: int | None = None,
    op_id: str | None = None,
) -> dict[str, Any]:
    return {
        "op_id": op_id or str(uuid.uuid4()),
        "entity": entity,
        "id": entity_id or str(uuid.uuid4()),
        "kind": "upsert",
        "base_version": base_version,
        "fields": fields,
    }


def delete(entity: str, entity_id: str, base_version: int | None) -> dict[str, Any]:
    return {
        "op_id": str(uuid.uuid4()),
        "entity": entity,
        "id": entity_id,
        "kind": "delete",
        "base_version": base_version,
    }


def push(person: Person, operations: list[dict[str, Any]], device: str = "phone") -> Any:
    response = person.post("/api/v1/sync/push", {"device_id": device, "operations": operations})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def after_sign_up(changes: list[Any]) -> list[Any]:
    """The changes without the profile written when the account was made (change number 1,
    so a new phone's first pull has it): what a test pushed itself."""
    return [c for c in changes if not (c["entity"] == "profile" and c["version"] == 1)]


def pull_all(person: Person, cursor: str | None = None, limit: int = 500) -> tuple[list[Any], str]:
    """Every change after `cursor`, following has_more; returns (changes, last cursor)."""
    changes: list[Any] = []
    while True:
        params: dict[str, Any] = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = person.get("/api/v1/sync/pull", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        changes.extend(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            assert cursor is not None
            return changes, cursor
