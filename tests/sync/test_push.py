from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, update
from sqlalchemy.exc import IntegrityError

from fortify.accounts.models import User
from fortify.entries import service as entries_service
from fortify.entries.kinds import KINDS
from fortify.sync.entities import ENTITIES
from fortify.sync.models import SyncOp
from tests.factories import VALID, Person, meal, regimen, symptom, workout
from tests.sync.helpers import after_sign_up, delete, pull_all, push, upsert


def person_version(engine: Engine, person: Person) -> int:
    with engine.connect() as connection:
        stmt = select(User.sync_version).where(User.id == uuid.UUID(person.user_id))
        return int(connection.scalar(stmt) or 0)


def stored_ops(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(SyncOp)) or 0)


class TestPushApplies:
    @pytest.mark.parametrize("kind", sorted(KINDS))
    def test_a_new_record_of_every_kind_is_created(self, kind: str, ann: Person) -> None:
        op = upsert(kind, VALID[kind]())
        [result] = push(ann, [op])
        assert result["status"] == "applied", result
        assert result["version"] >= 1
        read = ann.get(f"/api/v1/{kind}/{op['id']}")
        assert read.status_code == 200
        assert read.json()["version"] == result["version"]

    def test_the_profile_is_an_upsert_of_the_persons_own_id(self, ann: Person) -> None:
        op = upsert("profile", {"display_name": "Ann", "time_zone": "Europe/London"}, ann.user_id)
        [result] = push(ann, [op])
        assert result["status"] == "applied"
        profile = ann.get("/api/v1/profile").json()
        assert (profile["display_name"], profile["version"]) == ("Ann", result["version"])

    def test_versions_follow_the_order_of_the_batch(self, ann: Person) -> None:
        results = push(ann, [upsert("symptoms", symptom()) for _ in range(5)])
        versions = [r["version"] for r in results]
        assert versions == sorted(versions) and len(set(versions)) == 5

    def test_a_dose_may_name_a_regimen_item_created_earlier_in_the_batch(self, ann: Person) -> None:
        item = upsert("regimen", regimen())
        dose = upsert("doses", {"regimen_item_id": item["id"], "taken_at": meal()["eaten_at"]})
        results = push(ann, [item, dose])
        assert [r["status"] for r in results] == ["applied", "applied"]
        assert ann.get(f"/api/v1/doses/{dose['id']}").json()["nutrients"]["calcium_mg"] == 400

    def test_an_edit_sends_only_the_changed_fields(self, ann: Person) -> None:
        op = upsert("meals", meal(note="first"))
        [created] = push(ann, [op])
        edit = upsert("meals", {"name": "Brunch"}, op["id"], created["version"])
        [edited] = push(ann, [edit])
        assert edited["status"] == "applied" and not edited.get("merged")
        body = ann.get(f"/api/v1/meals/{op['id']}").json()
        assert (body["name"], body["note"]) == ("Brunch", "first")

    def test_deleting_leaves_a_tombstone(self, ann: Person) -> None:
        op = upsert("meals", meal())
        [created] = push(ann, [op])
        [deleted] = push(ann, [delete("meals", op["id"], created["version"])])
        assert deleted["status"] == "applied" and deleted["version"] > created["version"]
        assert ann.get(f"/api/v1/meals/{op['id']}").status_code == 404

    def test_deleting_what_is_gone_already_writes_nothing(
        self, ann: Person, engine: Engine
    ) -> None:
        op = upsert("meals", meal())
        [created] = push(ann, [op])
        [first] = push(ann, [delete("meals", op["id"], created["version"])])
        before = person_version(engine, ann)
        [again] = push(ann, [delete("meals", op["id"], first["version"])])
        [unknown] = push(ann, [delete("meals", str(uuid.uuid4()), None)])
        assert (again["status"], again["version"]) == ("applied", first["version"])
        assert not again["merged"] and again["conflicts"] == []
        assert unknown["status"] == "applied" and unknown["version"] is None
        assert person_version(engine, ann) == before


