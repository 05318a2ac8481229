"""The scope matrix, over every operation the app serves (read from its OpenAPI document, so a
route added tomorrow is in the matrix without anyone editing this file).

- reading (GET) needs `read`: a write-only token, the kind docs/api.md recommends for a Shortcut
  that logs doses, must never read the health record;
- writing needs `write`: a read-only token changes nothing;
- a write whose answer carries stored data the caller did not send (PATCH, the sync protocol)
  needs both;
- account management (sessions, tokens, password, deletion, calendar links) needs a signed-in
  device: no token of any scope;
- an operation with no sign-in at all is one of a short, reviewed list.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.factories import sign_up

# Operations anyone may call (reviewed: none reveals or changes a person's data).
PUBLIC = {
    "POST /api/v1/accounts",
    "POST /api/v1/accounts/verify",
    "POST /api/v1/sessions",
    "POST /api/v1/password/forgot",
    "POST /api/v1/password/reset",
    "GET /api/v1/push/vapid-public-key",
    "GET /api/v1/calendar/{secret}.ics",  # the secret in the URL is the credential
    "GET /healthz",
    "GET /readyz",
}
# Writes that answer with stored data: they need `read` as well as `write`.
READING_WRITE_PREFIXES = ("/api/v1/sync/",)
SAFE = {"get", "head"}


def operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    spec = app.openapi()
    return [
        (method, path, op)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if method in {"get", "head", "post", "put", "patch", "delete"}
    ]


def concrete(path: str, op: dict[str, Any]) -> str:
    """The path with a plausible value in each parameter (the check under test runs before
    anything looks the value up)."""
    for param in op.get("parameters", []):
        if param["in"] != "path":
            continue
        schema = param.get("schema", {})
        value = {
            "uuid": str(uuid.uuid4()),
            "date": "2026-11-20",
        }.get(schema.get("format", ""), "2026-W47" if "week" in param["name"] else "x" * 12)
        if schema.get("type") == "integer":
            value = "1"
        path = path.replace("{" + param["name"] + "}", value)
    return path


def call(client: TestClient, method: str, path: str, token: str) -> Any:
    kwargs: dict[str, Any] = {"headers": {"Authorization": f"Bearer {token}"}}
    if method not in SAFE:
        kwargs["json"] = {}
    return client.request(method.upper(), path, **kwargs)


@pytest.fixture
def tokens(client: TestClient) -> dict[str, str]:
    person = sign_up(client)

    def make(*scopes: str) -> str:
        made = person.post("/api/v1/tokens", {"name": "+".join(scopes), "scopes": list(scopes)})
        return str(made.json()["token"])

    return {"read": make("read"), "write": make("write"), "both": make("read", "write")}


def test_every_operation_without_a_sign_in_is_on_the_public_list(app: FastAPI) -> None:
    open_ops = {f"{m.upper()} {p}" for m, p, op in operations(app) if not op.get("security")}
    assert open_ops <= PUBLIC, f"operations with no sign-in: {sorted(open_ops - PUBLIC)}"


def test_the_matrix_covers_the_whole_api(app: FastAPI) -> None:
    # A guard against an empty matrix (a renamed document, a broken prefix).
    assert len([o for o in operations(app) if o[2].get("security")]) >= 100


def test_a_write_only_token_reads_nothing(
    app: FastAPI, client: TestClient, tokens: dict[str, str]
) -> None:
    leaks = []
    for method, path, op in operations(app):
        if not op.get("security"):
            continue
        reads = method in SAFE or path.startswith(READING_WRITE_PREFIXES) or method == "patch"
        if not reads:
            continue
        answer = call(client, method, concrete(path, op), tokens["write"])
        if answer.status_code != 403:
            leaks.append(f"{method.upper()} {path}: {answer.status_code}")
    assert leaks == [], "read with a write-only token:\n" + "\n".join(leaks)


def test_a_read_only_token_writes_nothing(
    app: FastAPI, client: TestClient, tokens: dict[str, str]
) -> None:
    writes = []
    for method, path, op in operations(app):
        if not op.get("security") or method in SAFE:
            continue
        answer = call(client, method, concrete(path, op), tokens["read"])
        if answer.status_code != 403:
            writes.append(f"{method.upper()} {path}: {answer.status_code}")
    assert writes == [], "written with a read-only token:\n" + "\n".join(writes)


def test_a_write_only_token_still_logs_a_dose(client: TestClient, tokens: dict[str, str]) -> None:
    logged = client.post(
        "/api/v1/doses",
        headers={"Authorization": f"Bearer {tokens['write']}"},
        json={"taken_at": "2026-11-20T08:00:00Z", "units": 1, "kind": "supplement"},
    )
    assert logged.status_code == 201, logged.text


def test_a_read_and_write_token_reaches_the_entry_routes(
    client: TestClient, tokens: dict[str, str]
) -> None:
    headers = {"Authorization": f"Bearer {tokens['both']}"}
    assert client.get("/api/v1/export", headers=headers).status_code == 200
    assert client.get("/api/v1/sync/pull", headers=headers).status_code == 200
