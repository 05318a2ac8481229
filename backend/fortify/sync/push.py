"""Push: apply a device's outbox, idempotently, merging stale writes field by field.

Conflict policy (docs/sync.md, "Conflicts")
-------------------------------------------
An operation carries `base_version`, the version of the record the device last saw (every
value of it shown to the person: a device with an older change of the record still pending
sends that change's older base, since the pending value may hide a newer one). It is
*fresh* when base_version equals the record's current version, or when the current version was
written by an earlier operation of the same device that applied as sent, without a merge (a
device's outbox is sent in order, so such a write is never news to it; a merged one is, because
it brought in other devices' values). Then:

- record absent: an upsert creates it (all fields required); a delete has nothing to do;
- fresh upsert: the sent fields are laid over the record and validated as a whole;
- stale upsert: the same merge, field by field in server arrival order; every field whose
  value the merge changed is recorded in `sync_conflicts` with the overwritten (losing) value,
  so the person can see it and restore it; the answer is `applied` with `merged: true`;
- upsert onto a tombstone: refused as `conflict` (deletes are sticky), with the server's record,
  and the sent fields are recorded as a conflict so the edit is never lost silently (except
  for a `revivable` entity, favourites, where it marks the food again: a new fact);
- delete: always wins (sticky); when stale, the fields it removed are recorded as a conflict.

Client clocks never order writes: the server's arrival order does. Times in the fields are data.

Every operation runs in its own SAVEPOINT so a rejected one rolls back alone (new entries wait
and are inserted together, one INSERT per entity: "Creates in bulk" below; consecutive edits
and deletes of entries share one savepoint and one flush, and are redone one by one only when
the database refuses that flush: "Edits in runs" below), and every answer
(rejections included) is stored in `sync_ops` under (person, op_id): a retried operation gets
`duplicate` with the first answer and writes nothing. A retry is recognised by its content as
well as its op_id ("Retries" below). The batch commits once, at the end of the
request; a crash before that commit leaves nothing, and the client retries the same op_ids.
"""

from __future__ import annotations

import hashlib
import json
import logging
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import insert, select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, SessionTransaction

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core.clock import utcnow
from fortify.core.errors import (
    PROBLEM_BASE,
    Conflict,
    FortifyError,
    InvalidInput,
    database_unavailable,
)
from fortify.core.schema import MAX_JSON_DEPTH, json_too_deep
from fortify.sync import conflicts
from fortify.sync.conflicts import WHOLE_RECORD, record
from fortify.sync.entities import ENTITIES, BatchEditable, BulkCreatable, State, SyncEntity
from fortify.sync.models import SyncOp
from fortify.sync.schemas import ConflictRead, Operation, OpResult, Record

_log = logging.getLogger("fortify.sync")


# --- Push -----------------------------------------------------------------------------------


@dataclass
class _Batch:
    """What one push knows while it runs: the records it touches and who wrote which version."""

    user: User
    device_id: str
    handles: dict[tuple[str, uuid.UUID], Any]
    # version -> (device, merged) for the versions this batch wrote
    written_here: dict[int, tuple[str, bool]] = field(default_factory=dict)
    # Records this batch inserted in bulk (not loaded: `_apply` reads one when it needs it).
    created: set[tuple[str, uuid.UUID]] = field(default_factory=set)
    # Creates waiting for their bulk insert (see "Creates in bulk").
    pending: dict[tuple[str, uuid.UUID], _Pending] = field(default_factory=dict)
    # op_id -> its answer: those stored by earlier pushes, then this batch's as it goes.
    answered: dict[str, dict[str, Any]] = field(default_factory=dict)
    # op_id -> the fingerprint of the operation answered (None: stored before they were kept).
    fingerprints: dict[str, str | None] = field(default_factory=dict)
    results: list[OpResult] = field(default_factory=list)  # the response, in batch order
    stored: list[dict[str, Any]] = field(default_factory=list)  # rows for `sync_ops`

    def writer(self, session: Session, version: int) -> tuple[str | None, bool]:
        """(device, merged) of the operation that wrote this version; (None, False) for a REST
        or restore write."""
        if version in self.written_here:
            return self.written_here[version]
        stmt = select(SyncOp.device_id, SyncOp.result).where(
            SyncOp.user_id == self.user.id, SyncOp.version == version
        )
        row = session.execute(stmt).first()
        if row is None:
            return None, False
        return row.device_id, bool(row.result.get("merged"))

    def fresh(self, session: Session, base_version: int | None, current: State) -> bool:
        """Whether the device made this change knowing the record's current state: it last saw
        this version, or this version is its own earlier write applied as it was sent (its
        outbox is sent in order). A merged write of its own is not enough: the merge brought in
        values the device had not seen when it made this change."""
        if (base_version or 0) == current.version:
            return True
        device, merged = self.writer(session, current.version)
        return device == self.device_id and not merged


