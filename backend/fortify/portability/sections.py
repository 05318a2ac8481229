"""The export document's sections: how each one is read out of an account and written back.

A section is a small object with five duties: `export` (the person's records, JSON-ready),
`holds` (does the account have any), `check` (cross-record rules that a single record's schema
cannot see, run for every section before anything is written), `settle` (what the account
already holds: a record of this file stored as the file has it is left alone, any other record
is a 409, also before anything is written) and `write` (the rest, a batch per transaction).

Why `settle`: the import commits a batch at a time (`ImportContext.batch_done`) so that it does
not hold SQLite's one writer for the whole import (200,000 measurements held it 12.9 s, and
other people's writes failed with 503). An import cut short is finished by sending the same
file again: records keep their ids, so the rerun finds those written, leaves them, and writes
the rest; nothing lost, nothing twice. The export, the import and account deletion walk `SECTIONS`
in order; a new domain (reminders) plugs in by adding one object.

Ids: entry ids are scoped per person (the key is (user_id, id)), so an import keeps them and a
report of the new account names the same ids. Custom foods and sync conflicts have global keys:
an id already taken on this server (the round trip into a second account on the same server)
gets a new id derived from (new person, old id), and every reference to it (meal items,
favourites, conflicts) follows.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from fortify.accounts import importlock
from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.accounts.schemas import ProfileUpdate
from fortify.catalog import service as catalog
from fortify.catalog import transfer as catalog_transfer
from fortify.catalog.schemas import CustomFoodFields
from fortify.core.clock import utcnow
from fortify.core.errors import Conflict, InvalidInput
from fortify.entries import service as entries
from fortify.entries.kinds import KINDS, EntryKind
from fortify.entries.resource import EntryResource
from fortify.entries.schemas import DoseFields
from fortify.portability import provenance
from fortify.portability.schemas import ExportDocument
from fortify.reminders import service as reminders_service
from fortify.sync import conflicts as sync_conflicts
from fortify.sync.entities import ENTITIES

BATCH = 2000
# Between two batches on SQLite the import lets go of the writer this long (as the Apple Health
# import does): a writer waiting in SQLite's busy handler checks again every 100 ms.
WRITER_PAUSE_SECONDS = 0.1
#: Namespace of the ids an import gives to custom foods and conflicts whose id is taken.
IMPORT_NAMESPACE = uuid.UUID("0b7c6d1a-93f4-4e5e-8c55-2f1d0d9b7a11")


@dataclass
class ImportContext:
    """What the sections of one import share: the account, the document, the id changes."""

    session: Session
    user: User
    document: ExportDocument
    now: dt.datetime = field(default_factory=utcnow)
    food_ids: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # old → new
    # Commits one batch (None: the caller's one transaction holds the whole import).
    commit: Callable[[], None] | None = None
    # Per section, the keys of the file's records the account holds already, as the file has
    # them (an earlier run of this import): left alone.
    present: dict[str, set[uuid.UUID]] = field(default_factory=dict)
    # Per section, what the file holds that this import leaves as the account has it, counted.
    skipped: dict[str, int] = field(default_factory=dict)

    def batch_done(self) -> None:
        self.session.flush()
        if self.commit is None:
            return
        # Her lock lasts while the import makes progress (accounts/importlock.py).
        importlock.refresh(self.session, self.user.id)
        self.commit()
        if self.session.get_bind().dialect.name == "sqlite":
            time.sleep(WRITER_PAUSE_SECONDS)

    def new_food_ref(self, ref: str | None) -> str | None:
        if ref is None:
            return None
        try:
            old = uuid.UUID(ref)
        except ValueError:
            return ref  # a curated key such as "whole_milk"
        return str(self.food_ids.get(old, old))


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable[[Session, User], list[dict[str, Any]] | dict[str, Any]]
    holds: Callable[[Session, uuid.UUID], bool]
    write: Callable[[ImportContext], int]
    check: Callable[[ImportContext], None] = lambda _ctx: None
    settle: Callable[[ImportContext], None] = lambda _ctx: None


def _not_this_files(what: str) -> Conflict:
    return Conflict(
        f"This account holds {what} that this file does not: import into a new, empty account "
        "(or the account this file's import was cut short in).",
        field="account",
        rule="empty",
    )


def _stored_differs(path: str) -> Conflict:
    return Conflict(
        "This account holds this record already, and not as the file has it (changed or "
        "deleted since): import into a new, empty account.",
        field=path,
        rule="stored_differs",
    )


def jsonable(value: Any) -> Any:
    """Plain JSON values: ids and dates as strings, the rest as it is."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _invalid(path: str, detail: str, rule: str) -> InvalidInput:
    return InvalidInput(detail, field=path, rule=rule)


