"""Sync benchmark: a 500-change push, and a full pull of one year of one person's data.

    .venv/bin/python bench/sync.py            # SQLite and PostgreSQL (when it answers)
    .venv/bin/python bench/sync.py sqlite     # one of them

Each database is a scratch one (a temporary SQLite file; a new PostgreSQL database on the
server at FORTIFY_BENCH_POSTGRES_URL, default the local `test` admin URL), built by the
migrations and dropped afterwards. Requests go through the real app in-process (FastAPI's
TestClient), so the figures include validation, JSON and the database, not the network.
Targets (issue 5): push under 500 ms, full pull under 1 s.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from fortify.accounts.service import create_user
from fortify.core import migrations
from fortify.core.config import Settings
from fortify.core.db import make_engine, session_scope
from fortify.main import create_app

POSTGRES_ADMIN_URL = os.environ.get(
    "FORTIFY_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PUSH_TARGET_MS, PULL_TARGET_MS = 500, 1000
START = dt.datetime(2025, 11, 1, tzinfo=dt.UTC)


@contextmanager
def scratch_database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"fortify_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _meal(at: dt.datetime, n: int) -> dict[str, Any]:
    items = [
        {
            "food_name": f"food {k}",
            "grams": 120,
            "nutrients": {"energy_kcal": 150, "calcium_mg": 120, "protein_g": 8},
            "servings": {"polyphenol": 0.5},
        }
        for k in range(3)
    ]
    return {"eaten_at": at.isoformat(), "name": f"Meal {n}", "items": items}


def one_year() -> list[tuple[str, dict[str, Any]]]:
    """About 11,000 records: 6 meals, 18 doses, 2 workouts, 2 check-ins, 2 weights a day."""
    out: list[tuple[str, dict[str, Any]]] = []
    for day in range(365):
        morning = START + dt.timedelta(days=day, hours=7)
        for n in range(6):
            out.append(("meals", _meal(morning + dt.timedelta(hours=2 * n), n)))
        for n in range(18):
            dose = {
                "taken_at": (morning + dt.timedelta(minutes=40 * n)).isoformat(),
                "units": 1,
                "kind": "supplement",
                "form": "calcium_citrate",
                "nutrients": {"calcium_mg": 200},
            }
            out.append(("doses", dose))
        for n in range(2):
            at = (morning + dt.timedelta(hours=5 + 6 * n)).isoformat()
            out.append(("workouts", {"activity": "brisk_walking", "started_at": at, "minutes": 30}))
            out.append(("symptoms", {"measured_at": at, "worst_pain_0_10": 3, "locations": []}))
            out.append(("measurements", {"measured_at": at, "weight_kg": 68.5}))
    return out


def ops(records: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    return [
        {
            "op_id": str(uuid.uuid4()),
            "entity": entity,
            "id": str(uuid.uuid4()),
            "kind": "upsert",
            "base_version": None,
            "fields": fields,
        }
        for entity, fields in records
    ]


def sign_up(client: TestClient) -> dict[str, str]:
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    password = "bench password 1"
    factory = client.app.state.session_factory  # type: ignore[attr-defined]
    for db in session_scope(factory):  # as the operator makes a person: no mailed link
        create_user(db, email, password, "Bench")
    session = client.post("/api/v1/sessions", json={"email": email, "password": password})
    return {"Authorization": f"Bearer {session.json()['token']}"}


def push(
    client: TestClient,
    headers: dict[str, str],
    batch: list[dict[str, Any]],
    versions: dict[str, int] | None = None,
) -> float:
    started = time.perf_counter()
    response = client.post(
        "/api/v1/sync/push", json={"device_id": "bench", "operations": batch}, headers=headers
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert {r["status"] for r in results} == {"applied"}
    if versions is not None:
        for op, result in zip(batch, results, strict=True):
            versions[op["id"]] = result["version"]
    return elapsed


# An edit changes one field, as a phone's edit screen does.
EDITS: dict[str, dict[str, Any]] = {
    "meals": {"name": "Edited meal"},
    "doses": {"units": 2},
    "workouts": {"minutes": 45},
    "symptoms": {"worst_pain_0_10": 4},
    "measurements": {"weight_kg": 68.1},
}


def mixed_batches(
    year: list[dict[str, Any]], versions: dict[str, int], batches: int
) -> list[list[dict[str, Any]]]:
    """Batches of 500 like a phone back from a week offline: 350 edits of synced records,
    100 deletes and 50 new records, each edit and delete based on the version it last saw."""
    rng = random.Random(5)
    touched = rng.sample(year, 450 * batches)
    fresh = ops(one_year()[: 50 * batches])
    out = []
    for n in range(batches):
        chosen = touched[450 * n : 450 * (n + 1)]
        batch = [
            {
                "op_id": str(uuid.uuid4()),
                "entity": op["entity"],
                "id": op["id"],
                "kind": "upsert" if k < 350 else "delete",
                "base_version": versions[op["id"]],
                "fields": EDITS[op["entity"]] if k < 350 else {},
            }
            for k, op in enumerate(chosen)
        ]
        out.append(batch + fresh[50 * n : 50 * (n + 1)])
    return out


def full_pull(client: TestClient, headers: dict[str, str]) -> tuple[float, int]:
    started, count, cursor = time.perf_counter(), 0, None
    while True:
        params: dict[str, Any] = {"limit": 1000} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/sync/pull", params=params, headers=headers).json()
        count += len(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return time.perf_counter() - started, count


def bench(backend: str) -> None:
    with scratch_database(backend) as url, tempfile.TemporaryDirectory() as data_dir:
        migrations.upgrade(url)
        engine = make_engine(url)
        settings = Settings(
            environment="test",
            database_url=url,
            data_dir=Path(data_dir),
            secret_key="bench-" + uuid.uuid4().hex,
            frontend_dist=Path(data_dir) / "none",
            log_level="WARNING",
        )
        with TestClient(create_app(settings, engine)) as client:
            year = ops(one_year())
            headers = sign_up(client)
            # One year, pushed the way a phone would: batches of 500. Each is a timed push.
            versions: dict[str, int] = {}
            pushes = [
                push(client, headers, year[i : i + 500], versions) for i in range(0, len(year), 500)
            ]
            pulls = [full_pull(client, headers) for _ in range(3)]
            mixed = [push(client, headers, b) for b in mixed_batches(year, versions, 5)]
        engine.dispose()
    full = [p for p, _ in pulls]
    rows = pulls[0][1]
    push_ms = statistics.median(pushes[:-1]) * 1000  # the last batch is smaller
    pull_ms = statistics.median(full) * 1000
    print(
        f"{backend:<10}  push of 500 changes: median {push_ms:6.0f} ms, worst "
        f"{max(pushes[:-1]) * 1000:6.0f} ms (target < {PUSH_TARGET_MS})   "
        f"full pull of {rows} rows: median {pull_ms:6.0f} ms (target < {PULL_TARGET_MS})"
    )
    print(
        f"{'':<10}  push of 500 mixed changes (350 edits, 100 deletes, 50 new): median "
        f"{statistics.median(mixed) * 1000:6.0f} ms, worst {max(mixed) * 1000:6.0f} ms"
    )


def main(argv: list[str]) -> None:
    backends = argv or ["sqlite", "postgresql"]
    for backend in backends:
        try:
            bench(backend)
        except Exception as exc:  # e.g. PostgreSQL does not answer: say so, go on
            if backend == "postgresql" and "connect" in str(exc).lower():
                print(f"{backend:<10}  skipped: {exc.__class__.__name__}: {str(exc)[:80]}")
            else:
                raise


if __name__ == "__main__":
    main(sys.argv[1:])
