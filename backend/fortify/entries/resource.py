"""The entry-resource pattern: one protocol for every record a person writes by id.

Entries (meals, doses, …), reminders and a person's own foods behave alike: created with a
client id (a phone names a record before the server sees it), a retried create recognised
instead of stored twice, replaced by PUT, changed by PATCH (merged over the stored fields and
validated whole), deleted as a tombstone that carries a change number for sync. So they share
one generic kind, `EntryResource`, the operations below, and one route factory
(`entries.routes.add_entry_routes`), as Polar's benefit registry shares one protocol across
its per-type strategies. A kind says how its record is stored (`find`, `new_row`, `columns`,
`row_fields`, `read_row`) and plugs its rules into four hooks:

- `check(session, user_id, data)`: before anything is written, on every write path (REST,
  sync, import): refuse (InvalidInput naming the field) or complete the fields (a dose's
  snapshot from its regimen item). It must refuse before it changes anything.
- `after_write(session, user, row, now)`: after a create, PUT, PATCH or DELETE through the API
  has been written (the route factory calls it): follow-on work the answer must reflect
  (reminders plan their occurrences; a deleted food leaves favourites and recents). Other
  paths call it where they need the same (the catalog's sync delete of a food); a sync push
  leaves reminder planning to the worker.
- `materialize(session, user, record_id, tombstone)`: a record that exists before it has a row
  (a regimen item's implicit dose reminder) is stored under its id when PUT or PATCH first
  touches it (a kind that does sets `materializes`: the first write then takes the person's
  lock and looks for the row again, so two first writes at once store it once).
- `takes_room(record_id, data)`: whether a record counts toward `per_person` (a regimen item's
  own reminder does not: the items' cap bounds those); an edit that makes an uncounted record
  count is refused at the cap as a create is.
- `on_tombstone(session, user_id, row)`: records of other kinds that belong to this one are
  tombstoned with it, in the same transaction, each with its own change number (a regimen
  item's stored dose reminders). `tombstone` calls it, so every path that deletes (REST, a sync
  push) does the same; it only reads and marks rows, never refuses, and leaves the flush to
  `tombstone`'s caller (a push's run of deletes flushes them together).

**Retries, and what a write-only principal may learn (F4).** A create whose id already holds
the person's live record is a retry: with the `read` scope it is answered 200 with the stored
record when the content is the same, and 409 otherwise. Without `read` (a write-only token) the
answer must not depend on what is stored, or the token could read a record by guessing its
content and watching 200 turn into 409; and it must never be a 200 for a write that was not
done (an outside probe read that as silent loss). So a write-only create of any id that exists
is a 409 naming only the id, whoever holds it and whatever it holds: a retry of a create that
did land hears "exists already", which is what happened. More generally, every answer to a
principal without `read` (a create, a PUT) is `as_sent`: what it sent, completed only by the
kind's `sent_only` (never from stored records, as `check` may: a dose's snapshot), the
record's id and `updated_at` (when this write was made), and no history of the record: its
`version` (the person's change counter, which counts her writes) and `created_at` (when she
first logged it) are null; an outside probe read both from a write-only PUT over her record
(F2). A tombstone or an id held by
someone else is a 409 for everyone; its answer names only the id.
"""

from __future__ import annotations

import datetime as dt
import uuid
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from pydantic import BaseModel
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.accounts.service import confirm_account, hold_person, next_version
from fortify.core.db import insert_new, utcnow
from fortify.core.errors import Conflict, NotFound
from fortify.core.limits import refuse_past
from fortify.core.schema import StrictModel, validated


