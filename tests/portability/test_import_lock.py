"""While her JSON import runs, her other writes wait (503 with Retry-After) and land after it;
her reads and other people go on (issue 13, accounts/importlock.py).

Before the lock, a record of the file written by her other device between two batches made
the import a 409 `changed_during_import`, and every later try a 409 `stored_differs`: the file
could no longer be imported at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fortify.accounts import importlock
from fortify.accounts.models import User
from fortify.core.clock import utcnow
from fortify.entries.models import Measurement
from fortify.portability import sections
from fortify.portability import service as portability
from fortify.portability.sections import ImportContext
from tests.factories import PASSWORD, Person, sign_up, symptom
from tests.sync.helpers import upsert

MEASUREMENTS = 60


def _measurements(count: int) -> dict[str, Any]:
    return {
        "format": "fortify-export",
        "version": 1,
        "exported_at": "2026-11-21T00:00:00+00:00",
        "profile": {"display_name": "Imported"},
        "measurements": [
            {
                "id": str(uuid.uuid4()),
                "measured_at": f"2026-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}T08:00:00+00:00",
                "weight_kg": 60 + n % 9,
            }
            for n in range(count)
        ],
    }


def _assert_waits(response: Any) -> None:
    """A 503 that says an import is running, as problem+json with Retry-After in seconds."""
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(response.headers["retry-after"]) <= importlock.RETRY_AFTER_SECONDS
    body = response.json()
    assert body["type"].endswith("/import_running")
    assert body["title"] == "An import is running"
    assert "import" in body["detail"]
    assert [(e["field"], e["rule"]) for e in body["errors"]] == [("account", "import_running")]


class Paused:
    """An import held after its first batch of measurements, in a thread of its own, until the
    test lets it go on (so that the test's requests meet it mid-way)."""

    def __init__(self, app: FastAPI, importer: Person, document: dict[str, Any]) -> None:
        self.app, self.importer, self.document = app, importer, document
        self.paused, self.resume = threading.Event(), threading.Event()
        self.outcome: dict[str, Any] = {}
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        self.outcome["response"] = self.importer.client.post(
            "/api/v1/import", json=self.document, headers=self.importer.headers
        )

    def batch_done(self, real: Any) -> Any:
        def hook(ctx: ImportContext) -> None:
            real(ctx)
            if not self.paused.is_set() and _count(self.app, self.importer) > 0:
                self.paused.set()
                assert self.resume.wait(60)

        return hook

    def finish(self) -> Any:
        self.resume.set()
        self.thread.join(120)
        assert not self.thread.is_alive()
        return self.outcome["response"]


@pytest.fixture
def paused(app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> Iterator[Paused]:
    monkeypatch.setattr(sections, "BATCH", 10)
    monkeypatch.setattr(sections, "WRITER_PAUSE_SECONDS", 0.0)
    run = Paused(app, sign_up(client), _measurements(MEASUREMENTS))
    monkeypatch.setattr(ImportContext, "batch_done", run.batch_done(ImportContext.batch_done))
    run.thread.start()
    assert run.paused.wait(60)
    try:
        yield run
    finally:
        run.resume.set()
        run.thread.join(120)


def _written_and_not(run: Paused) -> tuple[dict[str, Any], dict[str, Any]]:
    """A record of the file the import has written already, and one it has not (yet)."""
    pulled = run.importer.get("/api/v1/sync/pull", params={"limit": 500})
    assert pulled.status_code == 200, pulled.text  # her reads go on
    written = {c["id"] for c in pulled.json()["changes"] if c["entity"] == "measurements"}
    assert 10 <= len(written) < MEASUREMENTS
    records = run.document["measurements"]
    return (
        next(r for r in records if r["id"] in written),
        next(r for r in records if r["id"] not in written),
    )


def _count(app: FastAPI, person: Person) -> int:
    with app.state.session_factory() as session:
        mine = Measurement.user_id == uuid.UUID(person.user_id)
        return int(session.scalar(select(func.count()).where(mine)) or 0)


def _set_lock(app: FastAPI, person: Person, until: dt.datetime | None) -> None:
    with app.state.session_factory() as session:
        session.execute(
            update(User)
            .where(User.id == uuid.UUID(person.user_id))
            .values(import_running_until=until)
        )
        session.commit()


class TestWritesWaitForTheImport:
    def test_her_writes_get_503_meanwhile_and_land_after_it_with_the_whole_file(
        self, app: FastAPI, client: TestClient, paused: Paused
    ) -> None:
        her = paused.importer
        first, last = _written_and_not(paused)
        # Her other device syncs: a record of the file (not yet written), and a new one.
        changed = {"measured_at": last["measured_at"], "weight_kg": 70}
        ops = [upsert("measurements", changed, last["id"]), upsert("symptoms", symptom())]
        pushed = her.post("/api/v1/sync/push", {"device_id": "phone", "operations": ops})
        _assert_waits(pushed)
        # Every REST write: create, replace a record the import wrote, delete, the profile.
        _assert_waits(her.post("/api/v1/symptoms", symptom()))
        replaced = {"measured_at": first["measured_at"], "weight_kg": 99}
        _assert_waits(her.put(f"/api/v1/measurements/{first['id']}", replaced))
        _assert_waits(her.delete(f"/api/v1/measurements/{first['id']}"))
        _assert_waits(her.patch("/api/v1/profile", {"display_name": "Changed"}))
        # A second import of hers while this one runs.
        _assert_waits(her.post("/api/v1/import", json=_measurements(3)))
        # Her reads go on: the first batch is there.
        read = her.get(f"/api/v1/measurements/{first['id']}")
        assert read.status_code == 200, read.text
        assert read.json()["weight_kg"] == first["weight_kg"]
        assert her.get("/api/v1/profile").status_code == 200
        # Other people are not held up.
        other = sign_up(client)
        assert other.post("/api/v1/symptoms", symptom()).status_code == 201
        assert other.patch("/api/v1/profile", {"display_name": "Other"}).status_code == 200

        response = paused.finish()
        assert response.status_code == 200, response.text
        assert response.json()["imported"]["measurements"] == MEASUREMENTS
        assert _count(app, her) == MEASUREMENTS  # every record of the file, none lost

        # Her device sends its outbox again: now it lands.
        again = her.post("/api/v1/sync/push", {"device_id": "phone", "operations": ops})
        assert again.status_code == 200, again.text
        assert [r["status"] for r in again.json()["results"]] == ["applied", "applied"]
        assert her.post("/api/v1/symptoms", symptom()).status_code == 201
        assert her.patch("/api/v1/profile", {"display_name": "Changed"}).status_code == 200
        # The file imports again (nothing changed in it): its records are found as written.
        stored = her.get(f"/api/v1/measurements/{last['id']}").json()
        assert stored["weight_kg"] == 70

    def test_writes_that_touch_no_record_go_on(self, paused: Paused) -> None:
        her = paused.importer
        made = her.post("/api/v1/tokens", {"name": "shortcut", "scopes": ["write"]})
        assert made.status_code == 201, made.text
        assert her.delete(f"/api/v1/tokens/{made.json()['id']}").status_code == 204
        assert paused.finish().status_code == 200


class TestTheLockEnds:
    def test_a_lock_left_by_a_dead_import_expires_by_itself(
        self, app: FastAPI, client: TestClient
    ) -> None:
        her = sign_up(client)
        _set_lock(app, her, utcnow() + dt.timedelta(seconds=importlock.LOCK_SECONDS))
        _assert_waits(her.post("/api/v1/symptoms", symptom()))
        _set_lock(app, her, utcnow() - dt.timedelta(seconds=1))  # its time has passed
        assert her.post("/api/v1/import", json=_measurements(5)).status_code == 200
        assert her.post("/api/v1/symptoms", symptom()).status_code == 201

    def test_a_failed_import_lets_go_at_once(
        self, app: FastAPI, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(sections, "BATCH", 10)
        monkeypatch.setattr(sections, "WRITER_PAUSE_SECONDS", 0.0)
        real = ImportContext.batch_done
        done = 0

        def crash(ctx: ImportContext) -> None:
            nonlocal done
            real(ctx)
            done += 1
            if done == 2:
                raise RuntimeError("the server went away")

        monkeypatch.setattr(ImportContext, "batch_done", crash)
        with TestClient(app, raise_server_exceptions=False) as client:
            her = sign_up(client)
            assert her.post("/api/v1/import", json=_measurements(40)).status_code == 500
            assert her.post("/api/v1/symptoms", symptom()).status_code == 201
        with app.state.session_factory() as session:
            until = session.scalar(
                select(User.import_running_until).where(User.id == uuid.UUID(her.user_id))
            )
        assert until is None

    def test_a_finished_import_leaves_no_lock(self, app: FastAPI, client: TestClient) -> None:
        her = sign_up(client)
        assert her.post("/api/v1/import", json=_measurements(5)).status_code == 200
        with app.state.session_factory() as session:
            until = session.scalar(
                select(User.import_running_until).where(User.id == uuid.UUID(her.user_id))
            )
        assert until is None
        assert her.post("/api/v1/symptoms", symptom()).status_code == 201


class TestAWriteAfterTheLockExpired:
    """The lock expires if the import makes no progress for `LOCK_SECONDS` (its process died,
    or it stalled): a write of hers may then land between two batches. The import says so, a
    409 naming what was kept, never a 5xx."""

    def test_is_met_by_a_409_that_says_what_was_kept(self, app: FastAPI, paused: Paused) -> None:
        her = paused.importer
        _first, later = _written_and_not(paused)
        _set_lock(app, her, utcnow() - dt.timedelta(seconds=1))
        fields = {"measured_at": later["measured_at"], "weight_kg": later["weight_kg"] + 1}
        ops = [upsert("measurements", fields, later["id"])]
        written = her.post("/api/v1/sync/push", {"device_id": "phone", "operations": ops})
        assert written.status_code == 200, written.text
        assert written.json()["results"][0]["status"] == "applied"
        response = paused.finish()
        assert response.status_code == 409, response.text
        [error] = response.json()["errors"]
        assert (error["field"], error["rule"]) == ("account", "changed_during_import")
        assert "kept" in error["detail"]
        # The first batch and her record; nothing twice.
        assert 10 < _count(app, her) < MEASUREMENTS
        # And the lock is gone: her writes are answered.
        assert her.post("/api/v1/symptoms", symptom()).status_code == 201


class TestHerAccountDeletedMidImport:
    """Her other device deletes the account between two batches: the import answers the 401
    `account_deleted` every other request of hers racing the deletion gets (it was a 410 of its
    own), and leaves no row of hers."""

    def test_is_the_401_account_deleted(self, app: FastAPI, engine: Engine, paused: Paused) -> None:
        her = paused.importer
        with Session(engine) as other:
            user = other.get(User, uuid.UUID(her.user_id))
            assert user is not None
            portability.delete_account(other, user, PASSWORD)
            other.commit()

        response = paused.finish()

        assert response.status_code == 401, response.text
        assert response.headers["content-type"] == "application/problem+json"
        [error] = response.json()["errors"]
        assert (error["field"], error["rule"]) == ("authorization", "account_deleted")
        assert _count(app, her) == 0

    def test_a_batch_the_database_refuses_because_she_went_is_the_401_too(
        self, app: FastAPI, client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The write refused by the database's own keys (her row gone under a batch, as on
        PostgreSQL when the deletion commits between a batch's statements): it was a 410."""
        her = sign_up(client)

        def deleted_then_refused(ctx: ImportContext) -> int:
            with Session(engine) as other:
                user = other.get(User, uuid.UUID(her.user_id))
                assert user is not None
                portability.delete_account(other, user, PASSWORD)
                other.commit()
            raise IntegrityError("INSERT INTO measurements", {}, Exception("foreign key"))

        sections_ = tuple(
            dataclasses.replace(s, write=deleted_then_refused) if s.name == "measurements" else s
            for s in sections.SECTIONS
        )
        monkeypatch.setattr(portability, "SECTIONS", sections_)

        response = her.post("/api/v1/import", json=_measurements(5))

        assert response.status_code == 401, response.text
        [error] = response.json()["errors"]
        assert (error["field"], error["rule"]) == ("authorization", "account_deleted")
