"""The export document's sections: how each one is read out of an account and written back.

A section is a small object with four duties: `export` (the person's records, JSON-ready),
`holds` (does the account have any, so an import can refuse a non-empty account), `check`
(cross-record rules that a single record's schema cannot see, run for every section before
anything is written) and `write`. The export, the import and account deletion walk `SECTIONS`
in order; a new domain (reminders) plugs in by adding one object.

Ids: entry ids are scoped per person (the key is (user_id, id)), so an import keeps them and a
report of the new account names the same ids. Custom foods and sync conflicts have global keys:
an id already taken on this server (the round trip into a second account on the same server)
gets a new id derived from (new person, old id), and every reference to it (meal items,
favourites, conflicts) follows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.accounts.schemas import ProfileUpdate
from fortify.catalog import service as catalog
from fortify.catalog import transfer as catalog_transfer
from fortify.catalog.schemas import CustomFoodFields
from fortify.core.clock import utcnow
from fortify.core.errors import InvalidInput
from fortify.entries import service as entries
from fortify.entries.kinds import KINDS, EntryKind
from fortify.entries.schemas import DoseFields
from fortify.portability.schemas import ExportDocument
from fortify.reminders import service as reminders_service
from fortify.sync import conflicts as sync_conflicts
from fortify.sync.entities import ENTITIES

BATCH = 2000
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
    accounts.update_profile(ctx.session, ctx.user, data)
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
    for record in ctx.document.custom_foods:
        taken = catalog.food_id_taken(ctx.session, record.id)
        ctx.food_ids[record.id] = (
            uuid.uuid5(IMPORT_NAMESPACE, f"{ctx.user.id}:{record.id}") if taken else record.id
        )


def _write_custom_foods(ctx: ImportContext) -> int:
    for record in ctx.document.custom_foods:
        data = CustomFoodFields.model_validate(record.model_dump(exclude={"id", "created_at"}))
        food, _ = catalog.create_custom_food(ctx.session, ctx.user, data, ctx.food_ids[record.id])
        food.created_at = record.created_at or ctx.now
    ctx.session.flush()
    return len(ctx.document.custom_foods)


CUSTOM_FOODS = Section(
    "custom_foods",
    _export_custom_foods,
    catalog_transfer.holds_custom_foods,
    _write_custom_foods,
    _check_custom_foods,
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
        if kind.name == "doses":
            _check_doses(ctx, records)
        elif kind.name == "meals":
            _check_meal_foods(ctx, records)
        elif kind.name == "reminders":
            _check_reminders(ctx, records)

    def write(ctx: ImportContext) -> int:
        records: list[Any] = getattr(ctx.document, kind.name)
        if not records:
            return 0
        first = _reserve_versions(ctx, len(records))
        # Rows are made a batch at a time: all of a section's rows at once (93,676 meals)
        # doubled what the validated document already holds.
        for start in range(0, len(records), BATCH):
            rows = []
            for n, record in enumerate(records[start : start + BATCH], start):
                data: Any = record
                if kind.name == "meals":
                    data = _with_new_food_refs(ctx, record)
                elif kind.name == "doses" and not _complete(record):
                    data = entries.prepare(ctx.session, ctx.user.id, kind, record)
                rows.append(
                    {
                        "user_id": ctx.user.id,
                        "id": record.id,
                        "created_at": record.created_at or ctx.now,
                        "updated_at": ctx.now,
                        "version": first + n,
                    }
                    | kind.columns(data)
                )
            ctx.session.execute(insert(model), rows)
        return len(records)

    return Section(kind.name, export, holds, write, check)


def _reserve_versions(ctx: ImportContext, count: int) -> int:
    """Take `count` change numbers in one statement (as `next_version` does one); returns the
    first. The rows of a section need not be ordered among themselves, only after what the
    person had, which an empty account makes trivially true."""
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


def _write_favourites(ctx: ImportContext) -> int:
    rows = {
        ctx.food_ids.get(f.food_id, f.food_id): f.created_at or ctx.now
        for f in ctx.document.favourites
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
    return len(rows)


FAVOURITES = Section(
    "favourites",
    _export_favourites,
    catalog_transfer.holds_favourites,
    _write_favourites,
    _check_favourites,
)


# --- sync conflicts --------------------------------------------------------------------------


def _export_conflicts(session: Session, user: User) -> list[dict[str, Any]]:
    return [
        jsonable({"id": c.id} | {name: getattr(c, name) for name in sync_conflicts.CONFLICT_FIELDS})
        for c in sync_conflicts.export_conflicts(session, user)
    ]


def _write_conflicts(ctx: ImportContext) -> int:
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
        new_id = uuid.uuid5(IMPORT_NAMESPACE, f"{ctx.user.id}:{c.id}")
        rows.append({"id": new_id, "user_id": ctx.user.id} | values)
    sync_conflicts.import_conflicts(ctx.session, rows)
    return len(rows)


CONFLICTS = Section(
    "conflicts",
    _export_conflicts,
    sync_conflicts.holds_conflicts,
    _write_conflicts,
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
)
