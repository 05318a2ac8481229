"""Property-based fuzzing of every API operation from the app's own OpenAPI schema (Schemathesis).

For each operation Schemathesis generates requests from the declared parameters and bodies (valid
ones and, for the negative phase, invalid ones), sends them in-process to the ASGI app with a
signed-in person's bearer token, and checks that the server never answers 5xx, that the status is
one the operation declares, and that the body matches the declared schema for that status.

Boundary values: every `date` and `date-time` Schemathesis generates is drawn from strategies
that favour the calendar's edges (0001-01-01, 9999-12-31, offsets of ±14 h that push an instant
past year 9999 or before year 1, instants without an offset) besides ordinary values, and every
`cursor` parameter gets crafted opaque values (base64 of naive or edge instants, numbers past any
range, bytes that are not UTF-8). Each class was a 500 before core.schema's `Day`/`Instant` and
core.cursor. The stateful test follows the links the entries' create operations declare
(create → read, replace, patch, delete), so ids that exist are exercised too.

Bounded for CI: a fixed number of examples per operation, derandomized so a run is reproducible.
Excluded operations, and why:
- `DELETE /api/v1/account`, `POST /api/v1/account/delete`: they delete the fuzz person, after
  which every later operation is a 401 and tests nothing (their own tests cover them);
- `DELETE /api/v1/sessions/current`: signs the fuzz person out, with the same effect.
"""

from __future__ import annotations

import base64
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fortify.core.config import Settings
from fortify.main import create_app
from tests.factories import sign_up

MAX_EXAMPLES = 25

_BASE64 = st.binary(max_size=48).map(lambda b: base64.urlsafe_b64encode(b).decode().rstrip("="))
_EDGE_DAYS = ["0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "2999-12-31", "3000-01-01"]
_EDGE_INSTANTS = [
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-14:00",
    "1969-12-31T23:59:59Z",
    "2026-11-20T08:00:00",
]
DAYS = st.one_of(
    st.sampled_from(_EDGE_DAYS),
    st.dates().map(dt.date.isoformat),
    st.dates(dt.date(2020, 1, 1), dt.date(2027, 12, 31)).map(dt.date.isoformat),
)
INSTANTS = st.one_of(
    st.sampled_from(_EDGE_INSTANTS),
    st.datetimes(
        timezones=st.sampled_from(
            [dt.UTC, *(dt.timezone(dt.timedelta(hours=h)) for h in (-14, -5, 1, 14))]
        )
    ).map(lambda d: d.isoformat()),
)
CURSORS = st.one_of(
    st.none(),
    st.sampled_from(["v1:", "!!", "A"]),
    st.tuples(st.sampled_from(_EDGE_INSTANTS), st.uuids()).map(
        lambda pair: base64.urlsafe_b64encode(f"{pair[0]}|{pair[1]}".encode()).decode()
    ),
    st.integers().map(lambda n: base64.urlsafe_b64encode(f"v1:{n}".encode()).decode()),
    _BASE64,
)
schemathesis.openapi.format("date", DAYS)
schemathesis.openapi.format("date-time", INSTANTS)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema_app() -> FastAPI:
    """An app built only to publish its OpenAPI schema at import; requests go to the test's app."""
    home = Path(tempfile.mkdtemp(prefix="fortify-fuzz-"))
    return create_app(
        Settings(
            environment="test",
            data_dir=home,
            database_url=f"sqlite:///{home / 'schema-only.db'}",
            secret_key="fuzz-schema-only",
            frontend_dist=home / "no-frontend",
        )
    )


schema = (
    schemathesis.openapi.from_asgi("/api/v1/openapi.json", _schema_app())
    .exclude(path="/api/v1/account")
    .exclude(path="/api/v1/account/delete")
    .exclude(path="/api/v1/sessions/current", method="DELETE")
)


@schema.hook
def flatmap_query(context: Any, query: dict[str, Any] | None) -> st.SearchStrategy[Any]:
    """A crafted cursor (or none) for every operation that pages with one."""
    operation = context.operation
    if operation is None or not any(p.name == "cursor" for p in operation.query):
        return st.just(query)
    return CURSORS.map(
        lambda cursor: {**(query or {}), "cursor": cursor} if cursor else (query or {})
    )


# The coverage phase sends each operation's boundary values (hundreds of requests for a rich
# body); its "unexpected method" probes (TRACE, QUERY… on every path) test Starlette's 405, not us.
schema.config.phases.coverage.unexpected_methods = set()
# Importing an export is one operation with a body as rich as the whole API: its boundary-value
# phase alone sends ~2,000 requests, so it is fuzzed with generated examples only.
IMPORT_PATH = "/api/v1/import"
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def fuzz_token(client: TestClient) -> str:
    return sign_up(client).token


# The fuzzer judges answers, not speed (speed lives in bench/): on a loaded 2-core CI machine one
# request once took longer than Schemathesis's default 10 s read timeout. A hang still fails.
REQUEST_TIMEOUT_S = 60


def _call(case: Any, app: FastAPI, token: str) -> None:
    case.call_and_validate(
        app=app,
        headers={"Authorization": f"Bearer {token}"},
        checks=CHECKS,
        timeout=REQUEST_TIMEOUT_S,
    )


@pytest.mark.slow
@schema.exclude(path=IMPORT_PATH, method="POST").parametrize()
@FUZZ_SETTINGS
def test_no_operation_fails_or_breaks_its_schema(case: Any, app: FastAPI, fuzz_token: str) -> None:
    _call(case, app, fuzz_token)


@pytest.mark.slow
@schema.include(path=IMPORT_PATH, method="POST").parametrize()
@settings(FUZZ_SETTINGS, phases=[Phase.generate])
def test_import_never_fails_or_breaks_its_schema(case: Any, app: FastAPI, fuzz_token: str) -> None:
    _call(case, app, fuzz_token)


# Entries as workflows: create, then read, replace, change and delete what was created, by the
# links the create operations declare, so generated requests also reach ids that exist.
ENTRY_PATHS = r"^/api/v1/(meals|regimen|doses|workouts|symptoms|labs|measurements)(/|$)"


@pytest.mark.slow
def test_entry_workflows_never_fail_or_break_their_schema(app: FastAPI, fuzz_token: str) -> None:
    machine: Any = schema.include(path_regex=ENTRY_PATHS).as_state_machine()

    class EntryWorkflows(machine):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {
                "app": app,
                "headers": {"Authorization": f"Bearer {fuzz_token}"},
                "timeout": REQUEST_TIMEOUT_S,
            }

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    EntryWorkflows.run(
        settings=settings(
            max_examples=15,
            stateful_step_count=6,
            # Generate only: the app's state persists between scenarios, so replaying one to
            # shrink it draws differently (Hypothesis then reports FlakyStrategyDefinition
            # instead of the failure itself).
            phases=[Phase.generate],
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