def push(
    session: Session, user: User, device_id: str, operations: list[Operation]
) -> list[OpResult]:
    # Serialise this person's pushes before reading what was answered already: a duplicated
    # request waits here and then sees the first one's answers instead of applying twice.
    accounts.lock_changes(session, user.id)
    answered: dict[str, dict[str, Any]] = {}
    fingerprints: dict[str, str | None] = {}
    op_ids = {op.op_id for op in operations}
    if op_ids:
        stmt = select(SyncOp.op_id, SyncOp.result, SyncOp.fingerprint).where(
            SyncOp.user_id == user.id, SyncOp.op_id.in_(op_ids)
        )
        for op_id, result, known in session.execute(stmt):
            answered[op_id], fingerprints[op_id] = result, known
    handles = _load_handles(session, user, operations, answered)
    batch = _Batch(user, device_id, handles, answered=answered, fingerprints=fingerprints)
    # Every new operation writes at most once: take all its change numbers in one statement.
    accounts.reserve_versions(
        session, user.id, sum(op.op_id not in batch.answered for op in operations)
    )
    _run_operations(session, batch, operations)
    # (On an unexpected error the request's transaction rolls back, block and all.)
    accounts.release_versions(session, user.id)
    if batch.stored:
        session.execute(insert(SyncOp), batch.stored)
    return batch.results


def _run_operations(
    session: Session,
    batch: _Batch,
    operations: list[Operation],
) -> None:
    run: _Run | None = None
    for op in operations:
        if op.op_id in batch.answered:
            batch.results.append(_answer_again(batch, op))
            if run is not None:  # its answer goes if the run is redone; it is redone with it
                run.ops.append(op)
            continue
        bulk = _bulk_create(batch, op)
        in_run = bulk is None and _run_member(batch, op)
        if run is not None and (not in_run or (op.entity, op.id) in run.keys):
            _end_run(session, batch, run)
            run = None
        if batch.pending and (
            bulk is None
            or any(key in batch.pending for key in bulk.create_dependencies(op.fields or {}))
        ):
            _insert_pending(session, batch)
        if bulk is not None:
            result, wrote = _create_later(session, batch, bulk, op)
        elif in_run:
            if run is None:
                run = _Run(session, batch, len(batch.results), len(batch.stored))
            run.ops.append(op)
            run.keys.add((op.entity, op.id))
            try:
                # No flush until the run ends: reads here see the run's changes in the
                # identity map (a dose's regimen item is `session.get`), and nothing the run
                # changed is read from the database by a query.
                with session.no_autoflush:
                    result, wrote = _apply(session, batch, op, flush=False)
            except FortifyError as exc:
                # Raised before anything of this operation was changed (`BatchEditable`).
                result, wrote = (
                    OpResult(op_id=op.op_id, status="rejected", problem=_problem(exc)),
                    False,
                )
            except Exception as exc:
                _reraise_if_not_the_operations(exc)
                # A statement of the run failed (a meal's recents), or anything else did: which
                # operation caused it, and what it left half done, is known only one by one.
                _redo_run(session, batch, run)
                run = None
                continue
        else:
            result, wrote = _apply_alone(session, batch, op)
        _record(batch, op, result, wrote)
        if bulk is not None and wrote:
            batch.pending[(op.entity, op.id)].index = (
                len(batch.results) - 1,
                len(batch.stored) - 1,
            )
    if run is not None:
        _end_run(session, batch, run)
    if batch.pending:
        _insert_pending(session, batch)


def _apply_alone(session: Session, batch: _Batch, op: Operation) -> tuple[OpResult, bool]:
    """`_apply` in its own savepoint: a refusal, the database's included, writes nothing."""
    try:
        with session.begin_nested():
            return _apply(session, batch, op)
    except Exception as exc:
        _reraise_if_not_the_operations(exc)
        return OpResult(op_id=op.op_id, status="rejected", problem=_problem(exc)), False


