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

import datetime as dt
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from fortify.accounts.models import User
from fortify.core.db import Base
from tests.factories import sign_up

# Operations anyone may call (reviewed: none reveals or changes a person's data).
PUBLIC = {
    "POST /api/v1/accounts",
    "POST /api/v1/accounts/verify",
    "POST /api/v1/accounts/verify/check",  # says only whether an unguessable link is live
    "POST /api/v1/sessions",
    "POST /api/v1/password/forgot",
    "POST /api/v1/password/reset",
    "POST /api/v1/password/reset/check",  # says only whether an unguessable link is live
    "GET /api/v1/push/vapid-public-key",
    "GET /api/v1/calendar/{secret}.ics",  # the secret in the URL is the credential
    "GET /healthz",
    "GET /readyz",
}
# Writes that answer with stored data: they need `read` as well as `write`.
READING_WRITE_PREFIXES = ("/api/v1/sync/", "/api/v1/reminders/occurrences/")
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


# --- what a write-only token's answers carry (F4, docs/security.md) ---------------------------
#
# The property: over every write operation a write-only token may call, its answer holds no
# stored value it did not send. Distinctive values are planted first (through a signed-in
# device); each scenario then writes with the write-only token, sending none of them, and no
# planted value may come back. A write operation that is neither a scenario here nor on the
# reviewed list below fails `test_every_write_a_write_only_token_may_call_is_checked`.
#
# The planted values include the records' history, not only their content (F2: a write-only
# PUT over her symptom answered its `created_at` and a `version` counting her changes; the
# scenarios then PUT only over records the token had made itself, and only content was
# planted): every record of hers is dated PLANTED_CREATED, and her change counter stands at
# PLANTED_VERSION, so a version from it (the next one included) is a leak too.

PLANTED_ITEM = {
    "name": "Planted Zanzibar citrate",
    "kind": "medicine",
    "form": "calcium_citrate",
    "nutrients_per_unit": {"calcium_mg": 517.25, "vitamin_d_iu": 777.5},
    "servings_per_unit": {"polyphenol": 3.25},
    "schedule_times": ["07:13"],
}
PLANTED_VALUES = {
    "Planted Zanzibar citrate",
    "medicine",
    "calcium_citrate",
    517.25,
    777.5,
    3.25,
    "Planted title of a reminder",
    "Planted reminder note",
    "21:17",
    "Planted food synonym",
}
PLANTED_CREATED = dt.datetime(2011, 11, 11, 11, 11, 11, tzinfo=dt.UTC)
PLANTED_VERSION = 7_777_000
# Writes whose answer is a 204 or is computed from the body alone (reviewed): nothing stored.
NO_STORED_CONTENT = {
    "DELETE /api/v1/foods/custom/{food_id}",
    "PUT /api/v1/foods/{food_id}/favourite",
    "DELETE /api/v1/foods/{food_id}/favourite",
    "POST /api/v1/supplement-forms/convert",  # a label conversion: the body alone
    "DELETE /api/v1/push/subscriptions/{subscription_id}",
    "POST /api/v1/push/subscriptions",  # the endpoint and device name it sent, id and times
    "DELETE /api/v1/reminders/{reminder_id}",
    # Counts only what the file holds: tests/portability/test_apple_health.py::
    # TestWriteOnlyToken::test_a_repeat_upload_answers_as_the_first
    "POST /api/v1/import/apple-health",
} | {
    f"DELETE /api/v1/{kind}/{{entry_id}}"
    for kind in (
        "meals",
        "regimen",
        "doses",
        "workouts",
        "symptoms",
        "labs",
        "measurements",
    )
}


