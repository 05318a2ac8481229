"""Imports and exports a large account cannot turn into an outage (issue 13, follow-ups).

- an Apple Health import brings at most `apple_health_max_records` records (413 naming the
  limit, nothing written);
- it commits in batches, so another person's write during a long import on SQLite succeeds,
  and a rerun after a failure midway neither duplicates nor loses an entry;
- one export at a time per person (429 with Retry-After), a few per process;
- the FHIR Bundle streams: its memory does not grow with the account.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
import tracemalloc
import uuid
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from sqlalchemy import func, select

from fortify.accounts.models import User
from fortify.entries.models import Measurement
from fortify.portability import apple_health, fhir
from fortify.portability.gate import HeavyWorkGate
from tests.factories import Person, meal, sign_up

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_GB">\n'


def weights_zip(count: int, start: dt.datetime | None = None) -> bytes:
    """An export of `count` body-mass records, one an hour (as a smart scale syncing often)."""
    start = start or dt.datetime(2025, 1, 1, 7, tzinfo=dt.UTC)
    records = []
    for n in range(count):
        at = (start + dt.timedelta(hours=n)).strftime("%Y-%m-%d %H:%M:%S +0000")
        records.append(
            f'<Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Scale" unit="kg" '
            f'startDate="{at}" endDate="{at}" value="{60 + n % 7}"/>'
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "apple_health_export/export.xml", HEAD + "\n".join(records) + "</HealthData>"
        )
    return buffer.getvalue()


def upload(person: Person, body: bytes) -> Any:
    return person.post(
        "/api/v1/import/apple-health", files={"file": ("export.zip", body, "application/zip")}
    )


def weights(app: FastAPI, person: Person) -> tuple[int, int]:
    """(rows, distinct ids) of the person's weights."""
    with app.state.session_factory() as session:
        mine = Measurement.user_id == uuid.UUID(person.user_id)
        rows = session.scalar(select(func.count()).where(mine))
        ids = session.scalar(select(func.count(func.distinct(Measurement.id))).where(mine))
    return int(rows or 0), int(ids or 0)