def _record(
    batch: _Batch,
    op: Operation,
    result: OpResult,
    wrote: bool,
) -> None:
    """Keep an operation's answer: for the response, for later operations of the batch (a
    repeated op_id, whether a version is this device's), and for retries (`sync_ops`)."""
    batch.answered[op.op_id] = result.model_dump(mode="json", exclude_defaults=True)
    batch.fingerprints[op.op_id] = digest = fingerprint(op)
    batch.results.append(result)
    if wrote and result.version is not None:
        batch.written_here[result.version] = (batch.device_id, result.merged)
    batch.stored.append(
        {
            "user_id": batch.user.id,
            "op_id": op.op_id,
            "device_id": batch.device_id,
            "entity": op.entity,
            "entity_id": op.id,
            "version": result.version if wrote else None,
            "result": batch.answered[op.op_id],
            "fingerprint": digest,
            "created_at": utcnow(),
        }
    )


# --- Retries ---------------------------------------------------------------------------------
# An op_id names one change for ever. A retry (the answer was lost, the batch is sent again)
# carries the same op_id and the same content, and hears the first answer (`duplicate`). A known
# op_id with other content is not a retry: another device or a reinstalled app minted the same
# id, or a client fixed a refused change and resent it under its old op_id. Answered
# `duplicate`, it was dropped from the client's outbox as saved and the change was lost (an
# outside probe, F3); so it is `rejected` (409, field `op_id`, rule `op_id_reused`), nothing is
# written or stored, and the client sends it again under a new op_id. The content compared is
# entity, id, kind and fields, not `base_version` (when the change was made, not what it is).
# An op_id answered before fingerprints were kept is taken for a retry, as it was then.


