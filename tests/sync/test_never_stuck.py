"""A device's outbox never gets stuck behind one operation.

One operation's failure, of whatever kind (a value at the calendar's edge, a field nested 260
levels deep, a bug), rejects that operation only, with a reason, and the rest of the batch
applies; a retry of the same push gets the same answers (`duplicate`), never a 500. Only a
database that cannot answer fails the whole push (503), because that is nobody's operation and
must not be stored as one's answer.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from fortify.sync import push as sync_push
from tests.factories import Person, meal, symptom
from tests.sync.helpers import delete, pull_all, push, upsert

END_OF_TIME = "9999-12-31T23:59:59-14:00"


def nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value]
    return value


def reminder(**overrides: Any) -> dict[str, Any]:
    return {"kind": "custom", "title": "Evening walk", "times": ["18:30"]} | overrides


def _pushed_ids(person: Person) -> set[str]:
    changes, _ = pull_all(person)
    return {c["id"] for c in changes}


def _assert_rejected(result: dict[str, Any], field: str, rule: str) -> None:
    assert result["status"] == "rejected", result
    assert {"field": field, "rule": rule} == {
        k: result["problem"]["errors"][0][k] for k in ("field", "rule")
    }


class TestOneFailureRejectsOnlyItself:
    def test_a_reminder_snoozed_to_the_end_of_time_does_not_block_a_meal(self, ann: Person) -> None:
        ops = [upsert("meals", meal()), upsert("reminders", reminder(snoozed_until=END_OF_TIME))]
        first = push(ann, ops)
        assert first[0]["status"] == "applied"
        _assert_rejected(first[1], "snoozed_until", "supported_range")
        assert ops[0]["id"] in _pushed_ids(ann)
        again = push(ann, ops)  # the device retries: the same answers, nothing twice
        assert [r["status"] for r in again] == ["duplicate", "duplicate"]
        assert [r["original"] for r in again] == [
            {k: v for k, v in r.items() if v not in (None, [], False)} for r in first
        ]

    def test_fields_nested_260_levels_deep_are_rejected_alone(self, ann: Person) -> None:
        kept = upsert("meals", meal())
        [created] = push(ann, [kept])
        gone = upsert("meals", meal())
        [made] = push(ann, [gone])
        push(ann, [delete("meals", gone["id"], made["version"])])
        ops = [
            upsert("meals", meal()),
            upsert("meals", meal() | {"extra": nested(260)}),  # a new record
            upsert("meals", {"note": nested(260)}, kept["id"], created["version"]),  # an edit
            upsert("meals", {"name": nested(260)}, gone["id"], made["version"]),  # a tombstone
            upsert("symptoms", symptom(locations=nested(260))),
        ]
        results = push(ann, ops)
        assert results[0]["status"] == "applied"
        for result in results[1:]:
            assert result["status"] == "rejected", result
        _assert_rejected(results[3], "fields", "max_depth")

    def test_a_bug_in_one_operation_rejects_it_alone_and_is_logged(
        self, ann: Person, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ) -> None:
        real_apply = sync_push._apply

        def apply(session: Any, batch: Any, op: Any, **kwargs: Any) -> Any:
            if (op.fields or {}).get("title") == "Trips the bug":
                raise RuntimeError(f"a bug that quotes {op.fields['title']}")
            return real_apply(session, batch, op, **kwargs)

        monkeypatch.setattr(sync_push, "_apply", apply)
        ops = [
            upsert("reminders", reminder()),
            upsert("reminders", reminder(title="Trips the bug")),
            upsert("meals", meal()),
        ]
        with caplog.at_level(logging.ERROR, logger="fortify.sync"):
            results = push(ann, ops)
        assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
        assert results[1]["problem"]["code"] == "internal_error"
        [logged] = [r for r in caplog.records if r.getMessage() == "sync operation failed"]
        assert logged.fields["error"] == "RuntimeError"  # type: ignore[attr-defined]
        assert "Trips the bug" not in repr(logged.fields)  # type: ignore[attr-defined]

    def test_a_database_that_cannot_answer_fails_the_push_and_stores_no_answer(
        self, ann: Person, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_apply = sync_push._apply

        def apply(session: Any, batch: Any, op: Any, **kwargs: Any) -> Any:
            if (op.fields or {}).get("title") == "Busy":
                raise OperationalError(
                    "UPDATE …", {}, sqlite3.OperationalError("database is locked")
                )
            return real_apply(session, batch, op, **kwargs)

        monkeypatch.setattr(sync_push, "_apply", apply)
        ops = [upsert("meals", meal()), upsert("reminders", reminder(title="Busy"))]
        response = ann.post("/api/v1/sync/push", {"device_id": "phone", "operations": ops})
        assert response.status_code == 503
        assert response.headers["retry-after"]
        monkeypatch.setattr(sync_push, "_apply", real_apply)
        # The retry applies both: nothing of the failed push was kept, not even an answer.
        assert [r["status"] for r in push(ann, ops)] == ["applied", "applied"]