def _within_cap(section: str, records: Sequence[Any], kind: EntryResource) -> None:
    """A file may not bring more records of a capped kind (core/limits.py) than an account
    may keep: the import inserts in bulk, past the count a create makes (outside re-check N3).
    The file is what the account will hold (the import goes into an empty account, or one
    holding part of this same file)."""
    if kind.per_person is None:
        return
    limit, what, _remove = kind.per_person
    # Counted as the cap counts them: a regimen item's own stored reminder is bounded by the
    # items (their own cap), not among the reminders (`takes_room`).
    count = sum(1 for record in records if kind.takes_room(record.id, record))
    if count > limit:
        raise _invalid(
            section,
            f"This file holds {count} {what}; the most one account may keep is {limit}. "
            "Remove some from the file, then import it again.",
            "too_many",
        )


def _unique_ids(section: str, records: Sequence[Any]) -> set[uuid.UUID]:
    seen: set[uuid.UUID] = set()
    for i, record in enumerate(records):
        if record.id in seen:
            raise _invalid(f"{section}[{i}].id", "This id appears twice in the section.", "unique")
        seen.add(record.id)
    return seen


# --- profile ---------------------------------------------------------------------------------


def _export_profile(session: Session, user: User) -> dict[str, Any]:
    return jsonable(accounts.profile_fields(user))  # type: ignore[no-any-return]


_NOT_NULL = (
    "display_name",
    "time_zone",
    "unit_system",
    "cleared_for_high_impact",
    "on_anticoagulant",
    "osteoporosis",
)


def _check_profile(ctx: ImportContext) -> None:
    profile = ctx.document.profile
    for name in _NOT_NULL:
        if name in profile.model_fields_set and getattr(profile, name) is None:
            raise _invalid(f"profile.{name}", f"{name} cannot be null.", "not_null")


def _write_profile(ctx: ImportContext) -> int:
    profile = ctx.document.profile
    if not profile.model_fields_set:
        return 0
    data = ProfileUpdate.model_validate(profile.model_dump(exclude_unset=True))
    if any(ctx.present.values()):
        # A rerun: the first run wrote the profile before any record. A profile that differs
        # now was changed since (an outside probe put an older file back, and it undid her
        # care team's calcium target and her time zone, saying "profile: 1 imported"): hers
        # stays, and the answer says so.
        sent = data.model_dump(mode="json", exclude_unset=True)
        stored = ProfileUpdate.model_validate(
            {k: v for k, v in accounts.profile_fields(ctx.user).items() if k in sent}
        ).model_dump(mode="json", exclude_unset=True)
        if stored == sent:
            ctx.present["profile"] = {ctx.user.id}
        else:
            ctx.skipped["profile"] = 1
        return 0
    accounts.update_profile(ctx.session, ctx.user, data)
    # Committed by itself: the next section's rows are made before its first write, with
    # SQLite's writer free (`_insert_batches`).
    ctx.batch_done()
    return 1


PROFILE = Section("profile", _export_profile, lambda _s, _u: False, _write_profile, _check_profile)


# --- custom foods ----------------------------------------------------------------------------