def _planted(value: Any) -> bool:
    """A value of hers the token cannot know: planted content, her change counter, or the
    creation time of one of her records."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int) and value >= PLANTED_VERSION:
        return True
    if isinstance(value, str) and value[:4] == "2011":
        try:
            if dt.datetime.fromisoformat(value) == PLANTED_CREATED:
                return True
        except ValueError:
            pass
    return value in PLANTED_VALUES


def _plant_history(engine: Engine, user_id: str) -> None:
    """Date every record of hers (created and last changed) PLANTED_CREATED and set her change
    counter to PLANTED_VERSION."""
    uid = uuid.UUID(user_id)
    with engine.begin() as connection:
        connection.execute(update(User).where(User.id == uid).values(sync_version=PLANTED_VERSION))
        for table in Base.metadata.sorted_tables:
            owner = table.c.get("user_id", table.c.get("owner_id"))
            stamps = {name: PLANTED_CREATED for name in ("created_at", "updated_at")}
            stamps = {name: at for name, at in stamps.items() if name in table.c}
            if owner is not None and stamps:
                connection.execute(update(table).where(owner == uid).values(**stamps))


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


@pytest.fixture
def planted(client: TestClient, engine: Engine) -> dict[str, Any]:
    """A person with distinctive stored values and history, and a write-only token of hers."""
    person = sign_up(client)
    item = person.post("/api/v1/regimen", PLANTED_ITEM).json()["id"]
    reminder = person.post(
        "/api/v1/reminders",
        {
            "kind": "custom",
            "title": "Planted title of a reminder",
            "times": ["21:17"],
            "note": "Planted reminder note",
        },
    ).json()["id"]
    food = {
        "name": "Planted food",
        "synonyms": ["Planted food synonym"],
        "nutrients_per_100g": {"calcium_mg": 517.25},
    }
    food_id = person.post("/api/v1/foods/custom", food).json()["id"]
    entries = {
        "meals": {"eaten_at": "2026-11-20T08:00:00+00:00", "name": "Breakfast"},
        "doses": {"regimen_item_id": item, "taken_at": "2026-11-20T08:00:00+00:00", "units": 1},
        "workouts": {
            "activity": "walking",
            "started_at": "2026-11-20T08:00:00+00:00",
            "minutes": 30,
        },
        "symptoms": {"measured_at": "2026-11-20T08:00:00+00:00", "worst_pain_0_10": 3},
        "labs": {
            "measured_at": "2026-11-20T08:00:00+00:00",
            "kind": "vitamin_d_25oh",
            "value": 30,
            "unit": "ng/mL",
        },
        "measurements": {"measured_at": "2026-11-20T08:00:00+00:00", "weight_kg": 61},
    }
    stored = {}
    for kind, body in entries.items():  # her own records, edited since, for the token to PUT over
        made = person.post(f"/api/v1/{kind}", body)
        assert made.status_code == 201, made.text
        stored[kind] = made.json()["id"]
        person.patch(f"/api/v1/{kind}/{stored[kind]}", {})
    write = person.post("/api/v1/tokens", {"name": "w", "scopes": ["write"]}).json()["token"]
    _plant_history(engine, person.user_id)
    return {
        "item": item,
        "reminder": reminder,
        "food": food_id,
        "entries": entries,
        "stored": stored,
        "token": write,
    }


def _scenarios(planted: dict[str, Any]) -> dict[str, list[tuple[str, str, Any]]]:
    """For each write operation: the calls (method, path, body) a write-only token makes."""
    out: dict[str, list[tuple[str, str, Any]]] = {}
    for kind, body in planted["entries"].items():
        same_id = str(uuid.uuid4())
        out[f"POST /api/v1/{kind}"] = [
            ("POST", f"/api/v1/{kind}", body),
            ("POST", f"/api/v1/{kind}", {"id": same_id, **body}),
            ("POST", f"/api/v1/{kind}", {"id": same_id, **body}),  # a retry: 409, id only
        ]
        out[f"PUT /api/v1/{kind}/{{entry_id}}"] = [
            ("PUT", f"/api/v1/{kind}/{same_id}", body),  # its own record
            ("PUT", f"/api/v1/{kind}/{planted['stored'][kind]}", body),  # hers (F2)
        ]
    item_id = planted["item"]
    out["POST /api/v1/regimen"] = [
        ("POST", "/api/v1/regimen", {"name": "Vitamin D", "kind": "supplement"}),
        ("POST", "/api/v1/regimen", {"id": item_id, "name": "Guess", "kind": "supplement"}),
    ]
    out["PUT /api/v1/regimen/{entry_id}"] = [
        ("PUT", f"/api/v1/regimen/{item_id}", {"name": "Vitamin D", "kind": "supplement"})
    ]
    rid = planted["reminder"]
    guess = {"kind": "custom", "title": "A guess", "times": ["09:00"]}
    out["POST /api/v1/reminders"] = [
        ("POST", "/api/v1/reminders", guess),
        ("POST", "/api/v1/reminders", {"id": rid, **guess}),
    ]
    out["PUT /api/v1/reminders/{reminder_id}"] = [("PUT", f"/api/v1/reminders/{rid}", guess)]
    out["POST /api/v1/reminders/{reminder_id}/snooze"] = [
        ("POST", f"/api/v1/reminders/{rid}/snooze", {"minutes": 5})
    ]
    out["POST /api/v1/reminders/{reminder_id}/skip-today"] = [
        ("POST", f"/api/v1/reminders/{rid}/skip-today", None)
    ]
    food = {"name": "A guess"}
    out["POST /api/v1/foods/custom"] = [
        ("POST", "/api/v1/foods/custom", food),
        ("POST", "/api/v1/foods/custom", {"id": planted["food"], **food}),
    ]
    out["PUT /api/v1/foods/custom/{food_id}"] = [
        ("PUT", f"/api/v1/foods/custom/{planted['food']}", food)
    ]
    return out


def test_a_write_only_tokens_answers_carry_no_stored_value_it_did_not_send(
    client: TestClient, planted: dict[str, Any]
) -> None:
    headers = {"Authorization": f"Bearer {planted['token']}"}
    existing = {planted["item"], planted["reminder"], planted["food"]}
    leaks = []
    for operation, calls in _scenarios(planted).items():
        for method, path, body in calls:
            answer = client.request(method, path, headers=headers, json=body)
            # A create of an id that exists is a 409 naming only the id (entries/resource.py).
            expected: tuple[int, ...] = (200, 201)
            if method == "POST" and isinstance(body, dict) and "id" in body:
                expected = (409,) if body["id"] in existing else (201,)
                existing.add(body["id"])
            assert answer.status_code in expected, f"{operation}: {answer.text}"
            sent = set(_leaves(body))
            found = [v for v in _leaves(answer.json()) if _planted(v) and v not in sent]
            if found:
                leaks.append(f"{operation}: {found}")
    assert leaks == [], "stored values in a write-only token's answers:\n" + "\n".join(leaks)


def test_a_write_only_tokens_dose_answer_names_no_snapshot(
    client: TestClient, planted: dict[str, Any]
) -> None:
    # The attacker's call: the item's kind, form and nutrients are stored on the dose, but the
    # answer leaves them unknown.
    answer = client.post(
        "/api/v1/doses",
        headers={"Authorization": f"Bearer {planted['token']}"},
        json={"regimen_item_id": planted["item"], "taken_at": "2026-12-02T08:00:00+00:00"},
    ).json()
    assert (answer["kind"], answer["form"]) == (None, None)
    assert set(answer["nutrients"].values()) == {None}


def test_every_write_a_write_only_token_may_call_is_checked(
    app: FastAPI, client: TestClient, planted: dict[str, Any]
) -> None:
    checked = set(_scenarios(planted)) | NO_STORED_CONTENT
    unchecked = []
    for method, path, op in operations(app):
        if not op.get("security") or method in SAFE:
            continue
        key = f"{method.upper()} {path}"
        answer = call(client, method, concrete(path, op), planted["token"])
        if answer.status_code != 403 and key not in checked:
            unchecked.append(key)
    assert unchecked == [], "writes nobody checked for stored values:\n" + "\n".join(unchecked)


def test_the_json_import_needs_read_too(client: TestClient, tokens: dict[str, str]) -> None:
    """Its 409s say whether the account holds the file's records as the file has them, so a
    write-only token could confirm guesses with it (found by an outside probe)."""
    document = {"format": "fortify-export", "version": 2, "profile": {}}
    answer = client.post(
        "/api/v1/import", json=document, headers={"Authorization": f"Bearer {tokens['write']}"}
    )
    assert answer.status_code == 403, answer.text
    assert answer.json()["errors"][0] == {
        "field": "scope",
        "rule": "read",
        "detail": answer.json()["errors"][0]["detail"],
    }
