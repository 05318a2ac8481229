"""Offline-first sync: idempotent push, a change feed that never skips, conflicts kept.

The cursor: the person's change counter
---------------------------------------
Every write to one of a person's records takes the next value of `users.sync_version` inside
its transaction (`accounts.service.next_version`: UPDATE … SET sync_version = sync_version + 1
RETURNING) and stamps the record's `version` with it. A pull returns the records whose version
is above the cursor, in version order, and the new cursor is the last version it returned.

Why this never skips a row that commits late, where a global sequence or an `updated_at`
cursor does: with a sequence, writer A takes 7, writer B takes 8 and commits first; a reader
sees 8, moves its cursor to 8 and never sees 7 when A commits. Here the UPDATE of the user row
takes that row's lock (PostgreSQL) or the database's single write lock (SQLite) and holds it
until commit, so a second writer of the same person waits until the first has committed before
it can take a number. One person's change numbers therefore commit in increasing order: when a
reader's snapshot holds version n, it holds every version below n that will ever exist. Each
pull reads its keys with ONE statement (a UNION ALL over the entity tables), which is one
snapshot on both databases; the rows are then read by version range and any row that moved on
since (rewritten with a larger number, or purged) ends the page early, so a page never mixes
two snapshots. Different people never share a counter, so their writes never wait on each
other. (This is Replicache's per-space version design.) The cursor is opaque to clients
(base64 of "v1:<n>") and survives restarts because it is just a number in the database.

Conflict policy (docs/sync.md, "Conflicts")
-------------------------------------------
An operation carries `base_version`, the version of the record the device last saw. It is
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
`duplicate` with the first answer and writes nothing. The batch commits once, at the end of the
request; a crash before that commit leaves nothing, and the client retries the same op_ids.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
import uuid
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace
from typing import Any, cast

import orjson
from sqlalchemy import Integer, Select, bindparam, delete, insert, select, union_all
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, SessionTransaction

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core import cursor as cursors
from fortify.core.db import utcnow
from fortify.core.errors import (
    PROBLEM_BASE,
    Conflict,
    FortifyError,
    Gone,
    InvalidInput,
    NotFound,
    database_unavailable,
)
from fortify.core.schema import MAX_JSON_DEPTH, json_too_deep
from fortify.sync.entities import ENTITIES, BatchEditable, BulkCreatable, State, SyncEntity
from fortify.sync.models import SyncConflict, SyncHorizon, SyncOp
from fortify.sync.schemas import ConflictRead, Operation, OpResult, Record

# Tombstones (and the answers kept for retries) live at least this long; a cursor older than
# the newest purged tombstone gets 410 and the client pulls from scratch.
RETENTION = dt.timedelta(days=90)
WHOLE_RECORD = "*"
_log = logging.getLogger("fortify.sync")


class CursorExpired(Gone):
    code, title = "cursor_expired", "Pull from the start"


# --- The cursor -------------------------------------------------------------------------------


def encode_cursor(version: int) -> str:
    return cursors.encode(f"v1:{version}")


_parse_version = cursors.parse_bounded_int(0, 2**63 - 1)  # a BIGINT


def _parse_cursor(raw: str) -> int:
    prefix, number = raw.split(":")
    if prefix != "v1":
        raise ValueError("unknown cursor version")
    return _parse_version(number)


def decode_cursor(cursor: str | None) -> int:
    return cursors.decode(cursor, _parse_cursor) if cursor else 0


# --- Records --------------------------------------------------------------------------------


def record(entity: SyncEntity, entity_id: uuid.UUID, state: State) -> dict[str, Any]:
    """A record as it travels (pull pages, conflict answers): JSON-ready."""
    return {
        "entity": entity.name,
        "id": str(entity_id),
        "version": state.version,
        "deleted": state.deleted,
        "fields": state.fields,
    }


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
    op_ids = {op.op_id for op in operations}
    if op_ids:
        stmt = select(SyncOp.op_id, SyncOp.result).where(
            SyncOp.user_id == user.id, SyncOp.op_id.in_(op_ids)
        )
        answered = {op_id: result for op_id, result in session.execute(stmt)}
    handles = _load_handles(session, user, operations, answered)
    batch = _Batch(user, device_id, handles, answered=answered)
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
            batch.results.append(
                OpResult(op_id=op.op_id, status="duplicate", original=batch.answered[op.op_id])
            )
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
            "created_at": utcnow(),
        }
    )


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
    for result in batch.results[run.at_result :]:
        if result.status != "duplicate":  # an op_id first answered in the run
            del batch.answered[result.op_id]
    for version in list(batch.written_here)[run.at_written :]:  # (dicts keep insertion order)
        del batch.written_here[version]
    del batch.results[run.at_result :]
    del batch.stored[run.at_stored :]
    for op in run.ops:
        if op.op_id in batch.answered:
            batch.results.append(
                OpResult(op_id=op.op_id, status="duplicate", original=batch.answered[op.op_id])
            )
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
    if current.deleted and not entity.revivable:
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
    row = SyncConflict(
        id=uuid.uuid4(),
        user_id=batch.user.id,
        entity=entity.name,
        entity_id=entity_id,
        field=field_name,
        losing_value=losing,
        winning_value=winning,
        losing_device=losing_device,
        winning_device=winning_device if winning_device is not None else batch.device_id,
        created_at=utcnow(),
    )
    session.add(row)
    return ConflictRead.model_validate(row)


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


# --- Pull -----------------------------------------------------------------------------------


def pull(session: Session, user: User, cursor: str | None, limit: int) -> dict[str, Any]:
    """A page of the feed: `{changes, cursor, has_more}`, ready for orjson (ids are UUIDs and
    JSON columns may be `orjson.Fragment`s of the stored text; see `pull_json`)."""
    after = decode_cursor(cursor)
    if after == user.sync_version:
        # Nothing new: the phones' most frequent request. The counter was read with the person
        # in this request's first statement, so every version up to it is committed and none
        # above it exists yet (a write that commits meanwhile is seen by the next pull).
        return {"changes": [], "cursor": encode_cursor(after), "has_more": False}
    if after:
        horizon = session.get(SyncHorizon, user.id)
        if horizon is not None and after < horizon.min_valid_version:
            raise CursorExpired(
                "Deleted records older than this cursor were purged; pull again from the start "
                "(no cursor) and keep the changes not yet pushed.",
                field="cursor",
                rule="cursor_expired",
            )
        if after > accounts.current_version(session, user.id):
            raise CursorExpired(
                "This cursor is ahead of the server (a restored backup?); pull from the start.",
                field="cursor",
                rule="cursor_ahead",
            )
    # One statement, so one snapshot: every version it returns is committed, and so is every
    # smaller one (see the module docstring).
    keys = session.execute(
        _change_keys_statement(), {"user_id": user.id, "after": after, "limit": limit + 1}
    ).all()
    has_more = len(keys) > limit
    keys = keys[:limit]
    if not keys:
        return {"changes": [], "cursor": encode_cursor(after), "has_more": False}
    upto = int(keys[-1].version)
    states: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for name in {key.entity for key in keys}:
        for change in ENTITIES[name].feed(session, user, after, upto):
            states[(name, change["id"])] = change
    changes: list[dict[str, Any]] = []
    for key in keys:
        found = states.get((key.entity, key.id))
        if found is None or found["version"] != key.version:
            # Rewritten (or purged) after the keys were read: stop here; the next page has it.
            has_more = True
            break
        changes.append(found)
    last = changes[-1]["version"] if changes else after
    return {"changes": changes, "cursor": encode_cursor(last), "has_more": has_more}


@cache
def _change_keys_statement() -> Select[Any]:
    """The keys of a page of changes, every entity's branch in one UNION ALL, built once: the
    person, the cursor and the page size are bound parameters, so a pull neither rebuilds the
    statement nor recomputes its cache key."""
    # The entities' key queries take a person; here the person's id is a parameter.
    person = cast(User, SimpleNamespace(id=bindparam("user_id")))
    after = bindparam("after", type_=Integer)
    limit = bindparam("limit", type_=Integer)
    branches = []
    for entity in ENTITIES.values():
        query = entity.change_keys(person, cast(int, after))
        top = query.order_by(query.selected_columns.version).limit(limit).subquery()
        branches.append(select(top))
    keys = union_all(*branches).subquery()
    return select(keys).order_by(keys.c.version).limit(limit)


def unchanged_pull_json(user: User, cursor: str | None) -> bytes | None:
    """The answer to a pull with nothing new (the cursor is the person's latest version, as read
    with them at sign-in), or None when there may be something: no database needed."""
    after = decode_cursor(cursor)
    if after != user.sync_version:
        return None
    return orjson.dumps({"changes": [], "cursor": encode_cursor(after), "has_more": False})


def pull_json(session: Session, user: User, cursor: str | None, limit: int) -> bytes:
    """`pull` as the response body."""
    return orjson.dumps(pull(session, user, cursor, limit))


# --- Conflicts ------------------------------------------------------------------------------


def list_conflicts(session: Session, user: User, limit: int) -> list[SyncConflict]:
    stmt = (
        select(SyncConflict)
        .where(SyncConflict.user_id == user.id, SyncConflict.resolved_at.is_(None))
        .order_by(SyncConflict.created_at.desc(), SyncConflict.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def _open_conflict(session: Session, user: User, conflict_id: uuid.UUID) -> SyncConflict:
    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None or conflict.user_id != user.id:
        raise NotFound("No conflict with this id.")
    if conflict.resolved_at is not None:
        raise Conflict(
            f"This conflict was {conflict.resolution} already.", field="id", rule="unresolved"
        )
    return conflict


def restore_conflict(session: Session, user: User, conflict_id: uuid.UUID) -> dict[str, Any]:
    """Write the losing value back as a new change (seen by every device's next pull)."""
    conflict = _open_conflict(session, user, conflict_id)
    entity = ENTITIES.get(conflict.entity)
    if entity is None:  # an imported conflict from a newer or damaged export
        raise Conflict(
            f"This conflict is about '{conflict.entity}', which this app does not keep; "
            "dismiss it instead.",
            field="entity",
            rule="known_entity",
        )
    if conflict.field == WHOLE_RECORD and not isinstance(conflict.losing_value, dict | None):
        raise Conflict(
            "This conflict's record is not a set of fields; dismiss it instead.",
            field="losing_value",
            rule="record",
        )
    accounts.lock_changes(session, user.id)
    handle = entity.load(session, user, [conflict.entity_id]).get(conflict.entity_id)
    if conflict.field == WHOLE_RECORD:
        # Brings a deleted record back: the person asked for it, so the tombstone gives way.
        changes = dict(conflict.losing_value or {})
    else:
        if handle is None or entity.state(handle).deleted:
            raise Conflict(
                "The record was deleted since; restore the record first.",
                field="field",
                rule="record_exists",
            )
        changes = {conflict.field: conflict.losing_value}
    handle = entity.upsert(session, user, conflict.entity_id, handle, changes)
    conflict.resolved_at = utcnow()
    conflict.resolution = "restored"
    session.flush()
    return record(entity, conflict.entity_id, entity.state(handle))


def dismiss_conflict(session: Session, user: User, conflict_id: uuid.UUID) -> SyncConflict:
    conflict = _open_conflict(session, user, conflict_id)
    conflict.resolved_at = utcnow()
    conflict.resolution = "dismissed"
    session.flush()
    return conflict


# --- Horizon --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeReport:
    people: int  # people whose horizon moved
    operations: int  # stored answers forgotten
    conflicts: int  # resolved conflicts forgotten


def purge_tombstones(
    session: Session, now: dt.datetime, retention: dt.timedelta = RETENTION
) -> PurgeReport:
    """Delete tombstones (and kept answers, resolved conflicts) older than the retention, and
    move each person's horizon up to the newest version purged."""
    if retention < RETENTION:
        raise InvalidInput(
            f"Tombstones are kept at least {RETENTION.days} days.", field="retention", rule="min"
        )
    cutoff = now - retention
    highest: dict[uuid.UUID, int] = {}
    for entity in ENTITIES.values():
        for user_id, version in entity.purge(session, cutoff).items():
            highest[user_id] = max(version, highest.get(user_id, 0))
    for user_id, version in highest.items():
        horizon = session.get(SyncHorizon, user_id)
        if horizon is None:
            session.add(SyncHorizon(user_id=user_id, min_valid_version=version, purged_at=now))
        else:
            horizon.min_valid_version = max(horizon.min_valid_version, version)
            horizon.purged_at = now
    ops = session.execute(delete(SyncOp).where(SyncOp.created_at < cutoff))
    conflicts = session.execute(
        delete(SyncConflict).where(
            SyncConflict.resolved_at.is_not(None), SyncConflict.resolved_at < cutoff
        )
    )
    session.flush()
    return PurgeReport(
        people=len(highest),
        operations=int(ops.rowcount),  # type: ignore[attr-defined]
        conflicts=int(conflicts.rowcount),  # type: ignore[attr-defined]
    )