def _export_custom_foods(session: Session, user: User) -> list[dict[str, Any]]:
    out = []
    for food in catalog.own_foods(session, user.id):
        fields = CustomFoodFields.model_validate(
            {name: getattr(food, name) for name in CustomFoodFields.model_fields}
        )
        out.append(
            {"id": str(food.id), "created_at": food.created_at.isoformat()}
            | fields.model_dump(mode="json")
        )
    return out


def _check_custom_foods(ctx: ImportContext) -> None:
    _unique_ids("custom_foods", ctx.document.custom_foods)
    _within_cap("custom_foods", ctx.document.custom_foods, catalog.CUSTOM_FOODS)
    own = catalog_transfer.own_food_ids(ctx.session, ctx.user.id)
    taken = catalog_transfer.taken_food_ids(
        ctx.session, [record.id for record in ctx.document.custom_foods]
    )
    for record in ctx.document.custom_foods:
        derived = uuid.uuid5(IMPORT_NAMESPACE, f"{ctx.user.id}:{record.id}")
        if record.id in own or derived in own:  # hers already: an earlier run of this import
            ctx.food_ids[record.id] = record.id if record.id in own else derived
            continue
        ctx.food_ids[record.id] = derived if record.id in taken else record.id


def _food_fields(record: Any) -> CustomFoodFields:
    return CustomFoodFields.model_validate(record.model_dump(exclude={"id", "created_at"}))


def _settle_custom_foods(ctx: ImportContext) -> None:
    own = catalog_transfer.own_food_ids(ctx.session, ctx.user.id)
    if not own:
        return
    if own - set(ctx.food_ids.values()):
        raise _not_this_files("foods")
    stored = catalog.own_foods_by_id(ctx.session, ctx.user.id, own)
    present = ctx.present.setdefault("custom_foods", set())
    for i, record in enumerate(ctx.document.custom_foods):
        food = stored.get(ctx.food_ids[record.id])
        if food is None:
            continue
        fields = CustomFoodFields.model_validate(
            {name: getattr(food, name) for name in CustomFoodFields.model_fields}
        )
        if food.deleted_at is not None or fields != _food_fields(record):
            raise _stored_differs(f"custom_foods[{i}]")
        present.add(record.id)


def _write_custom_foods(ctx: ImportContext) -> int:
    """Inserted in bulk, a batch per transaction, as the entries are: `check` has found each
    food's id (its own, or one derived from it when the id is taken) and the file within the
    cap, and `settle` what an earlier run wrote. (A create per food, with its lookups, its
    count against the cap and its change number, held SQLite's writer 54 s for 5,000 foods,
    and other people's writes failed with 503.)"""
    present = ctx.present.get("custom_foods", set())
    return _insert_batches(
        ctx,
        [r for r in ctx.document.custom_foods if r.id not in present],
        lambda record: catalog_transfer.custom_food_row(
            ctx.user.id,
            ctx.food_ids[record.id],
            _food_fields(record),
            created_at=record.created_at or ctx.now,
            updated_at=ctx.now,
        ),
        lambda rows: catalog_transfer.insert_custom_foods(ctx.session, rows),
    )


def _insert_batches(
    ctx: ImportContext,
    records: Sequence[Any],
    row: Callable[[Any], dict[str, Any]],
    insert_rows: Callable[[list[dict[str, Any]]], object],
) -> int:
    """Write `records` a batch per transaction, each batch in one INSERT; returns the count.

    A batch's rows are made (validated, converted, a food's search text stemmed) before its
    transaction takes a change number: on SQLite that UPDATE takes the one writer, which is
    then held only for the INSERT and the commit (about 0.2 s for 2,000 rows), not for the
    seconds of Python that make the rows; other people's writes wait that long at most. Rows
    are made a batch at a time: all of a section's rows at once (93,676 meals) doubled what
    the validated document already holds."""
    for start in range(0, len(records), BATCH):
        rows = [row(record) for record in records[start : start + BATCH]]
        first = _reserve_versions(ctx, len(rows))
        for n, values in enumerate(rows):
            values["version"] = first + n
        insert_rows(rows)
        ctx.batch_done()
    return len(records)


