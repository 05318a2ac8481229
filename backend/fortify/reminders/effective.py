"""Which reminders exist: stored ones and each scheduled regimen item's implicit dose
reminder, resolved to what fires now (`Effective`). See reminders/service.py for the whole
story."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.entries import service as entries
from fortify.entries.kinds import REGIMEN
from fortify.reminders.models import (
    Reminder,
)
from fortify.reminders.schedule import Schedule
from fortify.scoring.flags import (
    BONE_DENSITY_WINDOW_DAYS,
    LIPIDS_LAB_WINDOW_DAYS,
    VITAMIN_D_LAB_WINDOW_DAYS,
)
from fortify.scoring.units import DXA_T_SCORE, LIPID_KINDS, VITAMIN_D_25OH

#: Namespace of the implicit dose reminders' ids: uuid5(IMPLICIT_NAMESPACE, str(item id)).
IMPLICIT_NAMESPACE = uuid.UUID("6f2b1a8e-2d3c-4f0a-9a51-7c1e0b6d4e21")
#: Namespace of the dose a "Taken" logs: uuid5(TAKEN_DOSE_NAMESPACE, str(occurrence id)).
TAKEN_DOSE_NAMESPACE = uuid.UUID("c4a7e0d2-5b1f-4e8c-8f3a-2d9b6e1f0a57")

HORIZON = dt.timedelta(hours=36)
#: An occurrence not sent within this time after it was due is expired, never sent late.
LATE_LIMIT = dt.timedelta(hours=1)
#: A dose logged this long before the due time (or any time after it) counts as taken.
DOSE_WINDOW_BEFORE = dt.timedelta(hours=2)
#: The in-app banner shows occurrences due within this past window, not yet acted on.
BANNER_WINDOW = dt.timedelta(hours=2)
OPEN_STATUSES = ("pending", "claimed", "sent", "failed")

LAB_FLAG_RULES: dict[str, tuple[frozenset[str], int]] = {
    "vitamin_d_lab_due": (frozenset({VITAMIN_D_25OH}), VITAMIN_D_LAB_WINDOW_DAYS),
    "lipids_lab_due": (frozenset(LIPID_KINDS), LIPIDS_LAB_WINDOW_DAYS),
    "bone_density_due": (frozenset({DXA_T_SCORE}), BONE_DENSITY_WINDOW_DAYS),
}


def implicit_reminder_id(regimen_item_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(IMPLICIT_NAMESPACE, str(regimen_item_id))


def taken_dose_id(occurrence_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(TAKEN_DOSE_NAMESPACE, str(occurrence_id))


@dataclass(frozen=True)
class Effective:
    """A reminder as it fires now: stored or implicit, times resolved."""

    id: uuid.UUID
    kind: str
    title: str
    regimen_item_id: uuid.UUID | None
    lab_flag: str | None
    times: tuple[str, ...]
    days_of_week: tuple[int, ...] | None
    enabled: bool
    snoozed_until: dt.datetime | None
    skip_on: dt.date | None
    implicit: bool
    since: dt.datetime  # occurrences before this instant are never planned
    created_at: dt.datetime
    row: Reminder | None

    @property
    def schedule(self) -> Schedule:
        return Schedule.of(self.times, self.days_of_week, self.skip_on)


def zone_of(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


# --- which reminders exist -------------------------------------------------------------------


def effective_reminders(session: Session, user_id: uuid.UUID) -> list[Effective]:
    stored = list(
        session.scalars(
            select(Reminder).where(Reminder.user_id == user_id, Reminder.deleted_at.is_(None))
        )
    )
    items = {item.id: item for item in entries.live_rows(session, user_id, REGIMEN)}
    out: list[Effective] = []
    named = {row.regimen_item_id for row in stored if row.regimen_item_id is not None}
    for row in stored:
        times: Sequence[str] = row.times or ()
        if row.kind == "dose":
            item = items.get(row.regimen_item_id) if row.regimen_item_id else None
            if item is None or not item.active:
                continue  # the item is gone or paused: nothing to remind of
            if row.times is None:
                times = item.schedule_times
        out.append(
            Effective(
                id=row.id,
                kind=row.kind,
                title=row.title,
                regimen_item_id=row.regimen_item_id,
                lab_flag=row.lab_flag,
                times=tuple(times),
                days_of_week=tuple(row.days_of_week) if row.days_of_week is not None else None,
                enabled=row.enabled,
                snoozed_until=row.snoozed_until,
                skip_on=row.skip_on,
                implicit=False,
                since=row.updated_at,
                created_at=row.created_at,
                row=row,
            )
        )
    for item in items.values():
        if item.id in named or not item.active or not item.schedule_times:
            continue
        out.append(
            Effective(
                id=implicit_reminder_id(item.id),
                kind="dose",
                title=item.name,
                regimen_item_id=item.id,
                lab_flag=None,
                times=tuple(item.schedule_times),
                # The item's own days (null: every day). A non-daily medicine created through
                # the API with times and days is reminded on those days only, as the PWA's
                # explicit reminder would; see docs/reminders.md.
                days_of_week=tuple(item.schedule_days) if item.schedule_days else None,
                enabled=True,
                snoozed_until=None,
                skip_on=None,
                implicit=True,
                since=item.updated_at,
                created_at=item.created_at,
                row=None,
            )
        )
    return sorted(out, key=lambda e: (e.times[:1], e.title, str(e.id)))