class EntryResource(ABC):
    """One kind of record written by id. Subclasses set the class attributes and storage."""

    name: str  # the sync entity name (and, for entries, the URL segment)
    label: str  # one record, in words ("meal", "reminder", "food")
    fields: type[StrictModel]  # the write schema (PUT; create without the id)
    patch: type[StrictModel]  # every field optional (PATCH)
    read: type[BaseModel]  # the answer's schema
    # Keys replaced together by a PATCH: sending one drops the others from the stored fields.
    exclusive_groups: tuple[frozenset[str], ...] = ()
    # At most this many live records per person (core/limits.py), or None: (the limit, the
    # records in words, what to remove); `live_count` counts them.
    per_person: ClassVar[tuple[int, str, str] | None] = None
    # Whether `materialize` can store a record that exists without a row (reminders).
    materializes: ClassVar[bool] = False

    @property
    def missing(self) -> str:
        """The 404's detail."""
        return f"No {self.label} with this id."

    # --- storage ---------------------------------------------------------------------------

    @abstractmethod
    def find(self, session: Session, user_id: uuid.UUID, record_id: uuid.UUID) -> Any:
        """The person's row with this id, tombstone or not; None when she has none."""

    def id_taken(self, session: Session, record_id: uuid.UUID) -> bool:
        """Whether someone else holds the id (kinds whose ids are global: foods)."""
        return False

    @abstractmethod
    def new_row(self, user_id: uuid.UUID, record_id: uuid.UUID) -> Any:
        """An empty row, not yet in the session; `write_row` fills and stamps it."""

    @abstractmethod
    def columns(self, data: StrictModel) -> dict[str, Any]:
        """Validated fields as column values."""

    @abstractmethod
    def row_fields(self, row: Any) -> dict[str, Any]:
        """The stored row as its writable fields, JSON-ready (PATCH merges, sync, retries)."""

    @abstractmethod
    def read_row(self, row: Any) -> Any:
        """The row as the API answers it (`read`'s shape)."""

    def live_count(self, session: Session, user_id: uuid.UUID) -> int:
        """How many live records the person holds (kinds with `per_person` only)."""
        raise NotImplementedError

    def takes_room(self, record_id: uuid.UUID, data: Any) -> bool:
        """Whether a live record with this id and these fields (a payload, a row, an imported
        record: read by attribute) counts toward `per_person`. A regimen item's own dose
        reminder does not: it is bounded by the items (docs/api.md, caps)."""
        return True

    # --- hooks -----------------------------------------------------------------------------

    def check(self, session: Session, user_id: uuid.UUID, data: StrictModel) -> StrictModel:
        """Refuse or complete fields before anything is written (see the module's text)."""
        return data

    def sent_only(self, data: StrictModel) -> StrictModel:
        """The fields as sent, completed only from what was sent (never from stored records):
        what a write-only principal's answer shows where `check` completes from stored data
        (a dose's snapshot from its regimen item). Kinds whose `check` only refuses keep this."""
        return data

    def after_write(self, session: Session, user: User, row: Any, now: dt.datetime) -> None:
        """Follow-on work after a write through the API (see the module's text)."""
        return None

    def materialize(
        self, session: Session, user: User, record_id: uuid.UUID, tombstone: Any
    ) -> Any:
        """Store a record that exists without a row under `record_id`; None when none does."""
        return None

    def on_tombstone(self, session: Session, user_id: uuid.UUID, row: Any) -> None:
        """Tombstone the records that belong to `row`, just deleted (see the module's text)."""
        return None


# --- the operations ----------------------------------------------------------------------


def find(session: Session, user_id: uuid.UUID, kind: EntryResource, record_id: uuid.UUID) -> Any:
    """The row, tombstone or not; None when the person has no such id."""
    return kind.find(session, user_id, record_id)


def get_entry(session: Session, user: User, kind: EntryResource, record_id: uuid.UUID) -> Any:
    """The person's live row; NotFound otherwise (another person's id reads as missing)."""
    row = kind.find(session, user.id, record_id)
    if row is None or row.deleted_at is not None:
        raise _missing(session, user, kind)
    return row


def _missing(session: Session, user: User, kind: EntryResource) -> NotFound:
    """The 404 for a record she does not hold; the 401 when it is missing because her whole
    account was deleted since the request signed in (F8): a phone then clears its data."""
    confirm_account(session, user.id)
    return NotFound(kind.missing)


