"""Create, read, update and delete entries of any kind, always within one person's rows."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Collection
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    CompoundSelect,
    ScalarSelect,
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
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.core import cursor as cursors
from fortify.core.db import utcnow
from fortify.core.errors import InvalidInput
from fortify.core.schema import StrictModel
from fortify.entries import models
from fortify.entries.kinds import KINDS, EntryKind
from fortify.entries.kinds import live_regimen_item as live_regimen_item
from fortify.entries.kinds import require_regimen_item as require_regimen_item

# The generic operations every entry resource shares (entries/resource.py), offered here too:
# other domains reach entries through this module.
from fortify.entries.resource import create_entry as create_entry
from fortify.entries.resource import delete_entry as delete_entry
from fortify.entries.resource import find as find
from fortify.entries.resource import get_entry as get_entry
from fortify.entries.resource import merged_fields as merged_fields
from fortify.entries.resource import patch_entry as patch_entry
from fortify.entries.resource import refuse_when_full as refuse_when_full
from fortify.entries.resource import replace_entry as replace_entry
from fortify.entries.resource import same_content as same_content
from fortify.entries.resource import tombstone as tombstone
from fortify.entries.resource import write_row as write_row

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


def prepare(
    session: Session, user_id: uuid.UUID, kind: EntryKind, data: StrictModel
) -> StrictModel:
    """The kind's `check`: the fields as they will be stored (imports write rows themselves)."""
    return kind.check(session, user_id, data)


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


def mappings_between(
    session: Session,
    user_id: uuid.UUID,
    kind: EntryKind,
    start: dt.datetime | None,
    end: dt.datetime,
) -> list[RowMapping]:
    """`rows_between` as mappings (`row["at"]`), for the day report, which reads a thousand
    fields of rows each time: SQLAlchemy finds a Row's attribute only after raising and
    catching an AttributeError inside (about 2,000 instructions each, a tenth of a computed
    report), a mapping's key at once."""
    params: dict[str, Any] = {"user_id": user_id, "end": end}
    if start is not None:
        params["start"] = start
    stmt = _between_statement(kind.name, start is not None)
    return list(session.connection().execute(stmt, params).mappings().all())


# Reports run these statements on every request: building one from scratch costs more than
# running it, so each is built once with bound parameters and reused.


