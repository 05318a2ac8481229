"""Imported sync conflicts: only what can later be restored is accepted.

A conflict naming an entity this app does not keep (a damaged or newer export) was imported and
then answered 500 when the person pressed "restore" (a KeyError); a whole-record conflict whose
value was not a set of fields did the same. The import now refuses the first (422 naming it),
and restore answers 409 for any such row already stored, so dismiss stays the way out.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert

from fortify.sync.models import SyncConflict
from tests.factories import sign_up


def _document(**conflict: Any) -> dict[str, Any]:
    return {
        "exported_at": "2026-11-20T08:00:00+00:00",
        "conflicts": [
            {
                "id": str(uuid.uuid4()),
                "entity_id": str(uuid.uuid4()),
                "field": "name",
                "losing_value": "Lunch",
                "created_at": "2026-11-20T08:00:00+00:00",
            }
            | conflict
        ],
    }


def test_a_conflict_naming_an_unknown_entity_is_refused_at_import(client: TestClient) -> None:
    person = sign_up(client)
    response = person.post("/api/v1/import", _document(entity="unicorns"))
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["rule"]) == ("conflicts[0].entity", "known_entity")
    assert person.get("/api/v1/sync/conflicts").json()["items"] == []


@pytest.mark.parametrize(
    ("levels", "rule"),
    # Past 32 levels the value's own rule refuses it; past 200, the JSON parser already does
    # (the import is validated straight from its bytes, portability/router.py).
    [(40, "max_depth"), (260, "json_invalid")],
)
def test_a_conflict_nested_too_deep_is_refused_at_import(
    client: TestClient, levels: int, rule: str
) -> None:
    deep: Any = 1
    for _ in range(levels):
        deep = [deep]
    person = sign_up(client)
    response = person.post("/api/v1/import", _document(entity="meals", losing_value=deep))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["rule"] == rule
    assert person.get("/api/v1/sync/conflicts").json()["items"] == []


def test_a_stored_conflict_that_cannot_be_restored_is_a_409_and_can_be_dismissed(
    client: TestClient, engine: Engine
) -> None:
    person = sign_up(client)
    ids = [uuid.uuid4(), uuid.uuid4()]
    with engine.begin() as connection:
        for conflict_id, entity, field, value in (
            (ids[0], "unicorns", "name", "Lunch"),
            (ids[1], "meals", "*", [1, 2, 3]),  # a whole record that is not a set of fields
        ):
            connection.execute(
                insert(SyncConflict).values(
                    id=conflict_id,
                    user_id=uuid.UUID(person.user_id),
                    entity=entity,
                    entity_id=uuid.uuid4(),
                    field=field,
                    losing_value=value,
                )
            )
    for conflict_id in ids:
        restored = person.post(f"/api/v1/sync/conflicts/{conflict_id}/restore")
        assert restored.status_code == 409, restored.text
        assert restored.headers["content-type"] == "application/problem+json"
        dismissed = person.post(f"/api/v1/sync/conflicts/{conflict_id}/dismiss")
        assert dismissed.status_code == 200, dismissed.text