def _stored_or_materialized(
    session: Session, user: User, kind: EntryResource, record_id: uuid.UUID
) -> Any:
    row = kind.find(session, user.id, record_id)
    if row is not None and row.deleted_at is None:
        return row
    if kind.materializes:
        # The first write of a record that exists without a row may race another first write
        # (two devices snoozing one medicine's reminder, or a sync push storing it): both found
        # no row and both inserted, and the second was a 500 (outside probe F3). Her lock, then
        # a second look: the winner's row, committed while this waited, is edited instead.
        hold_person(session, user.id)
        if row is not None:
            session.refresh(row)
        else:
            row = kind.find(session, user.id, record_id)
        if row is not None and row.deleted_at is None:
            return row
    made = kind.materialize(session, user, record_id, row)
    if made is None:
        raise _missing(session, user, kind)
    return made


def write_row(
    session: Session,
    user_id: uuid.UUID,
    kind: EntryResource,
    row: Any,
    data: StrictModel,
    *,
    flush: bool = True,
) -> Any:
    """Apply validated fields to a (new or existing) row and stamp it with the next version.

    Any refusal (InvalidInput from `check`) comes before the row is touched: a sync push
    relies on it to answer `rejected` without a savepoint. `flush=False` leaves the UPDATE to
    the caller's next flush (a push's run of edits is flushed together; see sync.service).
    """
    data = kind.check(session, user_id, data)
    if kind.per_person is not None and _joins_count(kind, row, data):
        refuse_when_full(session, user_id, kind)
    for name, value in kind.columns(data).items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    row.deleted_at = None
    row.version = next_version(session, user_id)
    if flush:
        session.flush()
    return row


def _joins_count(kind: EntryResource, row: Any, data: StrictModel) -> bool:
    """Whether a live stored record the cap did not count will count after this write (a
    regimen item's own reminder edited into another): one more, as a create is."""
    if row.deleted_at is not None or not inspect(row).persistent:
        return False  # a new or revived record: its path counted it (`refuse_when_full`)
    return not kind.takes_room(row.id, row) and kind.takes_room(row.id, data)


def refuse_when_full(
    session: Session,
    user_id: uuid.UUID,
    kind: EntryResource,
    record_id: uuid.UUID | None = None,
    data: Any = None,
) -> None:
    """Before a new record of a capped kind (`per_person`), whatever the path (the REST
    create, a sync upsert, a conflict restored): a 409 `too_many` when she holds the most. Sync
    took these one by one past the cap (outside re-check N3). Given the record's id and fields,
    a record the cap does not count (`takes_room`) is let through."""
    if kind.per_person is None:
        return
    if record_id is not None and not kind.takes_room(record_id, data):
        return
    # Counted under her lock: creates at once cannot each see room for one more.
    hold_person(session, user_id)
    _refuse_past_cap(session, user_id, kind)


def _refuse_past_cap(session: Session, user_id: uuid.UUID, kind: EntryResource) -> None:
    """The count of `refuse_when_full`, for a caller that holds her lock already."""
    if kind.per_person is not None:
        limit, what, remove = kind.per_person
        refuse_past(kind.live_count(session, user_id), limit, what, remove)


