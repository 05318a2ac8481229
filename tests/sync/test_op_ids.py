"""Property: whatever op_ids a careless client reuses, no distinct change is lost or applied twice.

An op_id names one change for ever (push.py, "Retries"). Hypothesis draws a few distinct changes
(new symptom check-ins, some first sent with an invalid value), gives them op_ids from a pool of
three (so two changes often share one, as two devices or a reinstalled app might), and sends
them in batches in any order, with repeats (retries), some of whose answers are lost. The
client under test is careless in the way real ones were: it fixes a refused change and resends
it under the same op_id, and drops a change from its outbox once an answer (or a `duplicate`'s
original) says `applied`. It re-mints an op_id only when told `op_id_reused`, then sends what is
left until its outbox is empty. Asserted:

- every change ends stored as the client last sent it (none was taken for another's retry);
- every change was `applied` exactly once (a retry of the same content is `duplicate`).

With `duplicate` for any known op_id (the server before F3), a change sharing another's op_id
was dropped as saved and never stored.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from fortify.sync.models import SyncOp
from fortify.sync.push import fingerprint
from fortify.sync.schemas import Operation
from tests.conftest import SLOW_MACHINE
from tests.factories import Person, sign_up
from tests.sync.helpers import push, upsert

AT = "2026-12-01T08:00:00+01:00"
ENTITY_ID, OP_ID = str(uuid.uuid4()), str(uuid.uuid4())


@pytest.fixture
def person(client: TestClient) -> Person:
    return sign_up(client)


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 5))
    change = st.integers(0, n - 1)
    return {
        "slots": draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)),
        "broken": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        # Each batch: the changes it sends (repeats are retries) and whether its answer is lost.
        "batches": draw(
            st.lists(
                st.tuples(st.lists(change, min_size=1, max_size=4), st.booleans()),
                min_size=1,
                max_size=5,
            )
        ),
    }


class CarelessClient:
    def __init__(self, n: int, slots: list[int], broken: list[bool]) -> None:
        pool = [str(uuid.uuid4()) for _ in range(3)]
        self.op_ids = [pool[slot] for slot in slots]
        self.ids = [str(uuid.uuid4()) for _ in range(n)]
        self.fields = [
            {"measured_at": AT, "worst_pain_0_10": 11 if bad else c, "note": f"change {c}"}
            for c, bad in enumerate(broken)
        ]
        self.saved = [False] * n
        self.applied = [0] * n  # `applied` answers the server gave, heard or not

    def op(self, c: int) -> dict[str, Any]:
        return {
            "op_id": self.op_ids[c],
            "entity": "symptoms",
            "id": self.ids[c],
            "kind": "upsert",
            "base_version": None,
            "fields": dict(self.fields[c]),
        }

    def send(self, person: Person, changes: list[int], lost: bool) -> None:
        changes = [c for c in changes if not self.saved[c]]
        if not changes:
            return
        results = push(person, [self.op(c) for c in changes])
        for c, result in zip(changes, results, strict=True):
            self.applied[c] += result["status"] == "applied"
            if lost:
                continue
            answer = result["original"] if result["status"] == "duplicate" else result
            if answer["status"] == "applied":
                self.saved[c] = True
            elif answer["status"] == "rejected":
                rules = {e["rule"] for e in answer["problem"]["errors"]}
                if "op_id_reused" in rules:
                    self.op_ids[c] = str(uuid.uuid4())
                else:  # fixed, and resent under the same op_id (the careless part)
                    self.fields[c]["worst_pain_0_10"] = 3


@settings(
    max_examples=25,
    database=None,
    suppress_health_check=[*SLOW_MACHINE, HealthCheck.function_scoped_fixture],
)
@given(scenario=scenarios())
def test_no_distinct_change_is_lost_or_applied_twice(
    person: Person, scenario: dict[str, Any]
) -> None:
    n = len(scenario["slots"])
    client = CarelessClient(n, scenario["slots"], scenario["broken"])
    for changes, lost in scenario["batches"]:
        client.send(person, changes, lost)
    for _ in range(6):  # the outbox is sent until it is empty
        client.send(person, list(range(n)), lost=False)
    assert all(client.saved), client.__dict__
    assert client.applied == [1] * n, client.__dict__
    for c in range(n):
        stored = person.get(f"/api/v1/symptoms/{client.ids[c]}")
        assert stored.status_code == 200, (c, client.__dict__)
        body = stored.json()
        assert (body["note"], body["worst_pain_0_10"]) == (
            client.fields[c]["note"],
            client.fields[c]["worst_pain_0_10"],
        )


class TestOneValueSpelledTwoWays:
    """A retry whose JSON library spelled a number another way (70 then 70.0) is the same
    change: it was refused as `op_id_reused` (outside re-check N6)."""

    def test_a_whole_number_re_spelled_is_a_retry(self, person: Person) -> None:
        op = upsert("measurements", {"measured_at": AT, "weight_kg": 70})
        assert push(person, [op])[0]["status"] == "applied"
        again = op | {"fields": {"measured_at": AT, "weight_kg": 70.0}}
        assert push(person, [again])[0]["status"] == "duplicate"
        other = op | {"fields": {"measured_at": AT, "weight_kg": 70.5}}
        answer = push(person, [other])[0]
        assert answer["problem"]["errors"][0]["rule"] == "op_id_reused", answer

    @given(
        fields=st.recursive(
            st.integers(-(10**6), 10**6) | st.booleans() | st.text(max_size=3) | st.none(),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
            max_leaves=8,
        )
    )
    def test_the_fingerprint_reads_values_not_spellings(self, fields: Any) -> None:
        def as_floats(value: Any) -> Any:
            if type(value) is int:
                return float(value)
            if isinstance(value, dict):
                return {k: as_floats(v) for k, v in value.items()}
            if isinstance(value, list):
                return [as_floats(v) for v in value]
            return value

        def op(content: Any) -> Operation:
            return Operation.model_validate(
                upsert("symptoms", {"value": content}, entity_id=ENTITY_ID, op_id=OP_ID)
            )

        assert fingerprint(op(fields)) == fingerprint(op(as_floats(fields)))
        # Booleans stay booleans: true is not 1.
        assert fingerprint(op(True)) != fingerprint(op(1))

    def test_a_fingerprint_stored_before_the_rule_still_knows_its_retry(
        self, person: Person, engine: Engine
    ) -> None:
        op = upsert("measurements", {"measured_at": AT, "weight_kg": 70.0})
        assert push(person, [op])[0]["status"] == "applied"
        as_sent = fingerprint(Operation.model_validate(op), as_sent=True)
        with Session(engine) as session, session.begin():
            session.execute(
                update(SyncOp).where(SyncOp.op_id == op["op_id"]).values(fingerprint=as_sent)
            )
        assert push(person, [op])[0]["status"] == "duplicate"
