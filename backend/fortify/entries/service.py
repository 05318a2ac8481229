"""Create, read, update and delete entries of any kind, always within one person's rows."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
import zoneinfo
from typing import Any

from pydantic import ValidationError
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.accounts.service import next_version
from fortify.core.db import utcnow
from fortify.core.errors import Conflict, InvalidInput, NotFound
from fortify.core.schema import StrictModel
from fortify.entries import models, schemas
from fortify.entries.kinds import EntryKind

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
    raw = f"{key.astimezone(dt.UTC).isoformat()}|{row_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        key, row_id = raw.split("|")
        return dt.datetime.fromisoformat(key), uuid.UUID(row_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("The cursor is not valid.", field="cursor", rule="format") from exc


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
        key, after_id = _decode_cursor(cursor)
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
    return data


def write_row(
    session: Session, user_id: uuid.UUID, kind: EntryKind, row: Any, data: StrictModel
) -> Any:
    """Apply validated fields to a (new or existing) row and stamp it with the next version."""
    data = prepare(session, user_id, kind, data)
    for name, value in kind.columns(data).items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    row.deleted_at = None
    row.version = next_version(session, user_id)
    session.flush()
    return row


def create_entry(
    session: Session, user: User, kind: EntryKind, data: StrictModel, entry_id: uuid.UUID | None
) -> tuple[Any, bool]:
    """Create the entry; returns (row, created). A retry of the same create is not an error."""
    entry_id = entry_id or uuid.uuid4()
    existing = find(session, user.id, kind, entry_id)
    if existing is not None:
        if existing.deleted_at is None and same_content(session, user.id, kind, existing, data):
            return existing, False
        raise Conflict(
            f"A {kind.label} with this id exists already; update it with PUT or PATCH.",
            field="id",
            rule="unique",
        )
    row = kind.model(user_id=user.id, id=entry_id, created_at=utcnow())
    session.add(row)
    return write_row(session, user.id, kind, row, data), True


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
    changes = patch.model_dump(mode="json", exclude_unset=True)
    merged = kind.row_fields(row)
    for group in kind.exclusive_groups:
        if group & changes.keys():
            for key in group:
                merged.pop(key, None)
    merged.update(changes)
    try:
        data = kind.fields.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "body"
        raise InvalidInput(str(first["msg"]), field=field, rule=str(first["type"])) from exc
    return write_row(session, user.id, kind, row, data)


def delete_entry(session: Session, user: User, kind: EntryKind, entry_id: uuid.UUID) -> None:
    row = get_entry(session, user, kind, entry_id)
    tombstone(session, user.id, row)


def tombstone(session: Session, user_id: uuid.UUID, row: Any) -> None:
    row.deleted_at = utcnow()
    row.updated_at = row.deleted_at
    row.version = next_version(session, user_id)
    session.flush()
