"""Create, read, update and delete entries of any kind, always within one person's rows."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Collection
from functools import cache
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (
    JSON,
    Select,
    String,
    Text,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.accounts.service import next_version
from fortify.catalog import service as catalog
from fortify.core import cursor as cursors
from fortify.core.db import insert_new, utcnow
from fortify.core.errors import Conflict, InvalidInput, NotFound, validation_errors
from fortify.core.schema import StrictModel
from fortify.entries import models, schemas
from fortify.entries.kinds import KINDS, EntryKind

MAX_PAGE = 200


def local_day_bounds(
    time_zone: str, first: dt.date, last: dt.date
) -> tuple[dt.datetime, dt.datetime]:
    """UTC instants of the start of `first` and the end of `last`, local days in `time_zone`."""
    zone = zoneinfo.ZoneInfo(time_zone)
    start = dt.datetime.combine(first, dt.time(0), zone).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), zone).astimezone(dt.UTC)
    return start, end


def _encode_cursor(key: dt.datetime, row_id: uuid.UUID) -> str:
    return cursors.encode(f"{key.astimezone(dt.UTC).isoformat()}|{row_id}")


def _parse_cursor(raw: str) -> tuple[dt.datetime, uuid.UUID]:
    key, row_id = raw.split("|")
    return cursors.parse_instant(key), uuid.UUID(row_id)


def list_entries(
    session: Session,
    user: User,
    kind: EntryKind,
    *,
    first: dt.date | None,
    last: dt.date | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Any], str | None]:
    model = kind.model
    order_col = model.at if kind.time_field else model.created_at
    stmt = select(model).where(model.user_id == user.id, model.deleted_at.is_(None))
    if kind.time_field and (first or last):
        if first and last and last < first:
            raise InvalidInput("'to' is before 'from'.", field="to", rule="after_from")
        start, end = local_day_bounds(
            user.time_zone, first or dt.date(1970, 1, 1), last or dt.date(9998, 12, 30)
        )
        stmt = stmt.where(model.at >= start, model.at < end)
    if cursor:
        key, after_id = cursors.decode(cursor, _parse_cursor)
        stmt = stmt.where(or_(order_col > key, and_(order_col == key, model.id > after_id)))
    rows = list(session.scalars(stmt.order_by(order_col, model.id).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last_row = rows[-1]
        next_cursor = _encode_cursor(getattr(last_row, order_col.key), last_row.id)
    return rows, next_cursor


def find(session: Session, user_id: uuid.UUID, kind: EntryKind, entry_id: uuid.UUID) -> Any:
    """The row, tombstone or not; None when the person has no such id."""
    return session.get(kind.model, (user_id, entry_id))


def get_entry(session: Session, user: User, kind: EntryKind, entry_id: uuid.UUID) -> Any:
    row = find(session, user.id, kind, entry_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(f"No {kind.label} with this id.")
    return row


def _complete_dose(session: Session, user_id: uuid.UUID, data: schemas.DoseFields) -> StrictModel:
    """Fill a dose's snapshot from its regimen item, so later edits to the item never rewrite
    what was taken on an earlier day."""
    item: models.RegimenItem | None = None
    if data.regimen_item_id is not None:
        item = session.get(models.RegimenItem, (user_id, data.regimen_item_id))
        if item is None or item.deleted_at is not None:
            raise InvalidInput(
                "No regimen item with this id.", field="regimen_item_id", rule="exists"
            )
    updates: dict[str, Any] = {}
    if data.kind is None:
        updates["kind"] = item.kind if item else "supplement"
    if data.form is None and item is not None:
        updates["form"] = item.form
    if data.nutrients is None:
        per_unit = item.nutrients_per_unit if item else {}
        updates["nutrients"] = schemas.Nutrients(
            **{k: v * data.units for k, v in per_unit.items() if v is not None}
        )
    if data.servings is None:
        per_unit = item.servings_per_unit if item else {}
        updates["servings"] = schemas.Servings(
            **{k: v * data.units for k, v in per_unit.items() if v is not None}
        )
    return data.model_copy(update=updates)


def prepare(
    session: Session, user_id: uuid.UUID, kind: EntryKind, data: StrictModel
) -> StrictModel:
    if isinstance(data, schemas.DoseFields):
        return _complete_dose(session, user_id, data)
    if isinstance(data, schemas.MealFields):
        # Items may name only foods the person can see; those they name become recent.
        catalog.check_meal_foods(session, user_id, [item.food_id for item in data.items])
    return data


def write_row(
    session: Session,
    user_id: uuid.UUID,
    kind: EntryKind,
    row: Any,
    data: StrictModel,
    *,
    flush: bool = True,
) -> Any:
    """Apply validated fields to a (new or existing) row and stamp it with the next version.

    Any refusal (InvalidInput from `prepare`) comes before the row is touched: a sync push
    relies on it to answer `rejected` without a savepoint. `flush=False` leaves the UPDATE to
    the caller's next flush (a push's run of edits is flushed together; see sync.service).
    """
    data = prepare(session, user_id, kind, data)
    for name, value in kind.columns(data).items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    row.deleted_at = None
    row.version = next_version(session, user_id)
    if flush:
        session.flush()
    return row


def create_entry(
    session: Session, user: User, kind: EntryKind, data: StrictModel, entry_id: uuid.UUID | None
) -> tuple[Any, bool]:
    """Create the entry; returns (row, created). A retry of the same create is not an error."""
    entry_id = entry_id or uuid.uuid4()
    existing = find(session, user.id, kind, entry_id)
    if existing is None:
        row = kind.model(user_id=user.id, id=entry_id, created_at=utcnow())
        write_row(session, user.id, kind, row, data, flush=False)  # not yet in the session
        if insert_new(session, row):
            return row, True
        # The same id committed while this request ran (a retry racing its original).
        existing = find(session, user.id, kind, entry_id)
    if (
        existing is not None
        and existing.deleted_at is None
        and same_content(session, user.id, kind, existing, data)
    ):
        return existing, False
    raise Conflict(
        f"A {kind.label} with this id exists already; update it with PUT or PATCH.",
        field="id",
        rule="unique",
    )


def same_content(
    session: Session, user_id: uuid.UUID, kind: EntryKind, row: Any, data: StrictModel
) -> bool:
    stored = kind.fields.model_validate(kind.row_fields(row))
    return stored == prepare(session, user_id, kind, data)


def replace_entry(
    session: Session, user: User, kind: EntryKind, entry_id: uuid.UUID, data: StrictModel
) -> Any:
    row = get_entry(session, user, kind, entry_id)
    return write_row(session, user.id, kind, row, data)


def patch_entry(
    session: Session, user: User, kind: EntryKind, entry_id: uuid.UUID, patch: StrictModel
) -> Any:
    row = get_entry(session, user, kind, entry_id)
    data = merged_fields(kind, row, patch.model_dump(mode="json", exclude_unset=True))
    return write_row(session, user.id, kind, row, data)


def merged_fields(kind: EntryKind, row: Any, changes: dict[str, Any]) -> StrictModel:
    """The row's fields with `changes` laid over them (PATCH and sync merges), validated whole.

    Raises InvalidInput naming the first failing field, so a merge can never store a row that a
    PUT would refuse.
    """
    merged = kind.row_fields(row)
    for group in kind.exclusive_groups:
        if group & changes.keys():
            for key in group:
                merged.pop(key, None)
    merged.update(changes)
    return validated(kind, merged)


def validated(kind: EntryKind, fields: dict[str, Any]) -> StrictModel:
    """`fields` as the kind's write schema; a failure is an InvalidInput naming the field."""
    try:
        return kind.fields.model_validate(fields)
    except ValidationError as exc:
        first = validation_errors(exc.errors())[0]
        raise InvalidInput(first["detail"], field=first["field"], rule=first["rule"]) from exc