CUSTOM_FOODS = Section(
    "custom_foods",
    _export_custom_foods,
    catalog_transfer.holds_custom_foods,
    _write_custom_foods,
    _check_custom_foods,
    _settle_custom_foods,
)


# --- entries (one section per kind) ----------------------------------------------------------


def _entry_section(kind: EntryKind) -> Section:
    model = kind.model

    def export(session: Session, user: User) -> list[dict[str, Any]]:
        stmt = (
            select(model)
            .where(model.user_id == user.id, model.deleted_at.is_(None))
            .order_by(model.created_at, model.id)
        )
        return [
            {"id": str(row.id), "created_at": row.created_at.isoformat()}
            | jsonable(kind.row_fields(row))
            for row in session.scalars(stmt)
        ]

    def holds(session: Session, user_id: uuid.UUID) -> bool:
        # Tombstones count: their ids would collide with the imported ones.
        return bool(session.scalar(select(exists().where(model.user_id == user_id))))

    def check(ctx: ImportContext) -> None:
        records = getattr(ctx.document, kind.name)
        _unique_ids(kind.name, records)
        _within_cap(kind.name, records, kind)
        if kind.name == "doses":
            _check_doses(ctx, records)
        elif kind.name == "meals":
            _check_meal_foods(ctx, records)
        elif kind.name == "reminders":
            _check_reminders(ctx, records)

    def settle(ctx: ImportContext) -> None:
        stored = set(ctx.session.scalars(select(model.id).where(model.user_id == ctx.user.id)))
        if not stored:
            return
        records: list[Any] = getattr(ctx.document, kind.name)
        at = {record.id: i for i, record in enumerate(records)}
        if any(row_id not in at for row_id in stored):  # tombstones too: not the file's
            raise _not_this_files(kind.label + " records")
        present = ctx.present.setdefault(kind.name, set())
        ids = sorted(stored)
        for start in range(0, len(ids), BATCH):
            rows = entries.rows_by_id(ctx.session, ctx.user.id, kind, ids[start : start + BATCH])
            for row_id, row in rows.items():
                i = at[row_id]
                data = _entry_data(ctx, kind, records[i])
                if row.deleted_at is not None or not _same_fields(kind, row, data):
                    raise _stored_differs(f"{kind.name}[{i}]")
                present.add(row_id)

    def write(ctx: ImportContext) -> int:
        present = ctx.present.get(kind.name, set())
        return _insert_batches(
            ctx,
            [r for r in getattr(ctx.document, kind.name) if r.id not in present],
            lambda record: (
                {
                    "user_id": ctx.user.id,
                    "id": record.id,
                    "created_at": record.created_at or ctx.now,
                    "updated_at": ctx.now,
                }
                | kind.columns(_entry_data(ctx, kind, record))
            ),
            lambda rows: ctx.session.execute(insert(model), rows),
        )

    return Section(kind.name, export, holds, write, check, settle)


def _same_fields(kind: EntryKind, row: Any, data: Any) -> bool:
    """Does the stored row hold `data` (an import record, its bookkeeping aside)?"""
    fields = kind.fields
    stored = fields.model_validate(kind.row_fields(row))
    return stored == fields.model_validate(data.model_dump(include=set(fields.model_fields)))


def _entry_data(ctx: ImportContext, kind: EntryKind, record: Any) -> Any:
    """The record as it is stored: a meal naming the foods' ids in this account, a dose of a
    regimen item completed with the item's snapshot."""
    if kind.name == "meals":
        return _with_new_food_refs(ctx, record)
    if kind.name == "doses" and not _complete(record):
        return entries.prepare(ctx.session, ctx.user.id, kind, record)
    return record


def _reserve_versions(ctx: ImportContext, count: int) -> int:
    """Take `count` change numbers in one statement (as `next_version` does one); returns the
    first. The rows of a batch need not be ordered among themselves, only after what the
    person had, which taking them in the batch's own transaction makes true."""
    return accounts.take_versions(ctx.session, ctx.user.id, count)


