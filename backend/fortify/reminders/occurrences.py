"""Occurrences: the checks before sending (also used by the in-app banner) and acting on them
(notification actions, the banner)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core.errors import InvalidInput, NotFound
from fortify.entries import service as entries
from fortify.entries.kinds import DOSES
from fortify.entries.schemas import DoseFields
from fortify.reminders import schemas
from fortify.reminders.effective import (
    BANNER_WINDOW,
    DOSE_WINDOW_BEFORE,
    OPEN_STATUSES,
    effective_reminders,
    taken_dose_id,
    zone_of,
)
from fortify.reminders.models import (
    ReminderOccurrence,
)
from fortify.reminders.planner import lab_flag_due, plan_if_stale
from fortify.reminders.schedule import is_occurrence

# --- the checks before sending (also used by the in-app banner) ------------------------------


@dataclass(frozen=True)
class Verdict:
    """What to do with an occurrence now: send, or a final status, or wait until `defer_to`."""

    status: str | None  # None = send; else skipped | suppressed
    defer_to: dt.datetime | None = None
    reason: str = ""


def judge(
    session: Session,
    user: User,
    occurrences: Sequence[ReminderOccurrence],
    now: dt.datetime,
) -> dict[uuid.UUID, Verdict]:
    """Check each occurrence against the person's reminders and doses as they are now."""
    reminders = {e.id: e for e in effective_reminders(session, user.id)}
    zone = zone_of(user)
    taken = _dose_times(session, user.id, occurrences, now)
    flags: dict[str, bool] = {}
    out: dict[uuid.UUID, Verdict] = {}
    for occ in occurrences:
        effective = reminders.get(occ.reminder_id)
        if effective is None or not effective.enabled:
            out[occ.id] = Verdict("skipped", reason="reminder deleted or turned off")
        elif not is_occurrence(effective.schedule, zone, occ.local_date, occ.due_at):
            out[occ.id] = Verdict("skipped", reason="no longer on the schedule")
        elif occ.regimen_item_id is not None and any(
            occ.due_at - DOSE_WINDOW_BEFORE <= t for t in taken.get(occ.regimen_item_id, ())
        ):
            out[occ.id] = Verdict("suppressed", reason="dose already logged")
        elif effective.lab_flag is not None and not flags.setdefault(
            effective.lab_flag, lab_flag_due(session, user, effective.lab_flag, now)
        ):
            out[occ.id] = Verdict("suppressed", reason="lab result logged")
        elif effective.snoozed_until is not None and effective.snoozed_until > now:
            out[occ.id] = Verdict(None, defer_to=effective.snoozed_until, reason="snoozed")
        else:
            out[occ.id] = Verdict(None)
    return out


def _dose_times(
    session: Session,
    user_id: uuid.UUID,
    occurrences: Sequence[ReminderOccurrence],
    now: dt.datetime,
) -> dict[uuid.UUID, list[dt.datetime]]:
    item_ids = sorted({o.regimen_item_id for o in occurrences if o.regimen_item_id is not None})
    if not item_ids:
        return {}
    earliest = min(o.due_at for o in occurrences) - DOSE_WINDOW_BEFORE
    out: dict[uuid.UUID, list[dt.datetime]] = defaultdict(list)
    end = max(now, max(o.due_at for o in occurrences)) + dt.timedelta(days=1)
    for item_id, at, _offset in entries.dose_times_between(
        session, user_id, item_ids, earliest, end
    ):
        if item_id is not None:
            out[item_id].append(at)
    return out


# --- acting on occurrences (notification actions, the in-app banner) ------------------------


def occurrence_read(occ: ReminderOccurrence) -> schemas.OccurrenceRead:
    return schemas.OccurrenceRead(
        id=occ.id,
        reminder_id=occ.reminder_id,
        regimen_item_id=occ.regimen_item_id,
        kind=occ.kind,  # type: ignore[arg-type]
        title=occ.title,
        due_at=occ.due_at,
        local_time=occ.local_time,
        status=occ.status,
        dose_id=taken_dose_id(occ.id) if occ.regimen_item_id is not None else None,
    )


def due_now(session: Session, user: User, now: dt.datetime) -> list[ReminderOccurrence]:
    """Occurrences due in the last two hours that nobody acted on and that still stand."""
    plan_if_stale(session, user, now)
    session.flush()
    rows = list(
        session.scalars(
            select(ReminderOccurrence)
            .where(
                ReminderOccurrence.user_id == user.id,
                ReminderOccurrence.status.in_(OPEN_STATUSES),
                ReminderOccurrence.due_at >= now - BANNER_WINDOW,
                ReminderOccurrence.due_at <= now,
                ReminderOccurrence.next_attempt_at <= now,
            )
            .order_by(ReminderOccurrence.due_at, ReminderOccurrence.id)
        )
    )
    verdicts = judge(session, user, rows, now)
    return [r for r in rows if verdicts[r.id].status is None and verdicts[r.id].defer_to is None]


def _own_occurrence(session: Session, user: User, occurrence_id: uuid.UUID) -> ReminderOccurrence:
    occ = session.get(ReminderOccurrence, occurrence_id)
    if occ is None or occ.user_id != user.id:
        raise NotFound("No reminder occurrence with this id.")
    return occ


def take(
    session: Session, user: User, occurrence_id: uuid.UUID, now: dt.datetime
) -> tuple[ReminderOccurrence, uuid.UUID | None, bool]:
    """ "Taken": log the dose once (its id derives from the occurrence, so a repeat, or the same
    dose arriving through the offline outbox, is recognised) and close the occurrence."""
    accounts.lock_changes(session, user.id)  # two taps at once: the second waits, then sees
    occ = _own_occurrence(session, user, occurrence_id)
    dose_id: uuid.UUID | None = None
    created = False
    if occ.regimen_item_id is not None:
        dose_id = taken_dose_id(occ.id)
        if entries.find(session, user.id, DOSES, dose_id) is None:
            item = entries.live_regimen_item(session, user.id, occ.regimen_item_id)
            if item is None:
                raise InvalidInput(
                    "The regimen item of this reminder was deleted.",
                    field="regimen_item_id",
                    rule="exists",
                )
            taken_at = now.astimezone(zone_of(user))
            fields = DoseFields.model_validate(
                {
                    "regimen_item_id": str(item.id),
                    "taken_at": taken_at.isoformat(),
                    "units": item.default_units,
                }
            )
            entries.create_entry(session, user, DOSES, fields, dose_id)
            created = True
    occ.status = "done"
    occ.acted_at = occ.acted_at or now
    session.flush()
    return occ, dose_id, created


def snooze_occurrence(
    session: Session, user: User, occurrence_id: uuid.UUID, minutes: int, now: dt.datetime
) -> ReminderOccurrence:
    """Send it again in `minutes`, to every device (whoever got it the first time)."""
    occ = _own_occurrence(session, user, occurrence_id)
    if occ.status in ("done", "suppressed", "skipped"):
        return occ
    occ.status = "pending"
    occ.next_attempt_at = now + dt.timedelta(minutes=minutes)
    occ.attempts = 0
    occ.delivered_to = []
    occ.claimed_by = None
    occ.claimed_at = None
    occ.acted_at = now
    session.flush()
    return occ
