"""No health data, password or bearer token ever reaches a log record.

A representative session (sign-up, a failed sign-in, entries with distinctive values, a search,
the day report, sync, every export, a password change, a 503-free error path) runs with every
logger captured at DEBUG, and then both the log records (message, arguments and structured
fields) and what the JSON formatter wrote to stderr are searched for each secret.
"""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from tests.factories import PASSWORD, meal, sign_up, symptom

MEAL_NAME = "Zanzibar sardines"
PAIN_NOTE = "ZQX-secret-note"
SEARCH = "Quokkaberry"
NEW_PASSWORD = "another uncommon secret"


def _record_text(record: logging.LogRecord) -> str:
    parts = [record.getMessage(), repr(record.args), repr(getattr(record, "fields", ""))]
    if record.exc_info and record.exc_info[1] is not None:
        parts.append(repr(record.exc_info[1]))
    return " ".join(parts)


def test_a_whole_session_logs_no_health_data_password_or_token(
    client: TestClient, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.DEBUG):
        person = sign_up(client)
        client.post("/api/v1/sessions", json={"email": person.email, "password": "wrong " * 3})
        created = person.post(
            "/api/v1/meals",
            meal(name=MEAL_NAME, note=PAIN_NOTE, items=[{"food_name": MEAL_NAME, "grams": 93}]),
        )
        assert created.status_code == 201, created.text
        pain = person.post("/api/v1/symptoms", symptom(worst_pain_0_10=7, note=PAIN_NOTE))
        assert pain.status_code == 201, pain.text
        person.patch(f"/api/v1/meals/{created.json()['id']}", {"grams": "not a number"})
        person.get("/api/v1/foods", params={"q": SEARCH})
        person.get("/api/v1/days/2026-11-20")
        assert person.get("/api/v1/sync/pull").status_code == 200
        for export in ("/api/v1/export", "/api/v1/export/csv", "/api/v1/export/fhir"):
            assert person.get(export).status_code == 200
        changed = person.post(
            "/api/v1/password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        )
        assert changed.status_code == 204
    # The test's own HTTP client (httpx) logs the URLs it calls; that is this process's client,
    # not the server, so only the server's records are searched.
    server = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(_record_text(r) for r in server)
    written = capfd.readouterr().err
    assert any(r.name == "fortify.requests" for r in server), "the requests were logged"
    secrets = (MEAL_NAME, "Zanzibar", PAIN_NOTE, SEARCH, PASSWORD, NEW_PASSWORD, person.token)
    for secret in secrets:
        assert secret not in logged, f"{secret!r} reached a log record"
        assert secret not in written, f"{secret!r} reached stderr"
    assert "Bearer " not in logged