def _complete(dose: DoseFields) -> bool:
    return dose.kind is not None and dose.nutrients is not None and dose.servings is not None


def _check_doses(ctx: ImportContext, records: Sequence[Any]) -> None:
    regimen = {r.id for r in ctx.document.regimen}
    for i, dose in enumerate(records):
        if dose.regimen_item_id is None or dose.regimen_item_id in regimen:
            continue
        # A dose of an item deleted since keeps its snapshot and needs no item; one without a
        # full snapshot would have to be completed from an item the document does not hold.
        if not _complete(dose):
            raise _invalid(
                f"doses[{i}].regimen_item_id",
                "No regimen item with this id in the document.",
                "exists",
            )


def _check_meal_foods(ctx: ImportContext, records: Sequence[Any]) -> None:
    """Every meal item's food must be one of the document's own foods or a catalog food of
    this server (curated or USDA), checked in one query."""
    own = set(ctx.food_ids)
    wanted: dict[uuid.UUID, str] = {}
    for i, meal in enumerate(records):
        for j, item in enumerate(meal.items):
            if item.food_id is None:
                continue
            resolved = catalog.resolve_food_ref(item.food_id)
            path = f"meals[{i}].items[{j}].food_id"
            if resolved is None:
                raise _invalid(path, "No food with this id on this server.", "exists")
            if resolved not in own:
                wanted.setdefault(resolved, path)
    found = catalog.foods_by_id(ctx.session, list(wanted))
    for food_id, path in wanted.items():
        food = found.get(food_id)
        if food is None or food.source == "user":
            raise _invalid(path, "No food with this id on this server.", "exists")


def _with_new_food_refs(ctx: ImportContext, meal: Any) -> Any:
    if not ctx.food_ids:
        return meal
    items = [
        item.model_copy(update={"food_id": ctx.new_food_ref(item.food_id)}) for item in meal.items
    ]
    return meal.model_copy(update={"items": items})


ENTRY_SECTIONS = tuple(
    _entry_section(KINDS[name])
    for name in ("regimen", "meals", "doses", "workouts", "symptoms", "labs", "measurements")
)


# --- favourites ------------------------------------------------------------------------------


def _export_favourites(session: Session, user: User) -> list[dict[str, Any]]:
    return [
        {"food_id": str(f.food_id), "created_at": f.created_at.isoformat()}
        for f in catalog_transfer.favourites_of(session, user.id)
    ]


def _check_favourites(ctx: ImportContext) -> None:
    favourites = ctx.document.favourites
    public = catalog.foods_by_id(
        ctx.session, [f.food_id for f in favourites if f.food_id not in ctx.food_ids]
    )
    for i, favourite in enumerate(favourites):
        if favourite.food_id in ctx.food_ids:
            continue
        food = public.get(favourite.food_id)
        if food is None or food.source == "user":
            raise _invalid(
                f"favourites[{i}].food_id", "No food with this id on this server.", "exists"
            )


def _settle_favourites(ctx: ImportContext) -> None:
    stored = catalog_transfer.favourite_food_ids(ctx.session, ctx.user.id)
    if not stored:
        return
    wanted = {
        ctx.food_ids.get(f.food_id, f.food_id): i for i, f in enumerate(ctx.document.favourites)
    }
    if any(food_id not in wanted for food_id in stored):
        raise _not_this_files("favourites")
    for food_id, live in stored.items():
        if not live:
            raise _stored_differs(f"favourites[{wanted[food_id]}]")
    ctx.present["favourites"] = set(stored)


def _write_favourites(ctx: ImportContext) -> int:
    present = ctx.present.get("favourites", set())
    rows = {
        ctx.food_ids.get(f.food_id, f.food_id): f.created_at or ctx.now
        for f in ctx.document.favourites
        if ctx.food_ids.get(f.food_id, f.food_id) not in present
    }
    if rows:
        first = _reserve_versions(ctx, len(rows))  # favourites are sync records too
        catalog_transfer.insert_favourites(
            ctx.session,
            [
                {"user_id": ctx.user.id, "food_id": k, "created_at": v, "version": first + n}
                for n, (k, v) in enumerate(rows.items())
            ],
        )
    ctx.batch_done()
    return len(rows)


