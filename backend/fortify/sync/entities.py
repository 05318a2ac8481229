"""The syncable entities: one small adapter per kind of record, behind one protocol.

The push, pull, conflict and purge code in `service.py` never names a table; it asks an
adapter. An adapter works on "handles": whatever object holds one record (an entry row, the
user row for the profile, a food, a favourite). Adding an entity is one class here and one
line in `ENTITIES`; it must keep the two rules the change feed rests on:

- every write stamps the record with `accounts.service.next_version` inside the transaction;
- a delete leaves a tombstone with that version (`purge` removes it after the retention).
"""

from __future__ import annotations

import datetime as dt
import uuid
from abc import ABC, abstractmethod
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from sqlalchemy import JSON, Select
from sqlalchemy.orm import Session

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.accounts.schemas import ProfileUpdate
from fortify.catalog import service as catalog
from fortify.core.errors import InvalidInput
from fortify.core.schema import StrictModel, validated
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
    # An upsert of a tombstone brings the record back instead of being refused (a favourite:
    # marking a food again is a new fact, not an edit of the removed one).
    revivable: bool
    # Whether new records may be inserted together (`BulkCreatable`).
    bulk_creates: bool
    # Whether edits and deletes may skip their flush (`BatchEditable`).
    batch_edits: bool

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

    def comes_back(self, session: Session, user: User, entity_id: uuid.UUID) -> bool:
        """Whether this tombstone's record exists again without a row (a regimen item's own
        reminder: its default is back), so that an upsert made knowing of no newer stored copy
        stores it again instead of being refused as a `conflict`."""
        ...

    def change_keys(self, user: User, after: int) -> Select[int, str, uuid.UUID]:
        """A query of (version, entity, id) for the records written after change `after`."""
        ...

    def changed(self, session: Session, user: User, after: int, upto: int) -> list[Any]:
        """Handles of the records whose last write is in (after, upto]."""
        ...

    def feed(self, session: Session, user: User, after: int, upto: int) -> list[dict[str, Any]]:
        """The records whose last write is in (after, upto], as a pull sends them: dicts of
        entity, id (a UUID), version, deleted, fields, ready for orjson (`fields` may hold
        `orjson.Fragment`s: JSON passed on as stored)."""
        ...

    def purge(self, session: Session, cutoff: dt.datetime) -> dict[uuid.UUID, int]:
        """Delete tombstones older than `cutoff`; each person's largest purged version."""
        ...


class BulkCreatable(SyncEntity, Protocol):
    """An entity whose new records a push may insert together (one INSERT for many), instead
    of one savepoint and flush each. `create_values` validates and prepares one record without
    writing it (raising InvalidInput like `upsert`); `insert` writes the prepared rows."""

    def bulk_ok(self, fields: dict[str, Any]) -> bool:
        """Whether this create may wait: preparing it writes nothing to the database."""
        ...

    def create_dependencies(self, fields: dict[str, Any]) -> list[tuple[str, uuid.UUID]]:
        """Records (entity, id) that preparing this create reads: written first if pending."""
        ...

    def create_values(
        self, session: Session, user: User, entity_id: uuid.UUID, changes: dict[str, Any]
    ) -> dict[str, Any]: ...

    def insert(self, session: Session, rows: list[dict[str, Any]]) -> None: ...


class BatchEditable(SyncEntity, Protocol):
    """An entity whose edits and deletes of existing records a push may flush together: with
    `flush=False`, `upsert` of an existing record and `delete` change the loaded handle and
    take the version without writing, and any refusal (InvalidInput) is raised before the
    handle or anything else is changed, so a refused operation needs no savepoint. Only a
    refusal by the database at the shared flush does (see sync.push, "Edits in runs")."""

    def upsert(
        self,
        session: Session,
        user: User,
        entity_id: uuid.UUID,
        handle: Any | None,
        changes: dict[str, Any],
        *,
        flush: bool = True,
    ) -> Any: ...

    def delete(self, session: Session, user: User, handle: Any, *, flush: bool = True) -> Any: ...


# Fields a pull sends that no write accepts: a regimen item's creation time, which the PWA's
# engine needs for the item's start (PROTOCOL.md §1) exactly as the server's does, and the
# account's creation time on the profile, which starts the person's first day (days.service.
# first_day: no scores before it, on the phone as on the server). A client that sends one back
# (restoring a record it pulled) has it ignored, never refused.
READ_ONLY_FIELDS: dict[str, tuple[str, ...]] = {
    "regimen": ("created_at",),
    "profile": ("created_at",),
}


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in fields.items()}


