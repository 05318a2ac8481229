"""The CSV zip is streamed with bounded memory, and holds the heavy-work gate while it streams
(an outside probe, F10: a very large account's export took 58 s and 550 MB, built whole in
memory). The figures (seconds, peak memory) are bench/export.py's; here only the bound.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import tracemalloc
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fortify.accounts.models import User
from fortify.core.db import session_scope
from fortify.demo.generator import large_account
from fortify.demo.service import bulk_write
from fortify.portability import csv_export
from tests.factories import Person, sign_up
from tests.portability.test_heavy_work import assert_refused

CSV = "/api/v1/export/csv"
MEALS, ITEMS, CHECK_INS = 600, 30, 1200


def large(app: FastAPI, client: TestClient) -> Person:
    """A person with 600 meals of 30 items (18,000 rows of meals.csv) and 1,200 check-ins."""
    person = sign_up(client)
    entries = large_account(
        meals=MEALS, items_per_meal=ITEMS, check_ins=CHECK_INS, first_day=dt.date(2025, 1, 1)
    )
    for session in session_scope(app.state.session_factory):
        user = session.get(User, uuid.UUID(person.user_id))
        assert user is not None
        bulk_write(session, user, entries)
    return person


class TestALargeAccountStreams:
    def test_its_peak_memory_is_bounded_whatever_the_account_holds(
        self, app: FastAPI, client: TestClient
    ) -> None:
        """Built whole (a file's rows and CSV text, and the zip, at once; 500 meals and a year
        of day reports a batch), this account's export peaked at 37 MiB (SQLite; PostgreSQL
        34.5) and grew with every meal; streamed (50 meals and 61 days a batch, 64 KiB of text
        a chunk), 15 MiB (14.4), the zip the test client keeps included."""
        person = large(app, client)
        tracemalloc.start()
        try:
            response = person.get(CSV)
            _current, peak_bytes = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert response.status_code == 200, response.text[:300]
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        meals = archive.read("meals.csv").decode("utf-8-sig").split("\r\n")
        assert len(meals) == 1 + MEALS * ITEMS + 1  # the header, a row per item, the last CRLF
        symptoms = archive.read("symptoms.csv").decode("utf-8-sig").split("\r\n")
        assert len(symptoms) == 1 + CHECK_INS + 1
        assert peak_bytes < 20 * 2**20, f"peak {peak_bytes / 2**20:.1f} MiB"


class TestPieces:
    def test_joined_pieces_are_the_csv_a_spreadsheet_opens(self) -> None:
        rows: list[list[Any]] = [["a", "b"], *([n, "=x"] for n in range(20_000))]
        pieces = list(csv_export.csv_pieces(rows))
        assert len(pieces) > 2  # more than one chunk
        text = b"".join(pieces)
        assert text.startswith(b"\xef\xbb\xbfa,b\r\n0,'=x\r\n")
        assert text.count(b"\xef\xbb\xbf") == 1
        assert text.endswith(b"19999,'=x\r\n")


class TestTheGateHoldsWhileItStreams:
    def test_a_second_export_of_hers_meanwhile_is_refused(
        self, app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Her first export is paused mid-stream (its answer begun, meals.csv sent, labs.csv
        next): her place is still held."""
        person = sign_up(client)
        began, finish = threading.Event(), threading.Event()
        real = csv_export.ENTRY_FILES["labs.csv"]

        def paused_labs(*args: Any) -> Iterator[Sequence[Any]]:
            if not began.is_set():  # only her first export waits
                began.set()
                assert finish.wait(30)
            yield from real(*args)

        monkeypatch.setattr(
            csv_export, "ENTRY_FILES", csv_export.ENTRY_FILES | {"labs.csv": paused_labs}
        )
        outcome: dict[str, Any] = {}
        first = threading.Thread(target=lambda: outcome.update(response=person.get(CSV)))
        first.start()
        try:
            assert began.wait(30)
            assert_refused(person.get(CSV), "one_export_at_a_time")
            assert_refused(person.get("/api/v1/export/fhir"), "one_export_at_a_time")
            assert sign_up(client).get(CSV).status_code == 200  # another person goes on
        finally:
            finish.set()
            first.join(60)
        assert outcome["response"].status_code == 200, outcome["response"].text
        assert "labs.csv" in zipfile.ZipFile(io.BytesIO(outcome["response"].content)).namelist()
        assert app.state.heavy_work_gate._running == {}
        assert person.get(CSV).status_code == 200  # her place is free again

    def test_an_error_mid_stream_releases_her_place(
        self, app: FastAPI, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(*_args: Any) -> Iterator[list[Any]]:
            yield ["lab_id"]
            raise RuntimeError("the database went away mid-stream")

        files = csv_export.ENTRY_FILES | {"labs.csv": broken}
        monkeypatch.setattr(csv_export, "ENTRY_FILES", files)
        with TestClient(app, raise_server_exceptions=False) as client:
            person = sign_up(client)
            cut = person.get(CSV)  # the answer had begun: it is cut short, not a whole zip
            with pytest.raises(zipfile.BadZipFile):
                zipfile.ZipFile(io.BytesIO(cut.content))
            assert app.state.heavy_work_gate._running == {}
            monkeypatch.undo()
            assert person.get(CSV).status_code == 200

    def test_an_error_before_the_first_byte_is_an_answer_and_releases_her_place(
        self, app: FastAPI, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(*_args: Any) -> Iterator[bytes]:
            raise RuntimeError("the database went away")
            yield b""

        monkeypatch.setattr(csv_export, "zip_chunks", broken)
        with TestClient(app, raise_server_exceptions=False) as client:
            person = sign_up(client)
            response = person.get(CSV)
            assert response.status_code == 500
            assert response.headers["content-type"] == "application/problem+json"
            assert app.state.heavy_work_gate._running == {}