def create_entry(
    session: Session,
    user: User,
    kind: EntryResource,
    data: StrictModel,
    record_id: uuid.UUID | None,
    *,
    can_read: bool = True,
) -> tuple[Any, bool]:
    """Create the record; returns (row, created). A retry of the same create is not an error
    for a principal that may read; without `can_read` any id that exists is a 409 (the
    module's text, F4)."""
    record_id = record_id or uuid.uuid4()
    existing = kind.find(session, user.id, record_id)
    if existing is None and kind.per_person is not None:
        # Her lock before the count, and a second look: an original this create retries may
        # have committed while it waited, and it is then answered as a retry, not refused as
        # one too many (an outside re-check: retries racing their original at the cap).
        hold_person(session, user.id)
        existing = kind.find(session, user.id, record_id)
    if existing is None and not kind.id_taken(session, record_id):
        if kind.takes_room(record_id, data):
            _refuse_past_cap(session, user.id, kind)  # her lock is held above for a capped kind
        row = kind.new_row(user.id, record_id)
        write_row(session, user.id, kind, row, data, flush=False)  # not yet in the session
        if insert_new(session, row):
            return row, True
    if existing is None:
        # The same id committed while this request ran (a retry racing its original: the
        # insert was refused, or `id_taken` saw it commit after `find` looked), or another's.
        existing = kind.find(session, user.id, record_id)
    if (
        can_read
        and existing is not None
        and existing.deleted_at is None
        and same_content(session, user.id, kind, existing, data)
    ):
        return existing, False
    # The same answer whoever holds the id and whatever it holds: it names only the id.
    raise Conflict(
        f"A {kind.label} with this id exists already (if this repeats a create of yours, that "
        "create was saved); change it with PUT or PATCH.",
        field="id",
        rule="unique",
    )


def as_sent(kind: EntryResource, user_id: uuid.UUID, stored: Any, data: StrictModel) -> Any:
    """A detached row holding what was sent (completed by `sent_only`, never from stored
    records) with the stored row's id and the time of this write, and no history (version and
    created_at null): the answer to a principal that may not read (the module's text, F2/F4).
    `data` is what the request sent, before `check`."""
    row = kind.new_row(user_id, stored.id)
    for name, value in kind.columns(kind.sent_only(data)).items():
        setattr(row, name, value)
    row.updated_at = stored.updated_at  # this write's own time
    row.version = row.created_at = None
    return row


def same_content(
    session: Session, user_id: uuid.UUID, kind: EntryResource, row: Any, data: StrictModel
) -> bool:
    stored = kind.fields.model_validate(kind.row_fields(row))
    return stored == kind.check(session, user_id, data)


def replace_entry(
    session: Session, user: User, kind: EntryResource, record_id: uuid.UUID, data: StrictModel
) -> Any:
    row = _stored_or_materialized(session, user, kind, record_id)
    return write_row(session, user.id, kind, row, data)


def patch_entry(
    session: Session,
    user: User,
    kind: EntryResource,
    record_id: uuid.UUID,
    changes: dict[str, Any],
) -> Any:
    """Lay `changes` (JSON-ready, only the fields sent) over the stored fields and write."""
    row = _stored_or_materialized(session, user, kind, record_id)
    return write_row(session, user.id, kind, row, merged_fields(kind, row, changes))


def merged_fields(kind: EntryResource, row: Any, changes: dict[str, Any]) -> StrictModel:
    """The row's fields with `changes` laid over them (PATCH and sync merges), validated whole.

    Raises InvalidInput naming the first failing field, so a merge can never store a row that a
    PUT would refuse. Keys of one exclusive group (weight_kg/weight_lb) are replaced together.
    """
    merged = kind.row_fields(row)
    for group in kind.exclusive_groups:
        if group & changes.keys():
            for key in group:
                merged.pop(key, None)
    merged.update(changes)
    return validated(kind.fields, merged)


def delete_entry(session: Session, user: User, kind: EntryResource, record_id: uuid.UUID) -> Any:
    row = get_entry(session, user, kind, record_id)
    tombstone(session, user.id, kind, row)
    return row


def tombstone(
    session: Session, user_id: uuid.UUID, kind: EntryResource, row: Any, *, flush: bool = True
) -> None:
    """Make the row a tombstone with the next version, and the records that belong to it
    (`kind.on_tombstone`) after it (`flush=False`: see `write_row`)."""
    row.deleted_at = utcnow()
    row.updated_at = row.deleted_at
    row.version = next_version(session, user_id)
    kind.on_tombstone(session, user_id, row)
    if flush:
        session.flush()
