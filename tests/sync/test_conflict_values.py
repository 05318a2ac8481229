"""A conflict keeps the overwritten value exactly, whatever its type, on both databases.

On SQLite a JSON column has NUMERIC affinity: the JSON text of a bare number was stored as an
INTEGER or REAL, which the JSON reader cannot read, so the first conflict over a number broke
that person's conflict list, export, dismiss and restore (500) for good, and `68.0` would have
come back as `68`. JSON is now stored as a BLOB on SQLite (core.db), and a migration repairs
the rows written before.

For each JSON type (int, float, string, bool, null, list, object), Hypothesis draws the two
competing values; the loser must come back identical (type included) from the conflict list
and the export, restore must write it back, and dismiss must work.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from fortify.core import migrations
from fortify.core.db import make_engine
from fortify.sync.models import SyncConflict
from tests.conftest import BACKEND, SLOW_MACHINE, scratch_database
from tests.factories import Person, measurement, regimen, sign_up, symptom, workout
from tests.sync.helpers import push, upsert

WORDS = st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=30).map(str.strip).filter(bool)

# type -> (entity, a valid record, the field, the values it may take)
CASES: dict[str, tuple[str, Callable[..., dict[str, Any]], str, st.SearchStrategy[Any]]] = {
    "int": ("symptoms", symptom, "worst_pain_0_10", st.integers(0, 10)),
    # integral floats (68.0) included: stored as text they became the integer 68
    "float": (
        "measurements",
        measurement,
        "weight_kg",
        st.floats(20, 400) | st.integers(20, 400).map(float),
    ),
    "string": ("symptoms", symptom, "note", WORDS),
    "bool": ("workouts", workout, "aerobic", st.booleans()),
    "null": ("symptoms", symptom, "morning_stiffness_minutes", st.none()),
    "list": (
        "symptoms",
        symptom,
        "locations",
        st.lists(st.sampled_from(["hands", "knees", "hips", "back"]), max_size=4, unique=True),
    ),
    "object": (
        "regimen",
        regimen,
        "nutrients_per_unit",
        st.fixed_dictionaries({"calcium_mg": st.integers(1, 1200)}),
    ),
}
# The value the other device writes: any value of the field's type but the first.
OTHER = {"null": st.integers(0, 1440)}


@pytest.fixture
def person(client: TestClient) -> Person:
    return sign_up(client)


def exact(value: Any) -> str:
    """JSON text, so that 68 and 68.0 (and True and 1) differ."""
    return json.dumps(value, sort_keys=True)


def _read(person: Person, entity: str, entity_id: str) -> dict[str, Any]:
    response = person.get(f"/api/v1/{entity}/{entity_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize("kind", list(CASES))
@settings(
    max_examples=6,
    database=None,
    suppress_health_check=[*SLOW_MACHINE, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_conflict_over_any_type_round_trips_restores_and_exports(
    person: Person, kind: str, data: st.DataObject
) -> None:
    """One person for every example (each example makes its own record and conflicts)."""
    entity, valid, field, values = CASES[kind]
    mine = data.draw(values, label="losing value")
    theirs = data.draw(OTHER.get(kind, values).filter(lambda v: exact(v) != exact(mine)))

    record = upsert(entity, valid())
    [created] = push(person, [record], device="phone")
    base = created["version"]
    [edit] = push(person, [upsert(entity, {field: mine}, record["id"], base)], device="phone")
    assert edit["status"] == "applied", edit
    stored = _read(person, entity, record["id"])[field]  # as the server keeps it
    [merged] = push(person, [upsert(entity, {field: theirs}, record["id"], base)], "laptop")
    assert merged["merged"], merged
    [conflict] = [c for c in merged["conflicts"] if c["field"] == field]
    assert exact(conflict["losing_value"]) == exact(stored)

    listed = person.get("/api/v1/sync/conflicts")
    assert listed.status_code == 200, listed.text
    [kept] = [c for c in listed.json()["items"] if c["id"] == conflict["id"]]
    assert exact(kept["losing_value"]) == exact(stored)
    exported = person.get("/api/v1/export")
    assert exported.status_code == 200, exported.text
    [in_export] = [c for c in exported.json()["conflicts"] if c["id"] == conflict["id"]]
    assert exact(in_export["losing_value"]) == exact(stored)

    restored = person.post(f"/api/v1/sync/conflicts/{conflict['id']}/restore")
    assert restored.status_code == 200, restored.text
    assert exact(_read(person, entity, record["id"])[field]) == exact(stored)

    # The other device's stale edit again: a new conflict, which the person dismisses.
    [again] = push(person, [upsert(entity, {field: theirs}, record["id"], base)], "laptop")
    [second] = [c for c in again["conflicts"] if c["field"] == field]
    dismissed = person.post(f"/api/v1/sync/conflicts/{second['id']}/dismiss")
    assert dismissed.status_code == 200, dismissed.text
    assert exact(dismissed.json()["losing_value"]) == exact(stored)


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite only: PostgreSQL stores JSON natively")
def test_the_migration_repairs_json_numbers_stored_as_sqlite_numbers(tmp_path: Path) -> None:
    with scratch_database("fortify_json_scalars", tmp_path) as url:
        migrations.upgrade(url, "5e7c1a9b3d20")  # the revision before the repair
        raw = create_engine(url)
        user_id = uuid.uuid4().hex
        rows = {"int": 7, "float": 68.5, "integral float": 68.0, "text": '"seven"'}
        with raw.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, display_name, created_at, "
                    "updated_at, sync_version, time_zone, cleared_for_high_impact, "
                    "on_anticoagulant, osteoporosis, unit_system, target_overrides, "
                    "profile_version) VALUES (:id, 'old@example.com', 'x', 'Old', "
                    "'2026-11-20 08:00:00', '2026-11-20 08:00:00', 0, 'UTC', 0, 0, 0, "
                    "'metric', '{}', 0)"
                ),
                {"id": user_id},
            )
            for name, value in rows.items():  # as the old code stored them
                connection.execute(
                    text(
                        "INSERT INTO sync_conflicts (id, user_id, entity, entity_id, field, "
                        "losing_value, created_at) VALUES (:id, :user_id, 'symptoms', :id, "
                        ":field, :value, '2026-11-20 08:00:00')"
                    ),
                    {"id": uuid.uuid4().hex, "user_id": user_id, "field": name, "value": value},
                )
        raw.dispose()
        migrations.upgrade(url)
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                kinds = connection.execute(
                    text("SELECT DISTINCT typeof(losing_value) FROM sync_conflicts")
                ).scalars()
                assert set(kinds) <= {"blob", "text"}
                read = {
                    c.field: c.losing_value
                    for c in connection.execute(SyncConflict.__table__.select())
                }
        finally:
            engine.dispose()
    assert read == {"int": 7, "float": 68.5, "integral float": 68, "text": "seven"}