def delete_entry(session: Session, user: User, kind: EntryKind, entry_id: uuid.UUID) -> None:
    row = get_entry(session, user, kind, entry_id)
    tombstone(session, user.id, row)


def tombstone(session: Session, user_id: uuid.UUID, row: Any, *, flush: bool = True) -> None:
    """Make the row a tombstone with the next version (`flush=False`: see `write_row`)."""
    row.deleted_at = utcnow()
    row.updated_at = row.deleted_at
    row.version = next_version(session, user_id)
    if flush:
        session.flush()


# Bookkeeping columns a report never reads; leaving them out saves their conversion per row.
_SYNC_COLUMNS = frozenset({"user_id", "created_at", "updated_at", "version", "deleted_at"})


def rows_between(
    session: Session,
    user_id: uuid.UUID,
    kind: EntryKind,
    start: dt.datetime | None,
    end: dt.datetime,
) -> list[Any]:
    """Live rows of one kind with `start <= at < end` (all before `end` when start is None),
    as plain read-only rows: reports read hundreds of them, and skipping the ORM's identity map
    makes that about three times faster."""
    params: dict[str, Any] = {"user_id": user_id, "end": end}
    if start is not None:
        params["start"] = start
    stmt = _between_statement(kind.name, start is not None)
    return list(session.connection().execute(stmt, params).all())