@cache
def _between_statement(kind_name: str, bounded: bool) -> Select[Any]:
    model = KINDS[kind_name].model
    # The id comes back as the database's own text (a report only needs it to break ties),
    # which spares a few hundred UUID objects per report: a CAST, as PostgreSQL's driver makes
    # a UUID object of a uuid column whatever type SQLAlchemy is told it has.
    columns = [
        cast(c, String).label("id") if c.name == "id" else c
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


def report_doses(
    session: Session,
    user_id: uuid.UUID,
    item_ids: list[uuid.UUID],
    start: dt.datetime,
    week_start: dt.datetime,
    end: dt.datetime,
) -> list[RowMapping]:
    """The doses a day report reads, in one statement (one round trip where there were two):
    every live dose with `week_start <= at < end`, whole, and before it, from `start`, the
    doses of `item_ids` (the daily items, for adherence) with only `at` and `regimen_item_id`
    (every other column None, `id` too), so up to 90 days of them cost no JSON. Mappings, as
    `mappings_between` gives, in no particular order (the engine orders entries itself). `id`
    and `regimen_item_id` are the database's own text (32 hex digits on SQLite, the dashed
    form on PostgreSQL): a UUID object per row (made by the driver on PostgreSQL, hence the
    CAST) was a tenth of a report's time."""
    params = {
        "user_id": user_id,
        "item_ids": item_ids,
        "start": start,
        "week_start": week_start,
        "end": end,
    }
    return list(session.connection().execute(_report_doses_statement(), params).mappings().all())


@cache
def _report_doses_statement() -> CompoundSelect[Any]:
    model = models.Dose
    live = (model.user_id == bindparam("user_id"), model.deleted_at.is_(None))
    item_id = cast(model.regimen_item_id, String)
    week = select(
        cast(model.id, String).label("id"),
        model.at,
        item_id.label("regimen_item_id"),
        model.kind,
        model.form,
        model.units,
        model.nutrients,
        model.servings,
    ).where(*live, model.at >= bindparam("week_start"), model.at < bindparam("end"))
    # Each branch walks its own index: (user_id, at) for the week, the daily items' doses by
    # (user_id, regimen_item_id, at).
    earlier = select(null(), model.at, item_id, null(), null(), null(), null(), null()).where(
        *live,
        model.regimen_item_id.in_(bindparam("item_ids", expanding=True)),
        model.at >= bindparam("start"),
        model.at < bindparam("week_start"),
    )
    return union_all(week, earlier)


def regimen_rows(session: Session, user_id: uuid.UUID) -> list[Any]:
    """Every live regimen item (plain read-only rows, oldest first), each with
    `earliest_dose_at`: the instant of its earliest live dose (its start, PROTOCOL.md §1), or
    None. One statement: each item's earliest is one step down the dose index `(user_id,
    regimen_item_id, at)`, where a query grouped by item walked every dose the person has."""
    return list(session.connection().execute(_regimen_statement(), {"user_id": user_id}).all())


@cache
def _regimen_statement() -> Select[Any]:
    item, dose = models.RegimenItem, models.Dose
    earliest = (
        select(func.min(dose.at))
        .where(
            dose.user_id == item.user_id,
            dose.regimen_item_id == item.id,
            dose.deleted_at.is_(None),
            dose.regimen_item_id.is_not(None),  # the index's own condition, said outright
        )
        .scalar_subquery()
    )
    return (
        select(*item.__table__.c, earliest.label("earliest_dose_at"))
        .where(item.user_id == bindparam("user_id"), item.deleted_at.is_(None))
        .order_by(item.created_at, item.id)
    )


def lab_times(
    session: Session,
    user_id: uuid.UUID,
    lab_kinds: Collection[str],
    start: dt.datetime,
    end: dt.datetime,
    *,
    limit: int | None = None,
) -> list[dt.datetime]:
    """When the person's live lab results of these kinds were measured, in [start, end)."""
    model = models.Lab
    stmt = select(model.at).where(
        model.user_id == user_id,
        model.deleted_at.is_(None),
        model.kind.in_(lab_kinds),
        model.at >= start,
        model.at < end,
    )
    return list(session.scalars(stmt.limit(limit)))


def latest_versions(kind: EntryKind, user_ids: Collection[uuid.UUID]) -> Select[uuid.UUID, Any]:
    """(person, the newest change number among her rows of the kind, tombstones included), as
    a query another domain may combine with its own (the reminder planner's "what changed")."""
    model = kind.model
    return (
        select(model.user_id, func.max(model.version))
        .where(model.user_id.in_(user_ids))
        .group_by(model.user_id)
    )


# What a person logs about her days; lab results are left out, as they are often typed in
# from letters years old.
DAILY_KINDS = ("meals", "doses", "workouts", "symptoms", "measurements")


def first_logged_at(session: Session, user_id: uuid.UUID) -> dt.datetime | None:
    """The moment of the person's earliest live daily entry (meal, dose, workout, check-in,
    weight), or None: where a report's averages start."""
    found = session.connection().execute(_first_logged_statement(), {"user_id": user_id})
    at: dt.datetime | None = found.scalar()
    return at


def first_logged_column() -> ScalarSelect[Any]:
    """`first_logged_at` as a column of another statement bound by the same `:user_id` (a day
    report reads it with the person's row, in one round trip)."""
    return _first_logged_statement().scalar_subquery()


@cache
def _first_logged_statement() -> Select[Any]:
    """Every daily kind's earliest live entry in one statement, built once. Each branch walks
    its `(user_id, at)` index from the oldest row and stops at the first live one: a MIN over
    the person's rows with the tombstone filter read every row of theirs (the most of a
    computed day report's time on SQLite), and five statements were five round trips."""
    branches = []
    for name in DAILY_KINDS:
        model = KINDS[name].model
        first = (
            select(model.at.label("at"))
            .where(model.user_id == bindparam("user_id"), model.deleted_at.is_(None))
            .order_by(model.at)
            .limit(1)
            .subquery()
        )
        branches.append(select(first.c.at))
    firsts = union_all(*branches).subquery()
    return select(func.min(firsts.c.at).label("at"))


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
    row = kind.new_row(user_id, entry_id)
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