class EntryEntity:
    """Any entry kind of the registry (`fortify.entries.kinds.KINDS`), by its name."""

    def __init__(self, kind: EntryKind) -> None:
        self.kind = kind
        self.name = kind.name
        self.paired_fields = frozenset().union(*kind.exclusive_groups)
        self.revivable = False
        # A capped kind's creates are counted one by one (`refuse_when_full` in `upsert`).
        self.bulk_creates = kind.per_person is None
        # Edits only read (the dose's regimen item, the meal's foods) before they change the
        # row, and the meal's recents are written after its last check.
        self.batch_edits = True
        table = kind.model.__table__
        self._json_fields = tuple(
            name
            for name in kind.field_names
            if name in table.c and isinstance(table.c[name].type, JSON)
        )
        self.read_only = READ_ONLY_FIELDS.get(kind.name, ())

    def load(
        self, session: Session, user: User, ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, Any]:
        return entries.rows_by_id(session, user.id, self.kind, ids)

    def state(self, handle: Any) -> State:
        if handle.deleted_at is not None:
            return State(handle.version, True, None)
        fields = _jsonable(self.kind.row_fields(handle))
        return State(handle.version, False, fields | self._read_only(handle))

    def _read_only(self, row: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.read_only:
            value = getattr(row, name)
            out[name] = value.isoformat() if isinstance(value, dt.datetime) else value
        return out

    def writable(self, changes: dict[str, Any]) -> dict[str, Any]:
        if not self.read_only:
            return changes
        return {k: v for k, v in changes.items() if k not in self.read_only}

    def upsert(
        self,
        session: Session,
        user: User,
        entity_id: uuid.UUID,
        handle: Any | None,
        changes: dict[str, Any],
        *,
        flush: bool = True,
    ) -> Any:
        changes = self.writable(changes)
        if handle is None:
            data = validated(self.kind.fields, changes)
        else:
            data = self.merged(session, user, entity_id, handle, changes)
        self.check(session, user, data)
        if handle is None or handle.deleted_at is not None:
            # A new record, or a deleted one brought back (a restored conflict): one more live
            # record either way (an outside re-check grew past the cap by restores).
            entries.refuse_when_full(session, user.id, self.kind, entity_id, data)
        if handle is None:
            handle = entries.new_row(session, user.id, self.kind, entity_id)
        return entries.write_row(session, user.id, self.kind, handle, data, flush=flush)

    def merged(
        self,
        session: Session,
        user: User,
        entity_id: uuid.UUID,
        handle: Any,
        changes: dict[str, Any],
    ) -> StrictModel:
        """`changes` laid over the stored record's fields, validated whole."""
        return entries.merged_fields(self.kind, handle, changes)

    def comes_back(self, session: Session, user: User, entity_id: uuid.UUID) -> bool:
        """Whether an upsert of this tombstone stores the record again (see `SyncEntity`)."""
        return False

    def check(self, session: Session, user: User, data: StrictModel) -> None:
        """Rules beyond the kind's schema, checked before anything is written (none here)."""

    def delete(self, session: Session, user: User, handle: Any, *, flush: bool = True) -> Any:
        entries.tombstone(session, user.id, self.kind, handle, flush=flush)
        return handle

    def change_keys(self, user: User, after: int) -> Select[int, str, uuid.UUID]:
        return entries.change_keys(self.kind, user.id, after)

    def changed(self, session: Session, user: User, after: int, upto: int) -> list[Any]:
        return entries.changed_rows(session, user.id, self.kind, after, upto)

    def feed(self, session: Session, user: User, after: int, upto: int) -> list[dict[str, Any]]:
        # A year of entries: JSON columns travel as stored (no parse, no re-encoding), and
        # UUID values are left to orjson.
        name, kind, json_fields, out = self.name, self.kind, self._json_fields, []
        for row in entries.feed_rows(session, user.id, kind, after, upto):
            fields = None
            if not row.deleted:
                fields = kind.row_fields(row)
                for key in json_fields:
                    raw = fields.get(key)
                    if raw is not None:
                        fields[key] = orjson.Fragment(raw)
                if self.read_only:
                    fields |= self._read_only(row)
            out.append(
                {
                    "entity": name,
                    "id": row.id,
                    "version": row.version,
                    "deleted": bool(row.deleted),
                    "fields": fields,
                }
            )
        return out

    def purge(self, session: Session, cutoff: dt.datetime) -> dict[uuid.UUID, int]:
        return entries.purge_tombstones(session, self.kind, cutoff)

    def bulk_ok(self, fields: dict[str, Any]) -> bool:
        # A meal item naming a food makes the food recent (a write): that meal takes the
        # one-by-one path, whose savepoint covers that write too.
        if self.name != "meals":
            return True
        items = fields.get("items")
        return not (
            isinstance(items, list)
            and any(isinstance(i, dict) and i.get("food_id") is not None for i in items)
        )

    def create_dependencies(self, fields: dict[str, Any]) -> list[tuple[str, uuid.UUID]]:
        item = fields.get("regimen_item_id") if self.name == "doses" else None
        if isinstance(item, str):
            try:
                return [("regimen", uuid.UUID(item))]
            except ValueError:
                return []  # validation names it
        return []

    def create_values(
        self, session: Session, user: User, entity_id: uuid.UUID, changes: dict[str, Any]
    ) -> dict[str, Any]:
        data = validated(self.kind.fields, self.writable(changes))
        return entries.new_row_values(session, user.id, self.kind, entity_id, data)

    def insert(self, session: Session, rows: list[dict[str, Any]]) -> None:
        entries.insert_rows(session, self.kind, rows)


class ReminderEntity(EntryEntity):
    """Reminders (`fortify.reminders`): an entry table, plus the rule that a dose reminder's
    regimen item must be the person's (checked per write, so no bulk creates)."""

    def __init__(self, kind: EntryKind) -> None:
        super().__init__(kind)
        self.bulk_creates = False
        # Reminders stay one by one: they are few, and `check_fields` was not audited for the
        # rule `BatchEditable` needs (refuse before changing anything).
        self.batch_edits = False

    def check(self, session: Session, user: User, data: StrictModel) -> None:
        assert isinstance(data, ReminderFields)
        reminders.check_fields(session, user.id, data)

    def comes_back(self, session: Session, user: User, entity_id: uuid.UUID) -> bool:
        """A regimen item's own reminder whose stored copy was deleted is the item's default
        again (docs/reminders.md): an upsert stores it again, as a REST PATCH does (outside
        probe F5: every sync upsert of it was a `conflict`, so the PWA could not set a
        medicine's days once its stored reminder had been deleted)."""
        return reminders.implicit_default(session, user.id, entity_id) is not None

    def merged(
        self,
        session: Session,
        user: User,
        entity_id: uuid.UUID,
        handle: Any,
        changes: dict[str, Any],
    ) -> StrictModel:
        if handle.deleted_at is not None:
            default = reminders.implicit_default(session, user.id, entity_id)
            if default is not None:
                # Over the default that is back, not over the deleted copy's old fields.
                base = default.model_dump(mode="json")
                return validated(self.kind.fields, base | changes)
        return super().merged(session, user, entity_id, handle, changes)


class _OneByOne(ABC):
    """What the entities that are neither entries nor reminders share: no paired fields, no
    bulk creates or runs of edits, a pull feed built from `changed` and `state` (they have few
    records), nothing to purge (unless they say otherwise)."""

    name: str
    paired_fields: frozenset[str] = frozenset()
    revivable = False
    bulk_creates = False
    batch_edits = False

    @abstractmethod
    def state(self, handle: Any) -> State: ...

    @abstractmethod
    def changed(self, session: Session, user: User, after: int, upto: int) -> list[Any]: ...

    def feed(self, session: Session, user: User, after: int, upto: int) -> list[dict[str, Any]]:
        out = []
        for handle in self.changed(session, user, after, upto):
            state = self.state(handle)
            out.append(
                {
                    "entity": self.name,
                    "id": handle.id,
                    "version": state.version,
                    "deleted": state.deleted,
                    "fields": state.fields,
                }
            )
        return out

    def purge(self, session: Session, cutoff: dt.datetime) -> dict[uuid.UUID, int]:
        return {}

    def comes_back(self, session: Session, user: User, entity_id: uuid.UUID) -> bool:
        return False


class ProfileEntity(_OneByOne):
    """The person's profile: one record whose id is the person's id; upsert only."""

    name = "profile"

    def load(
        self, session: Session, user: User, ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, Any]:
        return {user.id: user} if user.id in ids else {}

    def state(self, handle: Any) -> State:
        created = {"created_at": handle.created_at.isoformat()}
        return State(handle.profile_version, False, accounts.profile_fields(handle) | created)

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
        writable = {k: v for k, v in changes.items() if k not in READ_ONLY_FIELDS["profile"]}
        return accounts.update_profile(session, user, validated(ProfileUpdate, writable))

    def delete(self, session: Session, user: User, handle: Any) -> Any:
        raise InvalidInput("The profile cannot be deleted.", field="kind", rule="not_deletable")

    def change_keys(self, user: User, after: int) -> Select[int, str, uuid.UUID]:
        return accounts.profile_change_keys(user.id, after)

    def changed(self, session: Session, user: User, after: int, upto: int) -> list[Any]:
        session.refresh(user)  # read in this request's first statement; may be older
        return [user] if after < user.profile_version <= upto else []


class CustomFoodEntity(_OneByOne):
    """A person's own foods (`fortify.catalog`): fields are `CustomFoodFields`; the id is the
    food's, global, so an id another food holds is refused (409 `unique`). Tombstones are kept
    (never purged): older meals may name the food."""

    name = "custom_foods"

    def load(
        self, session: Session, user: User, ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, Any]:
        return catalog.own_foods_by_id(session, user.id, ids)

    def state(self, handle: Any) -> State:
        if handle.deleted_at is not None:
            return State(handle.version, True, None)
        return State(handle.version, False, catalog.custom_food_fields(handle))

    def upsert(
        self,
        session: Session,
        user: User,
        entity_id: uuid.UUID,
        handle: Any | None,
        changes: dict[str, Any],
    ) -> Any:
        return catalog.write_custom_food(session, user, entity_id, handle, changes)

    def delete(self, session: Session, user: User, handle: Any) -> Any:
        catalog.tombstone_custom_food(session, user, handle)
        return handle

    def change_keys(self, user: User, after: int) -> Select[int, str, uuid.UUID]:
        return catalog.custom_food_change_keys(user.id, after)

    def changed(self, session: Session, user: User, after: int, upto: int) -> list[Any]:
        return catalog.changed_custom_foods(session, user.id, after, upto)


class FavouriteEntity(_OneByOne):
    """Favourite foods: the id is the food's id, the fields are `{}`. A set, not an edit
    history: an upsert marks the food (again, over a tombstone), a delete unmarks it."""

    name = "favourites"
    revivable = True

    def load(
        self, session: Session, user: User, ids: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, Any]:
        return catalog.favourites_by_food(session, user.id, ids)

    def state(self, handle: Any) -> State:
        return State(
            handle.version, handle.deleted_at is not None, None if handle.deleted_at else {}
        )

    def upsert(
        self,
        session: Session,
        user: User,
        entity_id: uuid.UUID,
        handle: Any | None,
        changes: dict[str, Any],
    ) -> Any:
        if changes:
            name = next(iter(changes))
            raise InvalidInput(
                f"A favourite has no fields ('{name}' is not one); send {{}}.",
                field=name,
                rule="extra_forbidden",
            )
        catalog.check_favourite_food(session, user, entity_id)
        return catalog.write_favourite(session, user, entity_id, handle)

    def delete(self, session: Session, user: User, handle: Any) -> Any:
        catalog.tombstone_favourite(session, user.id, handle)
        return handle

    def change_keys(self, user: User, after: int) -> Select[int, str, uuid.UUID]:
        return catalog.favourite_change_keys(user.id, after)

    def changed(self, session: Session, user: User, after: int, upto: int) -> list[Any]:
        return catalog.changed_favourites(session, user.id, after, upto)

    def purge(self, session: Session, cutoff: dt.datetime) -> dict[uuid.UUID, int]:
        return catalog.purge_favourite_tombstones(session, cutoff)


ENTITIES: dict[str, SyncEntity] = {
    **{name: EntryEntity(kind) for name, kind in KINDS.items()},
    "reminders": ReminderEntity(reminders.REMINDERS),
    "profile": ProfileEntity(),
    "custom_foods": CustomFoodEntity(),
    "favourites": FavouriteEntity(),
}