def fingerprint(op: Operation, *, as_sent: bool = False) -> str:
    """SHA-256 (hex) of what the operation changes, independent of key order in `fields` and
    of how a number is spelled (10 and 10.0 are one value to every field, so a retry that a
    client's JSON library re-spelled is still a retry: outside re-check N6). `as_sent` keeps
    numbers as sent: the fingerprints stored before that rule. Fields nested too deep are
    refused whatever they hold (`max_depth`), so they count as one content instead of being
    serialised (recursively: a hostile value could exhaust the stack)."""
    fields: Any = op.fields
    if fields is not None and json_too_deep(fields):
        fields = "max_depth"  # never a real value: `fields` is an object or null
    elif not as_sent:
        fields = _whole_numbers_as_ints(fields)
    content = {"entity": op.entity, "id": str(op.id), "kind": op.kind, "fields": fields}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _whole_numbers_as_ints(value: Any) -> Any:
    """`value` with every float that is a whole number as an int (bools are left alone)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_numbers_as_ints(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers_as_ints(item) for item in value]
    return value


def _answer_again(batch: _Batch, op: Operation) -> OpResult:
    """The answer to an op_id answered before (in an earlier push or this one)."""
    known = batch.fingerprints.get(op.op_id)
    if (
        known is not None
        and known != fingerprint(op)
        and known != fingerprint(op, as_sent=True)  # only for a fingerprint stored before N6
    ):
        reused = Conflict(
            "This op_id was used before for a different change, so this one was not written. "
            "Send it again with a new op_id.",
            field="op_id",
            rule="op_id_reused",
        )
        return OpResult(op_id=op.op_id, status="rejected", problem=_problem(reused))
    return OpResult(op_id=op.op_id, status="duplicate", original=batch.answered[op.op_id])


# --- Edits in runs --------------------------------------------------------------------------
# A phone back from a week offline sends mostly edits and deletes of records it has. One by
# one, each costs a SAVEPOINT, a flush (one UPDATE) and a RELEASE: three round trips. Instead,
# consecutive edits and deletes of existing records of a `BatchEditable` entity form a run:
# one savepoint, each operation applied and answered in order without a flush (its refusals,
# InvalidInput, come before it changes anything), and one flush at the end, where the
# database gets the UPDATEs grouped (an executemany, pipelined by psycopg). A run changes a
# record at most once, so every value an operation writes reaches the database. If the database
# refuses that flush, the savepoint is rolled back (the run's rows are expired and reload as
# they were, its conflict rows are dropped) and the run's operations are redone one by one
# in their own savepoints, with the same change numbers, exactly as they would have run
# without the run: the refused one is `rejected` alone.


class _Run:
    """A run being applied: its savepoint, and where the batch stood when it began."""

    def __init__(self, session: Session, batch: _Batch, at_result: int, at_stored: int) -> None:
        self.savepoint: SessionTransaction = session.begin_nested()  # flushes what came before
        self.mark = accounts.reserved_mark(session, batch.user.id)  # next change number
        self.at_result, self.at_stored = at_result, at_stored  # its answers begin here
        self.at_written = len(batch.written_here)  # its versions are added after these
        self.ops: list[Operation] = []  # duplicates included: their answers go with the run
        # The records it changes: a second change of one ends the run first, or the flush
        # would store only the last value and the database never see (nor refuse) the first.
        self.keys: set[tuple[str, uuid.UUID]] = set()


def _run_member(batch: _Batch, op: Operation) -> bool:
    """Whether this operation (not a create waiting for its bulk insert) may join a run: an
    edit or delete of a `BatchEditable` entity, of a record this batch has a handle for or
    has inserted (a delete of an absent record writes nothing: it may join too)."""
    entity = ENTITIES.get(op.entity)
    if entity is None or not entity.batch_edits:
        return False
    if op.kind == "delete":
        return True
    key = (op.entity, op.id)
    return op.fields is not None and (key in batch.handles or key in batch.created)


def _end_run(
    session: Session,
    batch: _Batch,
    run: _Run,
) -> None:
    try:
        session.flush()
    except Exception as exc:
        _reraise_if_not_the_operations(exc)
        _redo_run(session, batch, run)
        return
    run.savepoint.commit()


def _redo_run(
    session: Session,
    batch: _Batch,
    run: _Run,
) -> None:
    """Undo the run (its writes and every answer it gave) and apply its operations one by
    one, as if it had never been tried."""
    run.savepoint.rollback()
    accounts.rewind_versions(session, batch.user.id, run.mark)
    for row in batch.stored[run.at_stored :]:  # the op_ids first answered in the run
        del batch.answered[row["op_id"]]
        del batch.fingerprints[row["op_id"]]
    for version in list(batch.written_here)[run.at_written :]:  # (dicts keep insertion order)
        del batch.written_here[version]
    del batch.results[run.at_result :]
    del batch.stored[run.at_stored :]
    for op in run.ops:
        if op.op_id in batch.answered:
            batch.results.append(_answer_again(batch, op))
            continue
        result, wrote = _apply_alone(session, batch, op)
        _record(batch, op, result, wrote)


# --- Creates in bulk ------------------------------------------------------------------------
# A batch is mostly new records (a phone's offline day). Each would cost a SAVEPOINT, an
# INSERT and a RELEASE (three round trips on PostgreSQL); instead a new record of a
# `BulkCreatable` entity is validated and prepared at once (a refusal is its own answer,
# written nothing), takes its change number in batch order, and waits in `pending`. The
# pending rows are inserted with one INSERT per entity before any operation that could read
# them (anything that is not such a create, or a create that names one) and at the end. If
# that INSERT fails (the database refused a value), each row is retried in its own savepoint
# and the failing ones become rejections, as they would have been one by one.


@dataclass
class _Pending:
    entity: BulkCreatable
    op: Operation
    values: dict[str, Any]
    index: tuple[int, int] = (-1, -1)  # in results, in stored


def _bulk_create(batch: _Batch, op: Operation) -> BulkCreatable | None:
    """The entity, when this operation creates a record that can wait for a bulk insert."""
    entity = ENTITIES.get(op.entity)
    key = (op.entity, op.id)
    if (
        entity is None
        or not entity.bulk_creates
        or op.kind != "upsert"
        or op.fields is None
        or key in batch.handles
        or key in batch.created
        or key in batch.pending
    ):
        return None
    bulk = cast(BulkCreatable, entity)
    return bulk if bulk.bulk_ok(op.fields) else None


def _create_later(
    session: Session, batch: _Batch, entity: BulkCreatable, op: Operation
) -> tuple[OpResult, bool]:
    try:
        _check_depth(op)
        values = entity.create_values(session, batch.user, op.id, op.fields or {})
    except Exception as exc:  # raised before anything was written: nothing to roll back
        _reraise_if_not_the_operations(exc)
        return OpResult(op_id=op.op_id, status="rejected", problem=_problem(exc)), False
    values["version"] = version = accounts.next_version(session, batch.user.id)
    batch.pending[(op.entity, op.id)] = _Pending(entity, op, values)
    return OpResult(op_id=op.op_id, status="applied", version=version), True


def _insert_pending(
    session: Session,
    batch: _Batch,
) -> None:
    groups: dict[tuple[str, frozenset[str]], list[_Pending]] = {}
    for waiting in batch.pending.values():
        groups.setdefault((waiting.entity.name, frozenset(waiting.values)), []).append(waiting)
    batch.pending.clear()
    for group in groups.values():
        entity = group[0].entity
        try:
            with session.begin_nested():
                entity.insert(session, [waiting.values for waiting in group])
        except Exception as exc:
            _reraise_if_not_the_operations(exc)
            for waiting in group:
                try:
                    with session.begin_nested():
                        entity.insert(session, [waiting.values])
                except Exception as refused:
                    _reraise_if_not_the_operations(refused)
                    _reject_after_all(batch, waiting, refused)
                    continue
                batch.created.add((entity.name, waiting.op.id))
            continue
        batch.created.update((entity.name, waiting.op.id) for waiting in group)


def _reject_after_all(
    batch: _Batch,
    waiting: _Pending,
    exc: Exception,
) -> None:
    """The database refused a create answered `applied`: answer `rejected` instead."""
    op = waiting.op
    result = OpResult(op_id=op.op_id, status="rejected", problem=_problem(exc))
    answer = result.model_dump(mode="json", exclude_defaults=True)
    at_result, at_stored = waiting.index
    batch.written_here.pop(waiting.values["version"], None)
    batch.results[at_result] = result
    batch.stored[at_stored] |= {"version": None, "result": answer}
    batch.answered[op.op_id] = answer
    for i, other in enumerate(batch.results):  # the same op_id again later in this batch
        if other.status == "duplicate" and other.op_id == op.op_id:
            batch.results[i] = OpResult(op_id=op.op_id, status="duplicate", original=answer)


def _load_handles(
    session: Session, user: User, operations: list[Operation], answered: dict[str, Any]
) -> dict[tuple[str, uuid.UUID], Any]:
    """Every record the batch touches, one query per entity, instead of one per operation."""
    wanted: dict[str, set[uuid.UUID]] = {}
    for op in operations:
        if op.op_id not in answered and op.entity in ENTITIES:
            wanted.setdefault(op.entity, set()).add(op.id)
    handles: dict[tuple[str, uuid.UUID], Any] = {}
    for name, ids in wanted.items():
        for entity_id, handle in ENTITIES[name].load(session, user, ids).items():
            handles[(name, entity_id)] = handle
    return handles


def _apply(
    session: Session, batch: _Batch, op: Operation, *, flush: bool = True
) -> tuple[OpResult, bool]:
    """The answer to one operation, and whether it wrote (took a new version). `flush=False`
    (a run of edits, a `BatchEditable` entity) leaves the write to the run's flush."""
    entity = ENTITIES.get(op.entity)
    if entity is None:
        raise InvalidInput(
            f"Unknown entity '{op.entity}'; known: {', '.join(ENTITIES)}.",
            field="entity",
            rule="known_entity",
        )
    _check_depth(op)
    key = (op.entity, op.id)
    handle = batch.handles.get(key)
    if handle is None and key in batch.created:  # inserted in bulk earlier in this batch
        handle = batch.handles[key] = entity.load(session, batch.user, [op.id]).get(op.id)
    current = entity.state(handle) if handle is not None else None
    fresh = current is not None and batch.fresh(session, op.base_version, current)

    if op.kind == "delete":
        if current is None or current.deleted:  # nothing (left) to delete: already the goal
            version = current.version if current is not None else None
            return OpResult(op_id=op.op_id, status="applied", version=version), False
        if flush:
            handle = entity.delete(session, batch.user, handle)
        else:
            handle = cast(BatchEditable, entity).delete(session, batch.user, handle, flush=False)
        after = entity.state(handle)
        conflicts = []
        if not fresh:
            conflicts.append(
                _conflict(
                    session,
                    batch,
                    entity,
                    op.id,
                    WHOLE_RECORD,
                    losing=current.fields,
                    winning=None,
                    losing_device=batch.writer(session, current.version)[0],
                )
            )
        return _applied(op, entity, after, fresh, conflicts), True

    if op.fields is None:
        raise InvalidInput("An upsert needs its fields.", field="fields", rule="required")
    if current is None:
        batch.handles[key] = entity.upsert(session, batch.user, op.id, None, op.fields)
        version = entity.state(batch.handles[key]).version
        return OpResult(op_id=op.op_id, status="applied", version=version), True
    if current.deleted and not _stored_again(session, batch, entity, op, fresh):
        lost = _conflict(
            session,
            batch,
            entity,
            op.id,
            WHOLE_RECORD,
            losing=op.fields,
            winning=None,
            losing_device=batch.device_id,
            winning_device=batch.writer(session, current.version)[0],
        )
        refused = OpResult(
            op_id=op.op_id,
            status="conflict",
            record=Record.model_validate(record(entity, op.id, current)),
            conflicts=[lost],
        )
        return refused, False
    before = current.fields or {}
    if flush:
        handle = entity.upsert(session, batch.user, op.id, handle, op.fields)
    else:
        editable = cast(BatchEditable, entity)
        handle = editable.upsert(session, batch.user, op.id, handle, op.fields, flush=False)
    after = entity.state(handle)
    conflicts = []
    if not fresh:
        losing_device = batch.writer(session, current.version)[0]
        for name, old in before.items():
            new = (after.fields or {}).get(name)
            if old == new or (old is None and name in entity.paired_fields):
                continue
            conflicts.append(
                _conflict(
                    session, batch, entity, op.id, name, old, new, losing_device=losing_device
                )
            )
    return _applied(op, entity, after, fresh, conflicts), True


