"""The syncable entities: one small adapter per kind of record, behind one protocol.

The push, pull, conflict and purge code in `service.py` never names a table; it asks an
adapter. An adapter works on "handles": whatever object holds one record (an entry row, the
user row for the profile). Adding an entity (custom foods, favourites, reminders) is one class
here and one line in `ENTITIES`; it must keep the two rules the change feed rests on:

- every write stamps the record with `accounts.service.next_version` inside the transaction;
- a delete leaves a tombstone with that version (`purge` removes it after the retention).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import ValidationError
from sqlalchemy import Select
from sqlalchemy.orm import Session

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.accounts.schemas import ProfileUpdate
from fortify.core.errors import InvalidInput, validation_errors
from fortify.entries import service as entries
from fortify.entries.kinds import KINDS, EntryKind
from fortify.reminders import service as reminders
from fortify.reminders.schemas import ReminderFields


@dataclass(frozen=True)
class State:
    """A record as sync sees it: `fields` is JSON-ready, None for a tombstone."""

    version: int
    deleted: bool
    fields: dict[str, Any] | None


class SyncEntity(Protocol):
    name: str
    # Fields whose lost value is not worth a conflict when it was null (one of a pair such as
    # weight_kg/weight_lb: the other one carries the value that was really overwritten).
    paired_fields: frozenset[str]

    def load(
        self, session: Session, user: User, ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, Any]:
        """Handles of the existing records (tombstones too) among `ids`."""
        ...

    def state(self, handle: Any) -> State: ...

    def upsert(
        self,
        session: Session,
        user: User,
        entity_id: uuid.UUID,
        handle: Any | None,
        changes: dict[str, Any],
    ) -> Any:
        """Lay `changes` over the record (all fields when it is new), validate, write; raises
        InvalidInput naming the field. Returns the handle."""
        ...

    def delete(self, session: Session, user: User, handle: Any) -> Any:
        """Make the record a tombstone (or raise InvalidInput when it cannot be deleted)."""
        ...

    def change_keys(self, user: User, after: int) -> Select[int, str, uuid.UUID]:
        """A query of (version, entity, id) for the records written after change `after`."""
        ...

    def changed(self, session: Session, user: User, after: int, upto: int) -> list[Any]:
        """Handles of the records whose last write is in (after, upto]."""
        ...

    def purge(self, session: Session, cutoff: dt.datetime) -> dict[uuid.UUID, int]:
        """Delete tombstones older than `cutoff`; each person's largest purged version."""
        ...


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in fields.items()}


class EntryEntity:
    """Any entry kind of the registry (`fortify.entries.kinds.KINDS`), by its name."""

    def __init__(self, kind: EntryKind) -> None:
        self.kind = kind
        self.name = kind.name
        self.paired_fields = frozenset().union(*kind.exclusive_groups)

    def load(
        self, session: Session, user: User, ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, Any]:
        return entries.rows_by_id(session, user.id, self.kind, ids)

    def state(self, handle: Any) -> State:
        if handle.deleted_at is not None:
            return State(handle.version, True, None)
        return State(handle.version, False, _jsonable(self.kind.row_fields(handle)))

    def upsert(
        self,
        session: Session,
        user: User,
        entity_id: uuid.UUID,
        handle: Any | None,
        changes: dict[str, Any],
    ) -> Any:
        if handle is None:
            data = entries.validated(self.kind, changes)
            handle = entries.new_row(session, user.id, self.kind, entity_id)
        else:
            data = entries.merged_fields(self.kind, handle, changes)
        return entries.write_row(session, user.id, self.kind, handle, data)

    def delete(self, session: Session, user: User, handle: Any) -> Any:
        entries.tombstone(session, user.id, handle)
        return handle

    def change_keys(self, user: User, after: int) -> Select[int, str, uuid.UUID]:
        return entries.change_keys(self.kind, user.id, after)

    def changed(self, session: Session, user: User, after: int, upto: int) -> list[Any]:
        return entries.changed_rows(session, user.id, self.kind, after, upto)

    def purge(self, session: Session, cutoff: dt.datetime) -> dict[uuid.UUID, int]:
        return entries.purge_tombstones(session, self.kind, cutoff)


class ReminderEntity(EntryEntity):
    """Reminders (`fortify.reminders`): an entry table, plus the rule that a dose reminder's
    regimen item must be the person's."""

    def upsert(
        self,
        session: Session,
        user: User,
        entity_id: uuid.UUID,
        handle: Any | None,
        changes: dict[str, Any],
    ) -> Any:
        if handle is None:
            data = entries.validated(self.kind, changes)
        else:
            data = entries.merged_fields(self.kind, handle, changes)
        assert isinstance(data, ReminderFields)
        reminders.check_fields(session, user.id, data)
        return super().upsert(session, user, entity_id, handle, changes)


class ProfileEntity:
    """The person's profile: one record whose id is the person's id; upsert only."""

    name = "profile"
    paired_fields: frozenset[str] = frozenset()

    def load(
        self, session: Session, user: User, ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, Any]:
        return {user.id: user} if user.id in ids else {}

    def state(self, handle: Any) -> State:
        return State(handle.profile_version, False, accounts.profile_fields(handle))

    def upsert(
        self,
        session: Session,
        user: User,
        entity_id: uuid.UUID,
        handle: Any | None,
        changes: dict[str, Any],
    ) -> Any:
        if entity_id != user.id:
            raise InvalidInput(
                "The profile's id is the person's id.", field="id", rule="own_profile"
            )
        try:
            data = ProfileUpdate.model_validate(changes)
        except ValidationError as exc:
            first = validation_errors(exc.errors())[0]
            raise InvalidInput(first["detail"], field=first["field"], rule=first["rule"]) from exc
        return accounts.update_profile(session, user, data)

    def delete(self, session: Session, user: User, handle: Any) -> Any:
        raise InvalidInput("The profile cannot be deleted.", field="kind", rule="not_deletable")

    def change_keys(self, user: User, after: int) -> Select[int, str, uuid.UUID]:
        return accounts.profile_change_keys(user.id, after)

    def changed(self, session: Session, user: User, after: int, upto: int) -> list[Any]:
        session.refresh(user)  # read in this request's first statement; may be older
        return [user] if after < user.profile_version <= upto else []

    def purge(self, session: Session, cutoff: dt.datetime) -> dict[uuid.UUID, int]:
        return {}


ENTITIES: dict[str, SyncEntity] = {
    **{name: EntryEntity(kind) for name, kind in KINDS.items()},
    "reminders": ReminderEntity(reminders.REMINDERS),
    "profile": ProfileEntity(),
}
