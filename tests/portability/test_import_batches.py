"""The JSON import writes in batches, each committed, and an import cut short is finished by
sending the same file again (issue 13).

A 27 MiB import (200,000 measurements) held SQLite's one writer for 12.9 s in one transaction,
and another person's write meanwhile failed with 503 after 5.8 s.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fortify.entries.models import Measurement
from fortify.portability import sections
from fortify.portability.sections import ImportContext
from tests.factories import Person, sign_up, symptom


def _export(person: Person) -> dict[str, Any]:
    response = person.get("/api/v1/export")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    """The document without what differs between two accounts holding the same records (an
    export names the account its Apple Health ids may be derived from first)."""
    out = {k: v for k, v in document.items() if k not in ("exported_at", "apple_health")}
    out["profile"] = {k: v for k, v in document["profile"].items() if k != "display_name"}
    return out


def _fail_at_batch(monkeypatch: pytest.MonkeyPatch, failing: int) -> None:
    """The import's `failing`th commit raises, as a crash or a restart midway would."""
    real = ImportContext.batch_done
    done = 0

    def batch_done(ctx: ImportContext) -> None:
        nonlocal done
        done += 1
        if done == failing:
            raise RuntimeError("the server went away")
        real(ctx)

    monkeypatch.setattr(ImportContext, "batch_done", batch_done)


