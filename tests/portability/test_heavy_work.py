"""Heavy work per person (portability/gate.py): the imports and the care-team report share the
exports' gate. One job of a person at a time (429 `one_export_at_a_time`), a few per process
(429 `exports_busy`), and the place is free again after a success and after a failure. The
JSON import validates its body in a worker thread, straight into the models, after the gate.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from fortify.accounts.models import AccessToken, AuthSession
from fortify.portability import service
from fortify.reports import service as reports
from tests.factories import Person, meal, sign_up

REPORT = "/api/v1/reports/care-team?format=html&from=2026-01-01&to=2026-12-02"


def document(meals: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "format": "fortify-export",
        "version": 1,
        "exported_at": "2026-11-20T08:00:00+00:00",
        "meals": meals or [],
    }


def meals(count: int) -> list[dict[str, Any]]:
    start = dt.datetime(2020, 1, 1, 8, tzinfo=dt.UTC)
    return [
        {"id": str(uuid.uuid4()), "created_at": (start + dt.timedelta(hours=n)).isoformat()}
        | meal(eaten_at=(start + dt.timedelta(hours=n)).isoformat())
        for n in range(count)
    ]


def post_json(client: TestClient, person: Person, body: bytes) -> Any:
    headers = person.headers | {"Content-Type": "application/json"}
    return client.post("/api/v1/import", content=body, headers=headers)


def assert_refused(response: Any, rule: str) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["errors"][0]["rule"] == rule


@contextmanager
def held(
    monkeypatch: pytest.MonkeyPatch, target: Any, name: str, start: Callable[[], Any]
) -> Iterator[dict[str, Any]]:
    """Run `start` (a request) in a thread whose call of `target.name` waits until the block
    ends, so the request holds its place at the gate meanwhile (real concurrency)."""
    began, finish = threading.Event(), threading.Event()
    real = getattr(target, name)

    def slow(*args: Any, **kwargs: Any) -> Any:
        if not began.is_set():  # only the first call waits: others' requests pass
            began.set()
            assert finish.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, slow)
    outcome: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: outcome.update(response=start()))
    thread.start()
    try:
        assert began.wait(30)
        yield outcome
    finally:
        finish.set()
        thread.join(60)
        monkeypatch.setattr(target, name, real)


class TestOneHeavyJobAtATime:
    def test_a_second_concurrent_import_of_the_same_person_is_refused(
        self, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        person = sign_up(client)
        body = json.dumps(document(meals(3))).encode()
        with held(
            monkeypatch, service, "import_document", lambda: post_json(client, person, body)
        ) as first:
            assert_refused(post_json(client, person, body), "one_export_at_a_time")
            assert_refused(
                person.post(
                    "/api/v1/import/apple-health",
                    files={"file": ("export.zip", b"PK", "application/zip")},
                ),
                "one_export_at_a_time",
            )
            assert_refused(person.get(REPORT), "one_export_at_a_time")
            assert_refused(person.get("/api/v1/export"), "one_export_at_a_time")
            # Another person is not held up by hers.
            assert post_json(client, sign_up(client), body).status_code == 200
        assert first["response"].status_code == 200, first["response"].text
        assert first["response"].json()["imported"]["meals"] == 3
        # Her place is free again: a second import of the same file is answered for what it
        # is (everything in it is there already: nothing written).
        again = post_json(client, person, body)
        assert again.status_code == 200, again.text
        assert (again.json()["imported"]["meals"], again.json()["present"]) == (0, {"meals": 3})

    def test_a_second_concurrent_report_of_the_same_person_is_refused(
        self, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        person = sign_up(client)
        pdf = REPORT.replace("format=html", "format=pdf")
        with held(monkeypatch, reports, "build", lambda: person.get(pdf)) as first:
            assert_refused(person.get(pdf), "one_export_at_a_time")
            assert_refused(person.get(REPORT), "one_export_at_a_time")
            assert_refused(
                post_json(client, person, json.dumps(document()).encode()), "one_export_at_a_time"
            )
            assert sign_up(client).get(REPORT).status_code == 200
        assert first["response"].status_code == 200, first["response"].text
        assert first["response"].headers["content-type"] == "application/pdf"
        assert person.get(REPORT).status_code == 200

    def test_a_busy_process_refuses_a_third_person(
        self, app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert app.state.heavy_work_gate.max_running == 2  # FORTIFY_MAX_RUNNING_EXPORTS
        ann, bob, cy = sign_up(client), sign_up(client), sign_up(client)
        body = json.dumps(document(meals(2))).encode()
        with (
            held(monkeypatch, reports, "build", lambda: ann.get(REPORT)) as first,
            held(monkeypatch, service, "import_document", lambda: post_json(client, bob, body)),
        ):
            assert_refused(post_json(client, cy, body), "exports_busy")
            assert_refused(cy.get(REPORT), "exports_busy")
        assert first["response"].status_code == 200
        # Once they are done, she is served.
        assert post_json(client, cy, body).status_code == 200
        assert cy.get(REPORT).status_code == 200


class TestThePlaceIsReleased:
    def test_after_refused_imports_the_same_person_imports(self, client: TestClient) -> None:
        person = sign_up(client)
        bad_record = document([meal()])  # no id: the schema refuses it
        refused = person.post("/api/v1/import", json=bad_record)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == "meals[0].id"
        not_json = post_json(client, person, b'{"format": ')
        assert not_json.status_code == 422, not_json.text
        wrong_type = client.post(
            "/api/v1/import",
            content=json.dumps(document()).encode(),
            headers=person.headers | {"Content-Type": "text/plain"},
        )
        assert wrong_type.status_code == 422, wrong_type.text
        assert wrong_type.json()["errors"][0] == {
            "field": "body",
            "rule": "json",
            "detail": "The body must be JSON (application/json).",
        }
        twice = meals(1) * 2  # a cross-record rule, checked inside the service
        duplicate = person.post("/api/v1/import", json=document(twice))
        assert duplicate.status_code == 422, duplicate.text
        assert duplicate.json()["errors"][0]["rule"] == "unique"
        # None of those locked her out, nor wrote anything.
        imported = person.post("/api/v1/import", json=document(meals(2)))
        assert imported.status_code == 200, imported.text
        conflict = person.post("/api/v1/import", json=document(meals(2)))
        assert conflict.status_code == 409, conflict.text
        assert person.get(REPORT).status_code == 200

    def test_after_a_failed_report_the_same_person_gets_hers(
        self, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        person = sign_up(client)

        def broken(*_args: Any, **_kwargs: Any) -> Any:
            raise RuntimeError("the report broke")

        monkeypatch.setattr(reports, "build", broken)
        failing = TestClient(client.app, raise_server_exceptions=False)
        failed = failing.get(REPORT, headers=person.headers)
        assert failed.status_code == 500
        monkeypatch.undo()
        assert person.get(REPORT).status_code == 200


class TestImportMemory:
    def test_a_5_mib_import_peaks_well_below_what_it_did(self, client: TestClient) -> None:
        """A 5 MiB document (18,928 meals) peaked at 115.5 MiB when FastAPI parsed it (bytes,
        parsed JSON and models alive at once, then every row of the section built before the
        first insert); read raw, validated straight into the models and written a batch at a
        time, 71 MiB was measured (PostgreSQL: 107.7 before, 63.5 after)."""
        person = sign_up(client)
        body = json.dumps(document(meals(18_928))).encode()
        assert len(body) > 5 * 2**20
        tracemalloc.start()
        try:
            response = post_json(client, person, body)
            _current, peak_bytes = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert response.status_code == 200, response.text[:300]
        assert response.json()["imported"]["meals"] == 18_928
        assert peak_bytes < 96 * 2**20, f"peak {peak_bytes / 2**20:.1f} MiB"


def stale_last_use(app: FastAPI) -> None:
    """Every credential was last used an hour ago: its next request writes its last use."""
    hour_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with app.state.session_factory() as session, session.begin():
        session.execute(update(AuthSession).values(last_used_at=hour_ago))
        session.execute(update(AccessToken).values(last_used_at=hour_ago))


def in_thread(call: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: outcome.update(response=call()))
    thread.start()
    return thread, outcome


class TestABurstOfHeavyJobsHoldsUpNobody:
    """F4 of the outside probe: a burst of exports stalled another person's plain request for
    9-22 s. The first request of a credential in a minute writes its last use; that write was
    held until the export ended, so the same credential's other requests (refused by the gate
    an instant later) queued behind it (PostgreSQL: the row; SQLite: the one writer, then a
    503) and held every in-flight place of the process meanwhile. No timing here: the
    requests must all be answered while her export is still held (bench/heavy_burst.py
    prints the figures)."""

    @pytest.mark.parametrize("credential", ["session", "access token"])
    def test_her_other_requests_are_refused_at_once_and_a_bystander_is_served(
        self,
        app: FastAPI,
        client: TestClient,
        monkeypatch: pytest.MonkeyPatch,
        credential: str,
    ) -> None:
        ann, bystander = sign_up(client), sign_up(client)
        if credential == "access token":
            made = ann.post("/api/v1/tokens", {"name": "script", "scopes": ["read", "write"]})
            assert made.status_code == 201, made.text
            ann = Person(client, ann.email, made.json()["token"], ann.user_id)
        stale_last_use(app)
        with held(
            monkeypatch, service, "export_document", lambda: ann.get("/api/v1/export")
        ) as first:
            # As many of her heavy requests as the process has in-flight places, and another
            # person's day report, all while her export runs.
            places = app.state.settings.max_in_flight
            urls = ["/api/v1/export", "/api/v1/export/csv", REPORT, "/api/v1/export/fhir"]
            burst = [in_thread(functools.partial(ann.get, url)) for url in (urls * places)[:places]]
            plain = in_thread(lambda: bystander.get("/api/v1/days/2026-12-01"))
            for thread, _outcome in [*burst, plain]:
                thread.join(30)  # a request stuck behind her export would still be waiting
            assert "response" not in first  # her export is still held
            for _thread, outcome in burst:
                assert "response" in outcome, "her request waited for her running export"
                assert_refused(outcome["response"], "one_export_at_a_time")
            assert "response" in plain[1], "the bystander waited for her running export"
            assert plain[1]["response"].status_code == 200, plain[1]["response"].text
        assert first["response"].status_code == 200, first["response"].text
