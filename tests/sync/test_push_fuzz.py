"""Property: whatever a push mixes, the server never fails it and never loses or doubles a record.

Hypothesis builds batches from valid creates (every entry kind, with unusual but valid text),
deletes of absent records, and invalid or hostile operations (unknown entities and fields,
calendar-edge instants, values nested 260 deep, NUL characters, numbers past any range or
infinite, an upsert without fields), in any order, and pushes each batch twice. It asserts:

- no answer is a 5xx (the batch's envelope is valid, so the answer is always 200);
- every valid operation is applied, exactly once: its record is in the pull feed once, and
  the second push answers `duplicate` with the first answer;
- every invalid operation is `rejected` with a problem naming a field and a rule.
"""

from __future__ import annotations

import json
import math
import uuid
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fortify.core.schema import hidden_character, is_blank
from fortify.entries.kinds import KINDS
from tests.conftest import SLOW_MACHINE
from tests.factories import VALID, Person, sign_up
from tests.sync.helpers import pull_all

EDGE_INSTANTS = ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2026-01-01T08:00:00"]


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


# Text a person may well type: any letters, marks, symbols and emoji. The server refuses by
# design the invisible characters that change what text shows (bidirectional overrides, a
# byte-order mark: `hidden_character`) and a name of nothing visible (`is_blank`); those are
# the invalid operations' business, so valid text leaves them out (CI drew a meal named with
# a right-to-left override and counted its refusal as a lost write).
TEXT = (
    st.text(
        alphabet=st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(lambda text: bool(text) and hidden_character(text) is None and not is_blank(text))
)
HOSTILE_VALUES = st.sampled_from(
    [_nested(260), "nul \x00 inside", 10**30, -(10**30), math.inf, -math.inf, 1e308, [], {}]
)


def _op(entity: str, fields: dict[str, Any] | None, kind: str = "upsert") -> dict[str, Any]:
    op: dict[str, Any] = {
        "op_id": str(uuid.uuid4()),
        "entity": entity,
        "id": str(uuid.uuid4()),
        "kind": kind,
    }
    if fields is not None or kind == "upsert":
        op["fields"] = fields
    return op


@st.composite
def valid_ops(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    kind = draw(st.sampled_from(sorted(KINDS)))
    fields = VALID[kind]()
    if kind == "meals":
        fields["name"] = draw(TEXT)
    elif kind == "symptoms":
        fields["note"] = draw(TEXT)
    if draw(st.integers(0, 9)) == 0:
        return "valid_delete", _op(kind, None, kind="delete")
    return "valid", _op(kind, fields)


@st.composite
def invalid_ops(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    kind = draw(st.sampled_from(sorted(KINDS)))
    fields = VALID[kind]()
    how = draw(
        st.sampled_from(
            ["unknown_field", "unknown_entity", "edge_time", "no_fields", "hostile_value"]
        )
    )
    if how == "unknown_field":
        fields["zz_not_a_field"] = draw(HOSTILE_VALUES | TEXT)
    elif how == "unknown_entity":
        return "invalid", _op(draw(st.sampled_from(["users", "Meals", "💊", "x" * 40])), fields)
    elif how == "edge_time":
        time_field = KINDS[kind].time_field
        if time_field is None:  # the regimen: a day at the calendar's edge instead
            fields["started_on"] = draw(st.sampled_from(["0001-01-01", "9999-12-31"]))
        else:
            fields[time_field] = draw(st.sampled_from(EDGE_INSTANTS))
    elif how == "no_fields":
        return "invalid", _op(kind, None)
    else:
        # A hostile value where a required field of the kind belongs.
        name = draw(st.sampled_from(sorted(fields)))
        fields[name] = draw(HOSTILE_VALUES.filter(lambda v: v not in ([], {})))
    return "invalid", _op(kind, fields)


@pytest.fixture
def person(client: TestClient) -> Person:
    return sign_up(client)


BATCHES = st.lists(st.one_of(valid_ops(), invalid_ops()), min_size=1, max_size=12)


@settings(
    max_examples=30,
    database=None,
    suppress_health_check=[*SLOW_MACHINE, HealthCheck.function_scoped_fixture],
)
@given(batch=BATCHES)
def test_a_push_of_any_mix_never_fails_and_applies_each_valid_operation_once(
    person: Person, batch: list[tuple[str, dict[str, Any]]]
) -> None:
    """One person for every example (signing in per example trips the sign-in limiter); each
    example reads only the changes after the cursor it starts from."""
    client = person.client
    _, cursor = pull_all(person)
    body = {"device_id": "fuzz", "operations": [op for _, op in batch]}
    # The standard library's encoder, which writes Infinity (as a careless client would).
    content = json.dumps(body).encode()
    headers = person.headers | {"content-type": "application/json"}
    first = client.post("/api/v1/sync/push", content=content, headers=headers)
    assert first.status_code == 200, first.text
    results = first.json()["results"]
    assert [r["op_id"] for r in results] == [op["op_id"] for _, op in batch]
    for (expected, op), result in zip(batch, results, strict=True):
        if expected == "invalid":
            assert result["status"] == "rejected", (op, result)
            problem = result["problem"]
            assert problem["detail"] and problem["errors"], result
            assert all(e["field"] and e["rule"] for e in problem["errors"]), result
        else:
            assert result["status"] == "applied", (op, result)

    again = client.post("/api/v1/sync/push", content=content, headers=headers)
    assert again.status_code == 200, again.text
    assert {r["status"] for r in again.json()["results"]} == {"duplicate"}

    changes, _ = pull_all(person, cursor)
    seen = Counter(c["id"] for c in changes)
    created = [op["id"] for expected, op in batch if expected == "valid"]
    assert all(seen[entry_id] == 1 for entry_id in created), seen
    assert sum(seen.values()) == len(created)  # nothing else was written