class TestResumedImport:
    def test_an_import_cut_short_and_sent_again_gives_exactly_the_files_records(
        self, app: FastAPI, demo: Person, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        document = _export(demo)
        # The same server: the copy's custom foods get new ids, which the rerun must find again.
        food = demo.post(
            "/api/v1/foods/custom",
            json={"name": "Grandma's kefir", "nutrients_per_100g": {"calcium_mg": 130}},
        ).json()["id"]
        eaten = {
            "eaten_at": "2026-11-20T08:00:00+00:00",
            "name": "Kefir",
            "items": [{"food_id": food, "food_name": "Kefir", "grams": 200}],
        }
        assert demo.post("/api/v1/meals", json=eaten).status_code == 201
        document = _export(demo)
        total = sum(len(v) for v in document.values() if isinstance(v, list))
        monkeypatch.setattr(sections, "BATCH", 100)
        monkeypatch.setattr(sections, "WRITER_PAUSE_SECONDS", 0.0)
        _fail_at_batch(monkeypatch, 5)
        with TestClient(app, raise_server_exceptions=False) as client:
            copy = sign_up(client)
            assert copy.post("/api/v1/import", json=document).status_code == 500
            partial = _export(copy)
            written = sum(len(v) for v in partial.values() if isinstance(v, list))
            assert 0 < written < total  # the batches before the failure stayed
            monkeypatch.undo()
            monkeypatch.setattr(sections, "WRITER_PAUSE_SECONDS", 0.0)
            again = copy.post("/api/v1/import", json=document)
            assert again.status_code == 200, again.text
            result = again.json()
            # The profile (not a list of records) was written first by the run cut short.
            assert result["present"]["profile"] == 1
            assert sum(result["present"].values()) == written + 1
            assert sum(result["imported"].values()) == total - written
            assert result["skipped"] == {}
            restored = _export(copy)
            # A third run finds everything and writes nothing.
            third = copy.post("/api/v1/import", json=document).json()
        assert sum(third["imported"].values()) == 0
        assert sum(third["present"].values()) == total + 1
        (new_food,) = restored["custom_foods"]
        assert new_food["id"] != food  # ids of foods are global: a taken one is replaced
        kefir = next(m for m in restored["meals"] if m["name"] == "Kefir")
        assert kefir["items"][0]["food_id"] == new_food["id"]
        # Exactly the file's records: the same ids, the same content, none twice.
        for meal in document["meals"]:
            for item in meal["items"]:
                if item.get("food_id") == food:
                    item["food_id"] = new_food["id"]
        document["custom_foods"][0]["id"] = new_food["id"]
        for favourite in document["favourites"]:
            if favourite["food_id"] == food:
                favourite["food_id"] = new_food["id"]
        assert _comparable(restored) == _comparable(document)

    def test_a_rerun_keeps_a_profile_she_changed_since(
        self, client: TestClient, demo: Person
    ) -> None:
        """An older file sent again must not undo her profile (an outside probe saw the care
        team's calcium target and her time zone put back, and "profile: 1 imported")."""
        document = _export(demo)
        copy = sign_up(client)
        assert copy.post("/api/v1/import", json=document).status_code == 200
        changed = copy.patch("/api/v1/profile", json={"time_zone": "Pacific/Auckland"})
        assert changed.status_code == 200, changed.text
        again = copy.post("/api/v1/import", json=document)
        assert again.status_code == 200, again.text
        assert again.json()["skipped"] == {"profile": 1}
        assert again.json()["imported"]["profile"] == 0
        assert copy.get("/api/v1/profile").json()["time_zone"] == "Pacific/Auckland"

    def test_an_account_holding_a_record_the_file_does_not_is_409(
        self, client: TestClient, demo: Person
    ) -> None:
        document = _export(demo)
        copy = sign_up(client)
        assert copy.post("/api/v1/symptoms", symptom()).status_code == 201
        response = copy.post("/api/v1/import", json=document)
        assert response.status_code == 409, response.text
        assert response.json()["errors"][0] | {"detail": ""} == {
            "field": "account",
            "rule": "empty",
            "detail": "",
        }

    def test_a_record_of_the_file_changed_since_is_409_naming_it(
        self, client: TestClient, demo: Person
    ) -> None:
        document = _export(demo)
        copy = sign_up(client)
        assert copy.post("/api/v1/import", json=document).status_code == 200
        changed = document["symptoms"][0]
        changed["worst_pain_0_10"] = (changed.get("worst_pain_0_10") or 0) % 10 + 1
        response = copy.post("/api/v1/import", json=document)
        assert response.status_code == 409, response.text
        [error] = response.json()["errors"]
        assert (error["field"], error["rule"]) == ("symptoms[0]", "stored_differs")


def _measurements(count: int) -> dict[str, Any]:
    return {
        "format": "fortify-export",
        "version": 1,
        "exported_at": "2026-11-21T00:00:00+00:00",
        "profile": {},
        "measurements": [
            {
                "id": str(uuid.uuid4()),
                "measured_at": f"2026-{1 + n // 600 % 12:02d}-{1 + n // 24 % 25:02d}T"
                f"{n % 24:02d}:{n % 60:02d}:00+00:00",
                "weight_kg": 60 + n % 9,
            }
            for n in range(count)
        ],
    }


class TestOtherWritersInterleave:
    def test_another_persons_write_during_a_long_import_succeeds(
        self, app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each batch made slow (as a large import on a slow disk is), inside its transaction:
        in one transaction the import held SQLite's writer 12 times 0.6 s, past the 5 s that
        another writer waits before its 503."""
        monkeypatch.setattr(sections, "BATCH", 10)
        real_insert = sections.insert  # type: ignore[attr-defined]
        started = threading.Event()
        commits = 0

        def slow_insert(table: Any) -> Any:
            # Made after the batch's change numbers were taken: its transaction holds the writer.
            started.set()
            time.sleep(0.6)
            return real_insert(table)

        real_done = getattr(ImportContext, "batch_done", None)

        def counted(ctx: ImportContext) -> None:
            nonlocal commits
            commits += 1
            assert real_done is not None
            real_done(ctx)

        monkeypatch.setattr(sections, "insert", slow_insert)
        # raising=False: so that the test runs on the code before batches too (and fails on
        # the other write's 503); `commits` below says that the hook was used.
        monkeypatch.setattr(ImportContext, "batch_done", counted, raising=False)
        importer, other = sign_up(client), sign_up(client)
        document = _measurements(120)
        outcome: dict[str, Any] = {}
        thread = threading.Thread(
            target=lambda: outcome.update(
                response=importer.client.post(
                    "/api/v1/import", json=document, headers=importer.headers
                )
            )
        )
        thread.start()
        try:
            assert started.wait(30)
            began = time.monotonic()
            written = other.post("/api/v1/symptoms", symptom())
            waited_seconds = time.monotonic() - began
        finally:
            thread.join(120)
        assert written.status_code == 201, written.text
        assert waited_seconds < 4.0
        assert outcome["response"].status_code == 200, outcome["response"].text
        assert outcome["response"].json()["imported"]["measurements"] == 120
        assert commits >= 12
        with app.state.session_factory() as session:
            mine = Measurement.user_id == uuid.UUID(importer.user_id)
            assert session.scalar(select(func.count()).where(mine)) == 120


# A write of hers between two batches: tests/portability/test_import_lock.py (her writes wait
# for the import; one that lands after the lock expired is a 409 that says what was kept).