# Reports run these statements on every request: building one from scratch costs more than
# running it, so each is built once with bound parameters and reused.


@cache
def _between_statement(kind_name: str, bounded: bool) -> Select[Any]:
    model = KINDS[kind_name].model
    # The id comes back as the database's own text (a report only needs it to break ties),
    # which spares a few hundred UUID objects per report.
    columns = [
        type_coerce(c, String).label("id") if c.name == "id" else c
        for c in model.__table__.c
        if c.name not in _SYNC_COLUMNS
    ]
    stmt = select(*columns).where(
        model.user_id == bindparam("user_id"),
        model.deleted_at.is_(None),
        model.at < bindparam("end"),
    )
    if bounded:
        stmt = stmt.where(model.at >= bindparam("start"))
    return stmt.order_by(model.at, model.id)


@cache
def _dose_times_statement() -> Select[uuid.UUID | None, dt.datetime, int]:
    model = models.Dose
    return select(model.regimen_item_id, model.at, model.utc_offset_minutes).where(
        model.user_id == bindparam("user_id"),
        model.deleted_at.is_(None),
        model.regimen_item_id.in_(bindparam("item_ids", expanding=True)),
        model.at >= bindparam("start"),
        model.at < bindparam("end"),
    )


@cache
def _live_statement(kind_name: str) -> Select[Any]:
    model = KINDS[kind_name].model
    return (
        select(*model.__table__.c)
        .where(model.user_id == bindparam("user_id"), model.deleted_at.is_(None))
        .order_by(model.created_at, model.id)
    )


def dose_times_between(
    session: Session,
    user_id: uuid.UUID,
    item_ids: list[uuid.UUID],
    start: dt.datetime,
    end: dt.datetime,
) -> list[tuple[uuid.UUID | None, dt.datetime, int]]:
    """(regimen item, when, offset) of the doses of some items: enough to count adherence days
    without loading every dose's nutrients."""
    if not item_ids:
        return []
    params = {"user_id": user_id, "item_ids": item_ids, "start": start, "end": end}
    rows = session.connection().execute(_dose_times_statement(), params)
    return [(row[0], row[1], row[2]) for row in rows]


def earliest_dose_times(session: Session, user_id: uuid.UUID) -> dict[uuid.UUID, dt.datetime]:
    """Regimen item -> the instant of its earliest live dose (an item's start, PROTOCOL §1),
    in one grouped query whatever the length of the history."""
    rows = session.connection().execute(_earliest_doses_statement(), {"user_id": user_id})
    return {row[0]: row[1] for row in rows if row[0] is not None}


@cache
def _earliest_doses_statement() -> Select[uuid.UUID | None, dt.datetime]:
    model = models.Dose
    return (
        select(model.regimen_item_id, func.min(model.at))
        .where(
            model.user_id == bindparam("user_id"),
            model.deleted_at.is_(None),
            model.regimen_item_id.is_not(None),
        )
        .group_by(model.regimen_item_id)
    )


# What a person logs about her days; lab results are left out, as they are often typed in
# from letters years old.
DAILY_KINDS = ("meals", "doses", "workouts", "symptoms", "measurements")


def first_logged_at(session: Session, user_id: uuid.UUID) -> dt.datetime | None:
    """The moment of the person's earliest live daily entry (meal, dose, workout, check-in,
    weight), or None: where a report's averages start."""
    firsts = [
        session.scalar(
            select(func.min(model.at)).where(model.user_id == user_id, model.deleted_at.is_(None))
        )
        for model in (KINDS[name].model for name in DAILY_KINDS)
    ]
    found = [at for at in firsts if at is not None]
    return min(found) if found else None


def live_rows(session: Session, user_id: uuid.UUID, kind: EntryKind) -> list[Any]:
    """Every live row of one kind (plain read-only rows), oldest first."""
    stmt = _live_statement(kind.name)
    return list(session.connection().execute(stmt, {"user_id": user_id}).all())


# Sync support (fortify.sync): writes by id, the change feed and the tombstone purge.