FAVOURITES = Section(
    "favourites",
    _export_favourites,
    catalog_transfer.holds_favourites,
    _write_favourites,
    _check_favourites,
    _settle_favourites,
)


# --- sync conflicts --------------------------------------------------------------------------


def _export_conflicts(session: Session, user: User) -> list[dict[str, Any]]:
    return [
        jsonable({"id": c.id} | {name: getattr(c, name) for name in sync_conflicts.CONFLICT_FIELDS})
        for c in sync_conflicts.export_conflicts(session, user)
    ]


def _conflict_id(ctx: ImportContext, old: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(IMPORT_NAMESPACE, f"{ctx.user.id}:{old}")


def _settle_conflicts(ctx: ImportContext) -> None:
    stored = sync_conflicts.conflict_ids(ctx.session, ctx.user.id)
    if stored - {_conflict_id(ctx, c.id) for c in ctx.document.conflicts}:
        raise _not_this_files("sync conflicts")
    ctx.present["conflicts"] = stored


def _write_conflicts(ctx: ImportContext) -> int:
    present = ctx.present.get("conflicts", set())
    rows = []
    for i, c in enumerate(ctx.document.conflicts):
        if c.entity not in ENTITIES:  # it could never be restored (that was a 500)
            raise InvalidInput(
                f"Unknown entity '{c.entity}'.", field=f"conflicts[{i}].entity", rule="known_entity"
            )
        values = c.model_dump(include=set(sync_conflicts.CONFLICT_FIELDS))
        if c.entity == "profile":
            values["entity_id"] = ctx.user.id  # the profile's id is the person's
        else:
            values["entity_id"] = ctx.food_ids.get(c.entity_id, c.entity_id)
        new_id = _conflict_id(ctx, c.id)
        if new_id not in present:
            rows.append({"id": new_id, "user_id": ctx.user.id} | values)
    sync_conflicts.import_conflicts(ctx.session, rows)
    ctx.batch_done()
    return len(rows)


CONFLICTS = Section(
    "conflicts",
    _export_conflicts,
    sync_conflicts.holds_conflicts,
    _write_conflicts,
    settle=_settle_conflicts,
)


# --- Apple Health provenance (provenance.py) -----------------------------------------------


def _write_apple_health(ctx: ImportContext) -> int:
    """Keeps what the file says of its Apple Health entries; counts 0: no record is written
    (what the account holds already, an earlier run's, is left alone)."""
    said = ctx.document.apple_health
    provenance.keep(
        ctx.session, ctx.user.id, said.accounts, {k: list(v) for k, v in said.deleted.items()}
    )
    ctx.batch_done()
    return 0


APPLE_HEALTH = Section(
    "apple_health",
    lambda session, user: provenance.export(session, user),
    provenance.holds,
    _write_apple_health,
)


# --- reminders (an entry table of fortify.reminders) ----------------------------------------


def _check_reminders(ctx: ImportContext, records: Sequence[Any]) -> None:
    regimen = {r.id for r in ctx.document.regimen}
    for i, reminder in enumerate(records):
        if reminder.regimen_item_id is not None and reminder.regimen_item_id not in regimen:
            raise _invalid(
                f"reminders[{i}].regimen_item_id",
                "No regimen item with this id in the document.",
                "exists",
            )


REMINDERS = _entry_section(reminders_service.REMINDERS)


#: Write order: the profile (time zone) first, foods before the meals that name them, the
#: regimen before its doses, favourites after foods.
SECTIONS: tuple[Section, ...] = (
    PROFILE,
    CUSTOM_FOODS,
    *ENTRY_SECTIONS,
    FAVOURITES,
    CONFLICTS,
    REMINDERS,
    APPLE_HEALTH,
)