class TestImportRecordLimit:
    def test_an_export_over_the_record_limit_is_a_413_naming_it_and_nothing_is_written(
        self, app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(app.state.settings, "apple_health_max_records", 50)
        person = sign_up(client)
        response = upload(person, weights_zip(51))
        assert response.status_code == 413, response.text
        assert response.headers["content-type"] == "application/problem+json"
        [error] = response.json()["errors"]
        assert (error["field"], error["rule"]) == ("file", "max_records")
        assert "50" in error["detail"]
        assert weights(app, person) == (0, 0)
        assert upload(person, weights_zip(50)).status_code == 200


def weights_with_repeats_zip(count: int, repeats: int) -> bytes:
    """`count` body-mass records, the last `repeats` of which share start, end (and source)
    with an earlier one but weigh 1 kg more: the same record listed again with another value."""
    start = dt.datetime(2025, 1, 1, 7, tzinfo=dt.UTC)
    distinct = count - repeats
    records = []
    for n in range(count):
        at = (start + dt.timedelta(hours=n % distinct)).strftime("%Y-%m-%d %H:%M:%S +0000")
        value = 60 + n % 7 + (1 if n >= distinct else 0)
        records.append(
            f'<Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Scale" unit="kg" '
            f'creationDate="{at}" startDate="{at}" endDate="{at}" value="{value}"/>'
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "apple_health_export/export.xml", HEAD + "\n".join(records) + "</HealthData>"
        )
    return buffer.getvalue()


class TestEveryRecordCounted:
    """20,001 weights of which 300 repeated another's times answered 19,701 measurements and
    nothing skipped: 300 records vanished unreported, and the 20,000 limit was not reached."""

    def test_a_repeated_record_is_counted_as_a_duplicate_and_the_last_listing_kept(
        self, app: FastAPI, client: TestClient
    ) -> None:
        person = sign_up(client)
        response = upload(person, weights_with_repeats_zip(40, 6))
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["skipped"] == {"duplicate": 6}
        assert result["measurements"] + sum(result["skipped"].values()) == 40
        assert weights(app, person) == (34, 34)
        stored = {
            m["measured_at"]: m["weight_kg"]
            for m in person.get("/api/v1/measurements", params={"limit": 200}).json()["items"]
        }
        first = dt.datetime(2025, 1, 1, 7, tzinfo=dt.UTC)
        for n in range(34, 40):  # the repeats: each weighs what its last listing says
            at = first + dt.timedelta(hours=n % 34)
            [value] = [v for k, v in stored.items() if dt.datetime.fromisoformat(k) == at]
            assert value == 60 + n % 7 + 1

    def test_the_record_limit_counts_records_as_the_file_lists_them(
        self, app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(app.state.settings, "apple_health_max_records", 50)
        person = sign_up(client)
        response = upload(person, weights_with_repeats_zip(51, 5))
        assert response.status_code == 413, response.text
        assert response.json()["errors"][0]["rule"] == "max_records"
        assert weights(app, person) == (0, 0)


class TestImportInBatches:
    def test_a_rerun_after_a_failure_midway_neither_duplicates_nor_loses_an_entry(
        self, app: FastAPI, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(apple_health, "BATCH", 20)
        real_insert = apple_health._insert
        calls = 0

        def failing_third_batch(*args: Any) -> None:
            nonlocal calls
            calls += 1
            if calls == 3:
                raise RuntimeError("the server went away")
            real_insert(*args)

        monkeypatch.setattr(apple_health, "_insert", failing_third_batch)
        body = weights_zip(100)
        with TestClient(app, raise_server_exceptions=False) as client:
            person = sign_up(client)
            assert upload(person, body).status_code == 500
            assert weights(app, person) == (40, 40)  # the two batches before the failure
            second = upload(person, body)
        assert second.status_code == 200, second.text
        assert (second.json()["measurements"], second.json()["unchanged"]) == (60, 40)
        assert weights(app, person) == (100, 100)
        assert person.get("/api/v1/sync/pull").status_code == 200

    def test_another_persons_write_during_a_long_import_succeeds(
        self, app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each batch made slow (as a large import on a slow disk is): before, the import held
        SQLite's writer throughout and the other write failed with 503 after 5 s."""
        monkeypatch.setattr(apple_health, "BATCH", 10)
        real_write = apple_health._write
        started = threading.Event()

        def slow_write(*args: Any) -> None:
            real_write(*args)
            started.set()
            time.sleep(0.6)  # inside the batch's transaction, holding the writer

        monkeypatch.setattr(apple_health, "_write", slow_write)
        importer, other = sign_up(client), sign_up(client)
        outcome: dict[str, Any] = {}
        thread = threading.Thread(
            target=lambda: outcome.update(response=upload(importer, weights_zip(120)))
        )
        thread.start()
        try:
            assert started.wait(30)
            began = time.monotonic()
            written = other.post("/api/v1/meals", meal())
            waited_seconds = time.monotonic() - began
        finally:
            thread.join(60)
        assert written.status_code == 201, written.text
        assert waited_seconds < 4.0
        assert outcome["response"].status_code == 200
        assert weights(app, importer) == (120, 120)


class TestOneExportAtATime:
    def test_a_second_concurrent_export_of_the_same_person_is_refused(
        self, app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        person = sign_up(client)
        first_began, finish = threading.Event(), threading.Event()
        real_chunks = fhir.bundle_chunks

        def slow_chunks(*args: Any, **kwargs: Any) -> Iterator[bytes]:
            first_began.set()
            assert finish.wait(30)
            yield from real_chunks(*args, **kwargs)

        monkeypatch.setattr(fhir, "bundle_chunks", slow_chunks)
        outcome: dict[str, Any] = {}
        thread = threading.Thread(
            target=lambda: outcome.update(response=person.get("/api/v1/export/fhir"))
        )
        thread.start()
        try:
            assert first_began.wait(30)
            for path in ("/api/v1/export/fhir", "/api/v1/export", "/api/v1/export/csv"):
                refused = person.get(path)
                assert refused.status_code == 429, (path, refused.text)
                assert refused.headers["content-type"] == "application/problem+json"
                assert int(refused.headers["retry-after"]) > 0
                assert refused.json()["errors"][0]["rule"] == "one_export_at_a_time"
                assert "Try again in 30 seconds." in refused.json()["detail"]
            # Another person is not held up by hers.
            assert sign_up(client).get("/api/v1/export").status_code == 200
        finally:
            finish.set()
            thread.join(60)
        assert outcome["response"].status_code == 200
        assert outcome["response"].json()["resourceType"] == "Bundle"
        # Her place is free again once the first one has been sent.
        assert person.get("/api/v1/export/fhir").status_code == 200

    def test_the_process_prepares_a_few_exports_at_once_and_a_stale_place_is_taken_back(
        self,
    ) -> None:
        now = [0.0]
        gate = HeavyWorkGate(max_running=2, lease_seconds=600, clock=lambda: now[0])
        ann, bob, cy = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        gate.enter(ann)
        gate.enter(bob)
        with pytest.raises(Exception) as refused:
            gate.enter(cy)
        assert refused.value.errors()[0]["rule"] == "exports_busy"  # type: ignore[attr-defined]
        gate.leave(bob)
        gate.enter(cy)
        now[0] = 601.0  # ann's export never said it ended (a stream nobody closed)
        gate.enter(ann)
        gate.enter(bob)


class TestStreamedFhirExport:
    def test_a_large_export_streams_in_bounded_memory(
        self, app: FastAPI, client: TestClient
    ) -> None:
        """The Bundle of 3,000 weights was built whole (rows, dicts and one validated Bundle
        model of all of them: a 49 MB peak, 161 MB for 10,000); streamed, what it holds at once
        is a batch of rows and one piece, whatever the account holds (6 MB measured)."""
        person = sign_up(client)
        # Within the last year, so that a year of daily scores is in the Bundle too.
        start = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
        assert (
            upload(person, weights_zip(3000, start - dt.timedelta(hours=3000))).status_code == 200
        )
        with app.state.session_factory() as session:
            user = session.get(User, uuid.UUID(person.user_id))
            assert user is not None
            tracemalloc.start()
            try:
                entries = 0
                sent_bytes = 0
                for chunk in fhir.bundle_chunks(session, user):
                    entries += chunk.count(b'"fullUrl"')
                    sent_bytes += len(chunk)
                _current, peak_bytes = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
        assert entries > 3000  # the patient, the weights and the days' scores
        assert sent_bytes > 2_000_000
        assert peak_bytes < 12 * 1024 * 1024, f"peak {peak_bytes / 2**20:.1f} MB"

    def test_each_shape_of_resource_is_validated_once_not_every_resource(
        self, app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Validating and dumping every entry with the FHIR models was 2.1 of the 2.1 ms each
        weight cost (two accounts of 200,000 records held both heavy-work places for 260 s)."""
        person = sign_up(client)
        assert upload(person, weights_zip(500)).status_code == 200
        validated: list[str] = []
        real = BundleEntry.model_validate

        def counted(entry: Any) -> Any:
            validated.append(entry["resource"]["resourceType"])
            return real(entry)

        monkeypatch.setattr(BundleEntry, "model_validate", counted)
        response = person.get("/api/v1/export/fhir")
        assert response.status_code == 200
        bundle = response.json()
        assert len(bundle["entry"]) > 500
        assert 2 <= len(validated) <= 5, validated  # the patient, a weight, a day's score…
        Bundle.model_validate(bundle)  # and the whole Bundle is valid all the same