class TestPushRejects:
    def test_a_rejected_operation_never_blocks_the_others(self, ann: Person) -> None:
        ops = [
            upsert("symptoms", symptom()),
            upsert("symptoms", symptom(worst_pain_0_10=11)),
            upsert("symptoms", symptom()),
        ]
        results = push(ann, ops)
        assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
        problem = results[1]["problem"]
        assert problem["status"] == 422 and problem["code"] == "validation_failed"
        assert problem["errors"][0]["field"] == "worst_pain_0_10"
        assert ann.get(f"/api/v1/symptoms/{ops[1]['id']}").status_code == 404

    @pytest.mark.parametrize(
        ("op", "field", "rule"),
        [
            (upsert("moods", {"mood": "fine"}), "entity", "known_entity"),
            ({**upsert("meals", meal()), "fields": None}, "fields", "required"),
            (upsert("meals", meal(name="")), "name", "string_too_short"),
            (upsert("meals", meal(colour="red")), "colour", "extra_forbidden"),
            (upsert("profile", {"display_name": "X"}), "id", "own_profile"),
            (upsert("profile", {"time_zone": "Mars/Olympus"}, None), "id", "own_profile"),
        ],
    )
    def test_the_problem_names_the_field(
        self, ann: Person, op: dict[str, object], field: str, rule: str
    ) -> None:
        [result] = push(ann, [op])
        assert result["status"] == "rejected"
        assert result["problem"]["errors"] == [
            {"field": field, "rule": rule, "detail": result["problem"]["errors"][0]["detail"]}
        ]

    def test_the_profile_cannot_be_deleted(self, ann: Person) -> None:
        push(ann, [upsert("profile", {"display_name": "Ann"}, ann.user_id)])
        [result] = push(ann, [delete("profile", ann.user_id, None)])
        assert result["status"] == "rejected"
        assert result["problem"]["errors"][0]["rule"] == "not_deletable"

    def test_a_batch_holds_at_most_500_operations(self, ann: Person) -> None:
        ops = [upsert("symptoms", symptom()) for _ in range(501)]
        response = ann.post("/api/v1/sync/push", {"device_id": "d", "operations": ops})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "operations"

    def test_a_malformed_envelope_refuses_the_batch(self, ann: Person) -> None:
        op = upsert("symptoms", symptom()) | {"kind": "merge"}
        response = ann.post("/api/v1/sync/push", {"device_id": "d", "operations": [op]})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "operations[0].kind"

    def test_push_needs_a_token_that_may_write(self, ann: Person) -> None:
        token = ann.post("/api/v1/tokens", {"name": "ro", "scopes": ["read"]}).json()["token"]
        response = ann.client.post(
            "/api/v1/sync/push",
            json={"device_id": "d", "operations": []},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 403


class TestRetries:
    def test_replaying_a_batch_gives_the_same_answers_and_writes_nothing(
        self, ann: Person, engine: Engine
    ) -> None:
        ops = [
            upsert("meals", meal()),
            upsert("symptoms", symptom(worst_pain_0_10=99)),
            upsert("profile", {"display_name": "Ann"}, ann.user_id),
        ]
        first = push(ann, ops)
        version, count = person_version(engine, ann), stored_ops(engine)
        second = push(ann, ops)
        assert [r["status"] for r in second] == ["duplicate"] * 3
        for original, replayed in zip(first, second, strict=True):
            assert replayed["op_id"] == original["op_id"]
            assert replayed["original"]["status"] == original["status"]
            assert replayed["original"].get("version") == original["version"]
        assert (person_version(engine, ann), stored_ops(engine)) == (version, count)

    def test_a_rejection_is_replayed_not_re_evaluated(self, ann: Person) -> None:
        item_id = str(uuid.uuid4())
        dose = upsert("doses", {"regimen_item_id": item_id, "taken_at": meal()["eaten_at"]})
        [rejected] = push(ann, [dose])
        assert rejected["status"] == "rejected"
        push(ann, [upsert("regimen", regimen(), item_id)])
        [replayed] = push(ann, [dose])
        assert replayed["status"] == "duplicate"
        assert replayed["original"]["status"] == "rejected"

    def test_an_op_id_repeated_within_a_batch_is_applied_once(self, ann: Person) -> None:
        op = upsert("meals", meal())
        first, second = push(ann, [op, op])
        assert first["status"] == "applied"
        assert second["status"] == "duplicate" and second["original"]["version"] == first["version"]

    def test_an_op_id_reused_for_another_change_is_rejected_not_dropped(self, ann: Person) -> None:
        # The outside probe's case (F3): another device, or a reinstall, mints an op_id already
        # answered. `duplicate` made every client drop the new change as saved.
        first = upsert("workouts", workout())
        other = upsert("symptoms", symptom(note="a different record"), op_id=first["op_id"])
        [applied] = push(ann, [first])
        [reused] = push(ann, [other], device="tablet")
        assert reused["status"] == "rejected", reused
        assert reused["problem"]["status"] == 409
        assert reused["problem"]["errors"][0]["field"] == "op_id"
        assert reused["problem"]["errors"][0]["rule"] == "op_id_reused"
        assert ann.get(f"/api/v1/symptoms/{other['id']}").status_code == 404
        [again] = push(ann, [other | {"op_id": str(uuid.uuid4())}], device="tablet")
        assert again["status"] == "applied"
        assert ann.get(f"/api/v1/symptoms/{other['id']}").json()["note"] == "a different record"
        # The first change's answer stands for its own retries.
        [retry] = push(ann, [first])
        assert retry["status"] == "duplicate"
        assert retry["original"]["version"] == applied["version"]

    def test_a_refused_change_fixed_and_resent_under_its_op_id_is_rejected(
        self, ann: Person
    ) -> None:
        op = upsert("symptoms", symptom(worst_pain_0_10=11))
        [refused] = push(ann, [op])
        assert refused["problem"]["errors"][0]["rule"] == "less_than_equal"
        fixed = op | {"fields": {**op["fields"], "worst_pain_0_10": 5}}
        [reused] = push(ann, [fixed])
        assert (reused["status"], reused["problem"]["errors"][0]["rule"]) == (
            "rejected",
            "op_id_reused",
        )
        [applied] = push(ann, [fixed | {"op_id": str(uuid.uuid4())}])
        assert applied["status"] == "applied"
        assert ann.get(f"/api/v1/symptoms/{op['id']}").json()["worst_pain_0_10"] == 5

    def test_an_op_id_repeated_within_a_batch_with_other_content_is_rejected(
        self, ann: Person
    ) -> None:
        op = upsert("meals", meal())
        other = upsert("meals", meal(name="Other"), op_id=op["op_id"])
        first, second, third = push(ann, [op, other, op])
        assert first["status"] == "applied"
        assert second["problem"]["errors"][0]["rule"] == "op_id_reused"
        assert third["status"] == "duplicate"
        assert ann.get(f"/api/v1/meals/{other['id']}").status_code == 404

    def test_a_retry_is_the_same_content_in_any_key_order(self, ann: Person) -> None:
        op = upsert("meals", meal(note="n"))
        [applied] = push(ann, [op])
        shuffled = dict(reversed(op.items())) | {"fields": dict(reversed(op["fields"].items()))}
        [retry] = push(ann, [shuffled])
        assert retry["status"] == "duplicate"
        assert retry["original"]["version"] == applied["version"]

    def test_a_retry_sent_with_another_base_version_is_still_a_retry(self, ann: Person) -> None:
        # The base says when the change was made, not what it is: not part of the comparison.
        op = upsert("meals", meal())
        push(ann, [op])
        [retry] = push(ann, [op | {"base_version": 7}])
        assert retry["status"] == "duplicate"

    def test_an_op_id_answered_before_fingerprints_were_kept_is_a_retry(
        self, ann: Person, engine: Engine
    ) -> None:
        op = upsert("meals", meal())
        push(ann, [op])
        with engine.begin() as connection:
            connection.execute(update(SyncOp).values(fingerprint=None))
        [answer] = push(ann, [upsert("meals", meal(name="Other"), op_id=op["op_id"])])
        assert answer["status"] == "duplicate"

    def test_a_reused_op_id_among_a_run_of_edits_is_rejected_alone(self, ann: Person) -> None:
        ops = [upsert("meals", meal(name=f"m{n}")) for n in range(2)]
        versions = [r["version"] for r in push(ann, ops)]
        edit = upsert("meals", {"note": "one"}, ops[0]["id"], versions[0])
        [edited] = push(ann, [edit])
        reused = upsert("meals", {"note": "two"}, ops[1]["id"], versions[1], op_id=edit["op_id"])
        fresh = upsert("meals", {"note": "three"}, ops[1]["id"], versions[1])
        results = push(ann, [reused, fresh])
        assert [r["status"] for r in results] == ["rejected", "applied"], results
        assert results[0]["problem"]["errors"][0]["rule"] == "op_id_reused"
        assert edited["status"] == "applied"

    def test_op_ids_belong_to_one_person(self, ann: Person, bob: Person) -> None:
        op = upsert("meals", meal())
        [for_ann] = push(ann, [op])
        [for_bob] = push(bob, [op])
        assert (for_ann["status"], for_bob["status"]) == ("applied", "applied")
        assert bob.get(f"/api/v1/meals/{op['id']}").status_code == 200


class TestCreatesInBulk:
    """New records wait for one INSERT per entity; the answers must not show it."""

    def test_a_row_the_database_refuses_is_rejected_alone(
        self, ann: Person, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real = entries_service.insert_rows

        def picky(session: Any, kind: Any, rows: list[dict[str, Any]]) -> None:
            if any(row.get("name") == "refused" for row in rows):
                raise IntegrityError("INSERT", {}, Exception("refused by the database"))
            real(session, kind, rows)

        monkeypatch.setattr(entries_service, "insert_rows", picky)
        ops = [upsert("meals", meal(name=name)) for name in ("one", "refused", "three")]
        again = dict(ops[1])
        edit = upsert("meals", {"note": "edited"}, ops[2]["id"])
        results = push(ann, [*ops, again, edit])
        assert [r["status"] for r in results] == [
            "applied",
            "rejected",
            "applied",
            "duplicate",
            "applied",
        ]
        assert results[1]["problem"]["errors"][0]["rule"] == "storable"
        assert results[3]["original"]["status"] == "rejected"
        assert not results[4].get("merged")  # its own create, earlier in the batch
        assert ann.get(f"/api/v1/meals/{ops[1]['id']}").status_code == 404
        assert ann.get(f"/api/v1/meals/{ops[2]['id']}").json()["note"] == "edited"
        changes = after_sign_up(pull_all(ann)[0])
        assert [c["id"] for c in changes] == [ops[0]["id"], ops[2]["id"]]
        replay = push(ann, ops)
        assert [r["original"]["status"] for r in replay] == ["applied", "rejected", "applied"]

    def test_versions_stay_in_batch_order_across_entities(self, ann: Person) -> None:
        item = upsert("regimen", regimen())
        ops = [
            upsert("meals", meal()),
            item,
            upsert("doses", {"regimen_item_id": item["id"], "taken_at": meal()["eaten_at"]}),
            upsert("symptoms", symptom()),
            upsert("meals", meal()),
        ]
        results = push(ann, ops)
        versions = [r["version"] for r in results]
        assert [r["status"] for r in results] == ["applied"] * 5
        assert versions == sorted(versions) and len(set(versions)) == 5
        changes = after_sign_up(pull_all(ann)[0])
        assert [c["id"] for c in changes] == [op["id"] for op in ops]
        assert [c["version"] for c in changes] == versions


def _comparable(value: Any) -> Any:
    """An answer without what differs between two people given the same batch (conflict ids
    and times)."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k not in ("created_at",)} | (
            {"id": None} if "losing_value" in value else {}
        )
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


class TestEditsInRuns:
    """Consecutive edits and deletes share one savepoint and one flush; the answers, versions,
    conflicts and feed must be exactly those of applying them one by one."""

    @staticmethod
    def one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
        for entity in ENTITIES.values():
            monkeypatch.setattr(entity, "batch_edits", False)

    @staticmethod
    def scenario(person: Person) -> tuple[list[Any], list[dict[str, Any]]]:
        """Set up records, then push a batch of edits and deletes from another device."""
        ids = [str(uuid.UUID(int=n + 1)) for n in range(8)]
        item = upsert("regimen", regimen(), ids[0], op_id=str(uuid.UUID(int=101)))
        setup = [
            item,
            *(
                upsert("meals", meal(name=f"m{n}"), ids[1 + n], op_id=str(uuid.UUID(int=102 + n)))
                for n in range(4)
            ),
            upsert(
                "doses",
                {"regimen_item_id": ids[0], "taken_at": meal()["eaten_at"]},
                ids[5],
                op_id=str(uuid.UUID(int=110)),
            ),
            upsert("symptoms", symptom(), ids[6], op_id=str(uuid.UUID(int=111))),
            upsert("workouts", workout(), ids[7], op_id=str(uuid.UUID(int=112))),
        ]
        v = {op["id"]: r["version"] for op, r in zip(setup, push(person, setup), strict=True)}
        n = iter(range(200, 300))

        def op_id() -> str:
            return str(uuid.UUID(int=next(n)))

        first = upsert("meals", {"name": "one"}, ids[1], v[ids[1]], op_id())
        removal = delete("symptoms", ids[6], v[ids[6]])
        removal["op_id"] = op_id()
        gone = delete("regimen", ids[0], v[ids[0]])
        gone["op_id"] = op_id()
        stale_delete = delete("meals", ids[4], None)
        stale_delete["op_id"] = op_id()
        absent = delete("meals", str(uuid.UUID(int=999)), None)
        absent["op_id"] = op_id()
        batch = [
            first,
            upsert("meals", {"note": "stale"}, ids[2], None, op_id()),  # merged, a conflict
            removal,
            upsert("symptoms", {"worst_pain_0_10": 2}, ids[6], None, op_id()),  # tombstone
            gone,
            upsert("doses", {"units": 2}, ids[5], v[ids[5]], op_id()),  # its item: deleted
            upsert("workouts", {"minutes": 99999}, ids[7], v[ids[7]], op_id()),  # invalid
            first,  # duplicate
            upsert("meals", {"name": "refused"}, ids[3], v[ids[3]], op_id()),
            upsert("meals", {"name": "again"}, ids[3], None, op_id()),  # after its own write
            absent,
            upsert("meals", meal(name="new"), str(uuid.UUID(int=50)), None, op_id()),
            stale_delete,
            upsert("workouts", {"minutes": 40}, ids[7], v[ids[7]], op_id()),
        ]
        return push(person, batch, device="tablet"), batch

    @staticmethod
    def outcome(person: Person, batch: list[dict[str, Any]]) -> Any:
        changes = after_sign_up(pull_all(person)[0])
        body = person.get("/api/v1/sync/conflicts").json()
        listed = body["items"]
        conflicts = sorted(_comparable(listed), key=lambda c: (c["entity_id"], c["field"]))
        replay = push(person, batch, device="tablet")
        return changes, conflicts, _comparable(replay)

    def test_a_run_answers_as_one_by_one(
        self, ann: Person, bob: Person, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        in_runs, batch = self.scenario(ann)
        assert [r["status"] for r in in_runs] == [
            "applied",
            "applied",
            "applied",
            "conflict",
            "applied",
            "rejected",
            "rejected",
            "duplicate",
            "applied",
            "applied",
            "applied",
            "applied",
            "applied",
            "applied",
        ]
        assert in_runs[1]["merged"] and in_runs[1]["conflicts"][0]["field"] == "note"
        assert in_runs[5]["problem"]["errors"][0]["field"] == "regimen_item_id"
        assert not in_runs[9].get("merged")
        with monkeypatch.context() as patch:
            self.one_by_one(patch)
            alone, _ = self.scenario(bob)
        assert _comparable(in_runs) == _comparable(alone)
        assert self.outcome(ann, batch) == self.outcome(bob, batch)

    def test_an_edit_the_database_refuses_is_rejected_alone(
        self, ann: Person, bob: Person, engine: Engine, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # No entry edit that passes validation is refused by either database (the dose's
        # regimen item is checked by the service, not a foreign key), so the refusal is
        # simulated: the database "refuses" any UPDATE of meals that stores the name "refused",
        # whether alone or in an executemany with the run's other meals.
        refusals = []

        def refuse(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            if statement.lstrip().upper().startswith("UPDATE MEALS") and "refused" in repr(
                parameters
            ):
                refusals.append(statement)
                raise IntegrityError(statement, parameters, Exception("refused by the database"))

        event.listen(engine, "before_cursor_execute", refuse)
        try:
            in_runs, batch = self.scenario(ann)
            assert len(refusals) == 2  # the run's flush, then the edit alone
            with monkeypatch.context() as patch:
                self.one_by_one(patch)
                alone, _ = self.scenario(bob)
            assert len(refusals) == 3
        finally:
            event.remove(engine, "before_cursor_execute", refuse)
        statuses = [r["status"] for r in in_runs]
        assert statuses[8] == "rejected"
        assert in_runs[8]["problem"]["errors"][0]["rule"] == "storable"
        assert statuses.count("rejected") == 3
        assert in_runs[9]["merged"]  # its base is now another device's write
        assert _comparable(in_runs) == _comparable(alone)
        refused = ann.get(f"/api/v1/meals/{batch[8]['id']}").json()
        assert refused["name"] == "again"
        assert ann.get(f"/api/v1/meals/{batch[0]['id']}").json()["name"] == "one"
        assert ann.get(f"/api/v1/workouts/{batch[13]['id']}").json()["minutes"] == 40
        changes, conflicts, replay = self.outcome(ann, batch)
        assert (changes, conflicts, replay) == self.outcome(bob, batch)
        assert {r["status"] for r in replay} == {"duplicate"}

        def answer(result: dict[str, Any]) -> tuple[str, int | None]:
            first = result["original"] if result["status"] == "duplicate" else result
            return first["status"], first.get("version")

        assert [answer(r) for r in replay] == [answer(r) for r in in_runs]