def _stored_again(
    session: Session, batch: _Batch, entity: SyncEntity, op: Operation, fresh: bool
) -> bool:
    """Whether an upsert of a tombstone brings the record back: always for a revivable entity;
    for a record whose default is back (a regimen item's own reminder whose stored copy was
    deleted) when the device knew of no newer stored copy (no base, or the tombstone's), as a
    REST PATCH stores it again (outside probe F5). A device that edited a copy deleted since
    (an older base) is refused as for any deleted record: the delete is sticky."""
    if entity.revivable:
        return True
    knew = fresh or op.base_version in (None, 0)
    return knew and entity.comes_back(session, batch.user, op.id)


def _applied(
    op: Operation, entity: SyncEntity, after: State, fresh: bool, conflicts: list[ConflictRead]
) -> OpResult:
    """A merge's outcome is news to the device, so it gets the record; a fresh write's is not."""
    return OpResult(
        op_id=op.op_id,
        status="applied",
        version=after.version,
        merged=not fresh,
        conflicts=conflicts,
        record=None if fresh else Record.model_validate(record(entity, op.id, after)),
    )


def _check_depth(op: Operation) -> None:
    """No record nests deeper than a few levels; a hostile one 260 deep could not even be kept
    as a conflict (the JSON encoder stops at 255) and was a 500 for the whole push."""
    if op.fields is not None and json_too_deep(op.fields):
        raise InvalidInput(
            f"The fields nest deeper than {MAX_JSON_DEPTH} levels.",
            field="fields",
            rule="max_depth",
        )


