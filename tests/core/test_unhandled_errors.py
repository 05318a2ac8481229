"""The last line of defence: an exception no handler took is a safe problem+json 500.

A 500 is always a bug, but when one happens the answer still carries the security headers and
the request id (it was `text/plain` with neither, and the connection was reset), and neither
the answer nor the log line repeats the request's values or the statement's parameters.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from fortify.entries import resource
from tests.factories import meal, sign_up

NOTE = "after chemo: nausea"
BROKEN_SQL = "SELECT no_such_column FROM users WHERE email = :note"


def test_a_database_error_never_quotes_the_statements_parameters(engine: Engine) -> None:
    with engine.connect() as connection, pytest.raises(DBAPIError) as raised:
        connection.execute(text(BROKEN_SQL), {"note": NOTE})
    assert NOTE not in str(raised.value)


def test_an_unhandled_error_is_a_problem_500_with_headers_and_request_id_and_no_health_data(
    app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    def broken_write(
        session: Session, user_id: Any, kind: Any, row: Any, data: Any, **_: Any
    ) -> Any:
        # A bug that reaches the database with the person's note as a parameter, on the one
        # write path every create takes (entries.resource.write_row).
        session.execute(text(BROKEN_SQL), {"note": getattr(data, "note", None)})
        raise AssertionError("unreachable")

    monkeypatch.setattr(resource, "write_row", broken_write)
    with TestClient(app, raise_server_exceptions=False) as client:
        person = sign_up(client)
        with caplog.at_level(logging.DEBUG):
            response = person.post("/api/v1/meals", meal(note=NOTE))

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["code"]) == (500, "internal_error")
    for header in ("x-content-type-options", "content-security-policy", "x-frame-options"):
        assert header in response.headers
    assert response.headers["cache-control"] == "no-store"
    request_id = response.headers["x-request-id"]
    assert request_id in body["detail"]
    assert NOTE not in response.text

    logged = [r for r in caplog.records if r.name.startswith("fortify")]
    [error] = [r for r in logged if r.getMessage() == "unhandled error"]
    fields = error.__dict__["fields"]  # set by the log call's `extra`
    assert fields["request_id"] == request_id
    assert "broken_write" in fields["where"]  # where it failed is kept
    written = capfd.readouterr().err
    everything = written + "\n".join(f"{r.getMessage()} {getattr(r, 'fields', '')}" for r in logged)
    assert NOTE not in everything
    assert "nausea" not in everything
