"""Reminders as records: the `reminders` entry kind (one of the entry-resource pattern's kinds,
entries/resource.py) with its hooks, the views the API answers with, and the writes that are
not plain entry writes (snooze, skip today)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.core import limits
from fortify.core.schema import StrictModel
from fortify.entries import service as entries
from fortify.entries.kinds import EntryKind
from fortify.reminders import planner, schemas
from fortify.reminders.effective import (
    Effective,
    effective_reminders,
    implicit_reminder_id,
    zone_of,
)
from fortify.reminders.models import (
    Reminder,
)


class ReminderKind(EntryKind):
    """Reminders are entries of their own table, with rules of their own."""

    per_person = (
        limits.MAX_REMINDERS,
        "reminders",
        "Delete a reminder you no longer need, then add this one.",
    )

    # An implicit dose reminder is stored under its own id on its first edit (materialize).
    materializes = True

    def live_count(self, session: Session, user_id: uuid.UUID) -> int:
        """Her live reminders but the regimen items' own ones (`takes_room`): a few hundred
        rows at most (the cap, plus one per capped regimen item)."""
        stmt = select(Reminder.id, Reminder.regimen_item_id).where(
            Reminder.user_id == user_id, Reminder.deleted_at.is_(None)
        )
        return sum(1 for row in session.execute(stmt) if self.takes_room(row.id, row))

    def takes_room(self, record_id: uuid.UUID, data: Any) -> bool:
        """A regimen item's own dose reminder (stored under the item's implicit id, naming
        it) is not counted: there is at most one per item, and the items are capped, so a
        person can always snooze or edit her medicine's reminder (outside probe F4)."""
        item = getattr(data, "regimen_item_id", None)
        if item is None:
            return True
        return record_id != implicit_reminder_id(uuid.UUID(str(item)))

    def check(self, session: Session, user_id: uuid.UUID, data: StrictModel) -> StrictModel:
        assert isinstance(data, schemas.ReminderFields)
        check_fields(session, user_id, data)
        return data

    def after_write(self, session: Session, user: User, row: Any, now: dt.datetime) -> None:
        # A written reminder's occurrences are planned at once, so the next notification is
        # right even before the worker's round; after a delete the worker replans.
        if row.deleted_at is None:
            planner.plan_occurrences(session, now, user_ids=[user.id])

    def materialize(
        self, session: Session, user: User, record_id: uuid.UUID, tombstone: Any
    ) -> Any:
        """An implicit dose reminder is stored under its deterministic id when first edited,
        snoozed or skipped (over the tombstone of a stored one deleted before)."""
        data = implicit_default(session, user.id, record_id)
        if data is None:
            return None
        row = tombstone or entries.new_row(session, user.id, self, record_id)
        return entries.write_row(session, user.id, self, row, data)


def implicit_default(
    session: Session, user_id: uuid.UUID, record_id: uuid.UUID
) -> schemas.ReminderFields | None:
    """The fields of the implicit dose reminder with this id, as its first edit stores them
    (its item's name, the item's times: `times` null, and the item's days), or None when no
    implicit reminder has this id (no such item, paused, unscheduled, or one stored)."""
    for effective in effective_reminders(session, user_id):
        if effective.id == record_id and effective.implicit:
            days = list(effective.days_of_week) if effective.days_of_week else None
            return schemas.ReminderFields(
                kind="dose",
                title=effective.title,
                regimen_item_id=effective.regimen_item_id,
                days_of_week=days,
            )
    return None


REMINDERS = ReminderKind(
    "reminders",
    "reminder",
    Reminder,
    schemas.ReminderFields,
    schemas.ReminderRead,
    None,
)


def view(effective: Effective) -> schemas.ReminderView:
    row = effective.row
    return schemas.ReminderView(
        id=effective.id,
        kind=effective.kind,  # type: ignore[arg-type]
        title=effective.title,
        regimen_item_id=effective.regimen_item_id,
        lab_flag=effective.lab_flag,  # type: ignore[arg-type]
        times=row.times if row is not None else None,
        days_of_week=list(effective.days_of_week) if effective.days_of_week else None,
        enabled=effective.enabled,
        snoozed_until=effective.snoozed_until,
        skip_on=effective.skip_on,
        note=row.note if row is not None else None,
        version=row.version if row is not None else 0,
        created_at=effective.created_at,
        updated_at=row.updated_at if row is not None else effective.since,
        implicit=effective.implicit,
        effective_times=list(effective.times),
    )


def list_views(session: Session, user: User) -> list[schemas.ReminderView]:
    """Every reminder the person has: the effective ones, then stored dose reminders whose
    regimen item is paused (kept, shown, but silent until the item is active again; a deleted
    item's are deleted with it, `drop_item_reminders`)."""
    effective = effective_reminders(session, user.id)
    shown = {e.id for e in effective}
    silent = session.scalars(
        select(Reminder)
        .where(Reminder.user_id == user.id, Reminder.deleted_at.is_(None))
        .order_by(Reminder.created_at, Reminder.id)
    )
    return [view(e) for e in effective] + [
        _silent_view(row) for row in silent if row.id not in shown
    ]


def _silent_view(row: Reminder) -> schemas.ReminderView:
    return schemas.ReminderView.model_validate(
        REMINDERS.read_row(row).model_dump() | {"implicit": False, "effective_times": []}
    )


def get_view(session: Session, user: User, reminder_id: uuid.UUID) -> schemas.ReminderView:
    for effective in effective_reminders(session, user.id):
        if effective.id == reminder_id:
            return view(effective)
    # A stored dose reminder whose item is paused: shown, though it does not fire.
    return _silent_view(entries.get_entry(session, user, REMINDERS, reminder_id))


# --- writes (REST and sync; create, PUT, PATCH and DELETE are the generic ones) -------------


def drop_item_reminders(session: Session, user_id: uuid.UUID, item_id: uuid.UUID) -> None:
    """Tombstone the person's stored reminders naming a regimen item that was just deleted
    (`entries.kinds.RegimenKind.on_tombstone`), each with its own change number; the flush is
    the deleting caller's. A reminder may name only a live item (`check_fields`), so none of
    them could be edited again, and a later PATCH or GET answers 404 as for any deleted one."""
    stmt = (
        select(Reminder)
        .where(
            Reminder.user_id == user_id,
            Reminder.regimen_item_id == item_id,
            Reminder.deleted_at.is_(None),
        )
        .order_by(Reminder.created_at, Reminder.id)
    )
    for row in session.scalars(stmt).all():
        entries.tombstone(session, user_id, REMINDERS, row, flush=False)


def check_fields(session: Session, user_id: uuid.UUID, data: schemas.ReminderFields) -> None:
    """Rules a single payload cannot check: the regimen item must be the person's."""
    if data.regimen_item_id is not None:
        entries.require_regimen_item(session, user_id, data.regimen_item_id)


def snooze(
    session: Session, user: User, reminder_id: uuid.UUID, minutes: int, now: dt.datetime
) -> Reminder:
    until = now + dt.timedelta(minutes=minutes)
    changes = {"snoozed_until": until.isoformat()}
    return entries.patch_entry(session, user, REMINDERS, reminder_id, changes)  # type: ignore[no-any-return]


def skip_today(session: Session, user: User, reminder_id: uuid.UUID, now: dt.datetime) -> Reminder:
    today = now.astimezone(zone_of(user)).date()
    changes = {"skip_on": today.isoformat()}
    return entries.patch_entry(session, user, REMINDERS, reminder_id, changes)  # type: ignore[no-any-return]