def rows_by_id(
    session: Session, user_id: uuid.UUID, kind: EntryKind, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    """The person's rows (tombstones included) among `ids`, in one query."""
    if not ids:
        return {}
    model = kind.model
    stmt = select(model).where(model.user_id == user_id, model.id.in_(ids))
    return {row.id: row for row in session.scalars(stmt)}


def new_row(session: Session, user_id: uuid.UUID, kind: EntryKind, entry_id: uuid.UUID) -> Any:
    """An empty row with this id, added to the session; `write_row` fills and stamps it."""
    row = kind.model(user_id=user_id, id=entry_id, created_at=utcnow())
    session.add(row)
    return row


def new_row_values(
    session: Session, user_id: uuid.UUID, kind: EntryKind, entry_id: uuid.UUID, data: StrictModel
) -> dict[str, Any]:
    """The column values `new_row` + `write_row` would store, for a bulk insert (a sync push's
    creates) that skips the ORM; the caller adds `version`."""
    data = prepare(session, user_id, kind, data)
    now = utcnow()
    base = {"user_id": user_id, "id": entry_id, "created_at": now, "updated_at": now}
    return base | {"deleted_at": None} | kind.columns(data)


def insert_rows(session: Session, kind: EntryKind, rows: list[dict[str, Any]]) -> None:
    """One INSERT for many new rows (an executemany); every dict has the same keys."""
    session.execute(insert(kind.model.__table__), rows)


def change_keys(kind: EntryKind, user_id: uuid.UUID, after: int) -> Select[int, str, uuid.UUID]:
    """(version, kind name, id) of the rows written after change number `after`."""
    model = kind.model
    return select(
        model.version.label("version"), literal(kind.name).label("entity"), model.id.label("id")
    ).where(model.user_id == user_id, model.version > after)


def changed_rows(
    session: Session, user_id: uuid.UUID, kind: EntryKind, after: int, upto: int
) -> list[Any]:
    """Rows (tombstones included) whose last write has a change number in (after, upto].

    Plain read-only rows, not ORM objects: attribute access by column name works the same
    (`kind.row_fields` accepts them), and a year of entries loads several times faster.
    """
    table = kind.model.__table__
    skip = {"user_id", "created_at", "updated_at"}
    stmt = select(*(c for c in table.c if c.name not in skip)).where(
        table.c.user_id == user_id, table.c.version > after, table.c.version <= upto
    )
    return list(session.execute(stmt))


_FEED_SKIP = ("user_id", "created_at", "updated_at")


@cache
def _feed_statement(table_name: str) -> Select[Any]:
    table = models.Meal.metadata.tables[table_name]  # any entry table, reminders' too
    columns: list[Any] = []
    # A regimen item's creation time is part of its start (PROTOCOL §1), which the PWA's engine
    # works out too: it travels, read-only (see sync.entities.READ_ONLY_FIELDS).
    skip = ("user_id", "updated_at") if table_name == "regimen_items" else _FEED_SKIP
    for c in table.c:
        if c.name in skip:
            continue
        if c.name == "deleted_at":
            columns.append(c.is_not(None).label("deleted"))
        elif isinstance(c.type, JSON):
            columns.append(cast(c, Text).label(c.name))  # the stored JSON text, unparsed
        else:
            columns.append(c)
    return select(*columns).where(
        table.c.user_id == bindparam("user_id"),
        table.c.version > bindparam("after"),
        table.c.version <= bindparam("upto"),
    )


def feed_rows(
    session: Session, user_id: uuid.UUID, kind: EntryKind, after: int, upto: int
) -> list[Any]:
    """`changed_rows` for a pull page: JSON columns come back as their stored text (a pull
    passes them on without parsing them) and the tombstone as a `deleted` flag."""
    params = {"user_id": user_id, "after": after, "upto": upto}
    return list(session.execute(_feed_statement(kind.model.__tablename__), params))


def purge_tombstones(session: Session, kind: EntryKind, cutoff: dt.datetime) -> dict[Any, int]:
    """Delete tombstones older than `cutoff`; returns each person's largest purged version."""
    model = kind.model
    old = and_(model.deleted_at.is_not(None), model.deleted_at < cutoff)
    stmt = select(model.user_id, func.max(model.version)).where(old).group_by(model.user_id)
    purged = {user_id: int(version) for user_id, version in session.execute(stmt)}
    if purged:
        session.execute(delete(model).where(old))
    return purged