class _NotApplicable(FortifyError):
    status, code, title = 500, "internal_error", "This change could not be applied"


def _reraise_if_not_the_operations(exc: Exception) -> None:
    """One operation's failure, of whatever kind, rejects that operation only, so a device's
    outbox is never stuck behind it (a 500 for the whole push repeats on every retry). The
    exception: a database that cannot answer (busy, full, gone), which is no operation's fault
    and must not be stored as its answer; it fails the request (503) and the device retries."""
    if isinstance(exc, PoolTimeout) or (isinstance(exc, DBAPIError) and database_unavailable(exc)):
        raise exc
    if not isinstance(exc, FortifyError | IntegrityError | DataError):
        # Not a refusal the rules or the database made: a bug. Its class and where, never its
        # message (it can quote the operation's values).
        _log.error(
            "sync operation failed",
            extra={
                "fields": {
                    "error": type(exc).__name__,
                    "where": "".join(traceback.format_tb(exc.__traceback__)),
                }
            },
        )


def _problem(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, IntegrityError | DataError):  # the database refused a value
        exc = InvalidInput("The database refused this record.", field="fields", rule="storable")
    elif not isinstance(exc, FortifyError):
        exc = _NotApplicable(
            "The server could not apply this change; it was set aside so the rest could sync."
        )
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + exc.code,
        "title": exc.title,
        "status": exc.status,
        "detail": exc.detail,
        "code": exc.code,
    }
    if exc.errors():
        body["errors"] = exc.errors()
    return body


def _conflict(
    session: Session,
    batch: _Batch,
    entity: SyncEntity,
    entity_id: uuid.UUID,
    field_name: str,
    losing: Any,
    winning: Any,
    *,
    losing_device: str | None,
    winning_device: str | None = None,
) -> ConflictRead:
    """Keep an overwritten value; the winner is this push's device unless named."""
    return conflicts.keep(
        session,
        batch.user.id,
        entity,
        entity_id,
        field_name,
        losing,
        winning,
        losing_device=losing_device,
        winning_device=winning_device if winning_device is not None else batch.device_id,
    )
