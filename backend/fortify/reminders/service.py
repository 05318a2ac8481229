"""Reminders: the rules. What is due when, planning occurrences, acting on them, feeds.

**Which reminders exist.** Stored reminders (the syncable `reminders` table, written through
the REST API or sync like any entry) plus one *implicit* dose reminder per active regimen item
that has `schedule_times` and no stored reminder naming it. The implicit one has a
deterministic id, `uuid5(IMPLICIT_NAMESPACE, item id)`, and follows the item's times. Editing,
snoozing or skipping it stores it under that id (so two offline devices doing so converge on
one record); a stored dose reminder with `times: null` keeps following the item's times, and
`enabled: false` turns it off. Deleting the stored record brings the default back.

**Occurrences.** The planner writes one `reminder_occurrences` row per reminder per due instant
over the next 36 hours (idempotent: unique (user_id, reminder_id, due_at), insert-or-ignore),
only for the people whose reminders changed or whose plan must reach further ("Planning"). A row is
checked again just before it is sent, because the world may have moved on since it was
planned: the reminder was edited, deleted, disabled, snoozed or skipped (→ skipped or deferred),
the person moved to another time zone (→ skipped; the planner adds the new instants), the dose
was already logged (→ suppressed) or the lab flag cleared (→ suppressed).
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, exists, func, literal, or_, select, union, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fortify.accounts import audit
from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core.db import Base, UTCDateTime, utcnow
from fortify.core.errors import InvalidInput, NotFound
from fortify.core.security import hash_token
from fortify.entries import service as entries
from fortify.entries.kinds import DOSES, EntryKind
from fortify.entries.models import Lab, RegimenItem
from fortify.entries.schemas import DoseFields
from fortify.reminders import schemas
from fortify.reminders.models import (
    CalendarFeed,
    PushSubscription,
    Reminder,
    ReminderOccurrence,
    ReminderPlan,
)
from fortify.reminders.schedule import Schedule, is_occurrence, occurrences_between
from fortify.scoring.flags import (
    BONE_DENSITY_WINDOW_DAYS,
    LIPIDS_LAB_WINDOW_DAYS,
    VITAMIN_D_LAB_WINDOW_DAYS,
)
from fortify.scoring.units import DXA_T_SCORE, LIPID_KINDS, VITAMIN_D_25OH

REMINDERS = EntryKind(
    "reminders",
    "reminder",
    Reminder,
    schemas.ReminderFields,
    schemas.ReminderRead,
    None,
)

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
    items = {
        item.id: item
        for item in session.scalars(
            select(RegimenItem).where(
                RegimenItem.user_id == user_id, RegimenItem.deleted_at.is_(None)
            )
        )
    }
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
                days_of_week=None,
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
    regimen item is paused or gone (kept, shown, but silent until the item is active)."""
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
    row = entries.find(session, user.id, REMINDERS, reminder_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("No reminder with this id.")
    # A stored dose reminder whose item is gone or paused: shown, though it does not fire.
    return _silent_view(row)


# --- writes (REST and sync) ------------------------------------------------------------------


def check_fields(session: Session, user_id: uuid.UUID, data: schemas.ReminderFields) -> None:
    """Rules a single payload cannot check: the regimen item must be the person's."""
    if data.regimen_item_id is None:
        return
    item = session.get(RegimenItem, (user_id, data.regimen_item_id))
    if item is None or item.deleted_at is not None:
        raise InvalidInput("No regimen item with this id.", field="regimen_item_id", rule="exists")


def write(session: Session, user_id: uuid.UUID, row: Reminder, data: schemas.ReminderFields) -> Any:
    check_fields(session, user_id, data)
    return entries.write_row(session, user_id, REMINDERS, row, data)


def create_reminder(
    session: Session, user: User, data: schemas.ReminderFields, reminder_id: uuid.UUID | None
) -> tuple[Reminder, bool]:
    check_fields(session, user.id, data)
    row, created = entries.create_entry(session, user, REMINDERS, data, reminder_id)
    return row, created


def _stored_or_materialized(session: Session, user: User, reminder_id: uuid.UUID) -> Reminder:
    """The stored reminder; an implicit one is stored first (under its deterministic id)."""
    row = entries.find(session, user.id, REMINDERS, reminder_id)
    if row is not None and row.deleted_at is None:
        return row  # type: ignore[no-any-return]
    for effective in effective_reminders(session, user.id):
        if effective.id == reminder_id and effective.implicit:
            data = schemas.ReminderFields(
                kind="dose", title=effective.title, regimen_item_id=effective.regimen_item_id
            )
            new = (
                row
                if row is not None
                else entries.new_row(session, user.id, REMINDERS, reminder_id)
            )
            return write(session, user.id, new, data)  # type: ignore[no-any-return]
    raise NotFound("No reminder with this id.")


def replace_reminder(
    session: Session, user: User, reminder_id: uuid.UUID, data: schemas.ReminderFields
) -> Reminder:
    row = _stored_or_materialized(session, user, reminder_id)
    return write(session, user.id, row, data)  # type: ignore[no-any-return]


def patch_reminder(
    session: Session, user: User, reminder_id: uuid.UUID, changes: dict[str, Any]
) -> Reminder:
    row = _stored_or_materialized(session, user, reminder_id)
    data = entries.merged_fields(REMINDERS, row, changes)
    assert isinstance(data, schemas.ReminderFields)
    return write(session, user.id, row, data)  # type: ignore[no-any-return]


def delete_reminder(session: Session, user: User, reminder_id: uuid.UUID) -> None:
    entries.delete_entry(session, user, REMINDERS, reminder_id)


def snooze(
    session: Session, user: User, reminder_id: uuid.UUID, minutes: int, now: dt.datetime
) -> Reminder:
    until = now + dt.timedelta(minutes=minutes)
    return patch_reminder(session, user, reminder_id, {"snoozed_until": until.isoformat()})


def skip_today(session: Session, user: User, reminder_id: uuid.UUID, now: dt.datetime) -> Reminder:
    today = now.astimezone(zone_of(user)).date()
    return patch_reminder(session, user, reminder_id, {"skip_on": today.isoformat()})


# --- planning --------------------------------------------------------------------------------
#
# A person's plan is a pure function of their reminders, regimen items, labs and time zone, and
# of the horizon: so it needs work only when one of those changed, or when the horizon must move
# on. Every write stamps the person's change number (`users.sync_version`, and the row's
# `version`); `reminder_plans` keeps the number the plan was made from. A planning round takes
# the people whose number moved past it (checking, in one statement, that what moved was
# reminder-related and not, say, a meal) or whose `next_plan_at` has come: each plan reaches
# HORIZON ahead and is extended every PLAN_PERIOD at a phase of the person's own (from their
# id), so extensions spread evenly over the period instead of all falling in one minute, and
# every occurrence is planned at least HORIZON - PLAN_PERIOD before it is due. People without
# reminders are not extended at all. Rounds take their people `FOR UPDATE SKIP LOCKED` (as the
# delivery claim does), so any number of workers plan disjoint people; the insert of
# occurrences ignores duplicates as well, for SQLite and for the routes that plan one person
# at once.

#: Each person's plan is extended this often (at their own phase), reaching HORIZON ahead.
PLAN_PERIOD = dt.timedelta(hours=12)
#: People per planning transaction.
PLAN_BATCH = 200


@dataclass
class PlanRound:
    """What one planning batch (or a whole round) did."""

    people: int = 0  # people taken
    replanned: int = 0  # their reminders changed (or they were never planned)
    extended: int = 0  # only the horizon moved on
    unchanged: int = 0  # their counter moved for something else (a meal): nothing to plan
    occurrences: int = 0  # new occurrence rows

    def __iadd__(self, other: PlanRound) -> PlanRound:
        for name in ("people", "replanned", "extended", "unchanged", "occurrences"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def next_extension(user_id: uuid.UUID, now: dt.datetime) -> dt.datetime:
    """The next instant after `now` at the person's phase of PLAN_PERIOD."""
    period = int(PLAN_PERIOD.total_seconds())
    at = int(now.timestamp())
    wait = (user_id.int % period - at) % period or period
    return dt.datetime.fromtimestamp(at + wait, dt.UTC)


def enrol_people(session: Session, now: dt.datetime) -> None:
    """Give everyone without a plan row one, due now (new accounts, the first round)."""
    plan = ReminderPlan
    missing = select(User.id, literal(-1), literal(now, UTCDateTime)).where(
        ~exists().where(plan.user_id == User.id)
    )
    stmt = _dialect_insert(session, plan).from_select(
        ["user_id", "planned_version", "next_plan_at"], missing
    )
    session.execute(stmt.on_conflict_do_nothing(index_elements=["user_id"]))


def plan_batch(session: Session, now: dt.datetime, limit: int = PLAN_BATCH) -> PlanRound:
    """Plan up to `limit` people who need it (see above); one transaction, the caller's."""
    plan = ReminderPlan
    rows = session.execute(
        select(
            plan.user_id,
            plan.planned_version,
            plan.planned_through,
            plan.next_plan_at,
            User.sync_version,
        )
        .join(User, User.id == plan.user_id)
        .where(or_(plan.next_plan_at <= now, User.sync_version > plan.planned_version))
        .limit(limit)
        .with_for_update(of=plan, skip_locked=True)
    ).all()
    done = PlanRound(people=len(rows))
    if not rows:
        return done
    moved = [
        r.user_id
        for r in rows
        if r.planned_through is not None and r.sync_version > r.planned_version
    ]
    changed = _reminders_changed(session, moved)
    work = [
        r
        for r in rows
        if r.planned_through is None
        or r.user_id in changed
        or (r.next_plan_at is not None and r.next_plan_at <= now)
    ]
    users = {
        u.id: u for u in session.scalars(select(User).where(User.id.in_([r.user_id for r in work])))
    }
    end = now + HORIZON
    updates: list[dict[str, Any]] = []
    for r in rows:
        update_row: dict[str, Any] = {"user_id": r.user_id, "planned_version": r.sync_version}
        user = users.get(r.user_id)
        if user is not None:
            full = r.planned_through is None or r.user_id in changed
            start = now - LATE_LIMIT if full else max(r.planned_through, now - LATE_LIMIT)
            added, active = _plan_person(session, user, now, start, end)
            done.occurrences += added
            if full:
                done.replanned += 1
            else:
                done.extended += 1
            update_row["planned_through"] = end
            update_row["next_plan_at"] = next_extension(r.user_id, now) if active else None
        else:
            done.unchanged += 1
        updates.append(update_row)
    session.execute(update(plan), updates)
    return done


def _reminders_changed(session: Session, user_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these people wrote a reminder, regimen item, lab or their profile (the time
    zone) after their plan was made: every such write carries a newer change number."""
    if not user_ids:
        return set()
    plan = ReminderPlan
    parts: list[Any] = [
        select(model.user_id)
        .join(plan, plan.user_id == model.user_id)
        .where(model.user_id.in_(user_ids), model.version > plan.planned_version)
        for model in (Reminder, RegimenItem, Lab)
    ]
    parts.append(
        select(User.id)
        .join(plan, plan.user_id == User.id)
        .where(User.id.in_(user_ids), User.profile_version > plan.planned_version)
    )
    return set(session.scalars(union(*parts)))


def plan_occurrences(session: Session, now: dt.datetime, user_ids: Iterable[uuid.UUID]) -> int:
    """Plan these people at once, from LATE_LIMIT ago to HORIZON ahead (a write through the
    reminder routes, the banner). Idempotent; returns how many rows were new. Their plan row is
    left to the planner, which will look again because their change number moved."""
    added = 0
    for user_id in user_ids:
        user = session.get(User, user_id)
        if user is not None:
            added += _plan_person(session, user, now, now - LATE_LIMIT, now + HORIZON)[0]
    return added


def plan_if_stale(session: Session, user: User, now: dt.datetime) -> None:
    """Plan the person now unless the planner already did, as of their latest change."""
    plan = session.get(ReminderPlan, user.id)
    if (
        plan is None
        or plan.planned_through is None
        or plan.planned_version < user.sync_version
        or (plan.next_plan_at is not None and plan.next_plan_at <= now)
    ):
        plan_occurrences(session, now, [user.id])


def _plan_person(
    session: Session, user: User, now: dt.datetime, start: dt.datetime, end: dt.datetime
) -> tuple[int, bool]:
    """Insert the person's missing occurrences due in [start, end). Returns (new rows, whether
    they have any reminder that can fire, so the plan must be extended as time passes)."""
    zone = zone_of(user)
    existing = {
        (reminder_id, due_at)
        for reminder_id, due_at in session.execute(
            select(ReminderOccurrence.reminder_id, ReminderOccurrence.due_at).where(
                ReminderOccurrence.user_id == user.id,
                ReminderOccurrence.due_at >= start,
                ReminderOccurrence.due_at < end,
            )
        )
    }
    lab_due: dict[str, Callable[[dt.date], bool]] = {}
    active = False
    rows: list[dict[str, Any]] = []
    for effective in effective_reminders(session, user.id):
        if not effective.enabled or not effective.times:
            continue
        active = True
        first = max(start, effective.since)
        flag = effective.lab_flag
        if flag is not None and flag not in lab_due:
            lab_due[flag] = _lab_due_days(session, user, zone, flag, first, end)
        for day, time, instant in occurrences_between(effective.schedule, zone, first, end):
            if (effective.id, instant) in existing:
                continue
            if flag is not None and not lab_due[flag](day):
                continue
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "user_id": user.id,
                    "reminder_id": effective.id,
                    "kind": effective.kind,
                    "regimen_item_id": effective.regimen_item_id,
                    "title": effective.title,
                    "due_at": instant,
                    "local_date": day,
                    "local_time": time.strftime("%H:%M"),
                    "status": "pending",
                    "next_attempt_at": instant,
                    "attempts": 0,
                    "delivered_to": [],
                    "created_at": now,
                }
            )
    if rows:
        _insert_ignoring_duplicates(session, rows)
    return len(rows), active


def _lab_due_days(
    session: Session,
    user: User,
    zone: zoneinfo.ZoneInfo,
    flag: str,
    start: dt.datetime,
    end: dt.datetime,
) -> Callable[[dt.date], bool]:
    """Whether the flag is due on a local day of [start, end]: PROTOCOL.md §4, no result of the
    flag's kinds dated within the window ending that day (as `lab_flag_due` decides for today).
    Decided per day, so a plan made today is still right when the flag falls due tomorrow."""
    kinds, window_days = LAB_FLAG_RULES[flag]
    window = dt.timedelta(days=window_days)
    first_day = start.astimezone(zone).date() - dt.timedelta(days=1)
    last_day = end.astimezone(zone).date() + dt.timedelta(days=1)
    lo, hi = entries.local_day_bounds(zone.key, first_day - window, last_day)
    dated = sorted(
        at.astimezone(zone).date()
        for at in session.scalars(
            select(Lab.at).where(
                Lab.user_id == user.id,
                Lab.deleted_at.is_(None),
                Lab.kind.in_(kinds),
                Lab.at >= lo,
                Lab.at < hi,
            )
        )
    )

    def due(day: dt.date) -> bool:
        return not any(day - window < lab_day <= day for lab_day in dated)

    return due


def _dialect_insert(session: Session, model: type[Base]) -> Any:
    table = model.__table__
    assert isinstance(table, Table)
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _insert_ignoring_duplicates(session: Session, rows: list[dict[str, Any]]) -> None:
    """Another worker, or a route, may plan the same rows at the same moment: the unique key
    (person, reminder, due instant) decides."""
    stmt = _dialect_insert(session, ReminderOccurrence).on_conflict_do_nothing(
        index_elements=["user_id", "reminder_id", "due_at"]
    )
    session.execute(stmt, rows)


def lab_flag_due(session: Session, user: User, flag: str, now: dt.datetime) -> bool:
    """PROTOCOL.md §4: no result of the flag's kinds dated within its window (local days)."""
    kinds, window_days = LAB_FLAG_RULES[flag]
    today = now.astimezone(zone_of(user)).date()
    start, end = entries.local_day_bounds(
        user.time_zone if _valid_zone(user.time_zone) else "UTC",
        today - dt.timedelta(days=window_days - 1),
        today,
    )
    found = session.scalar(
        select(func.count())
        .select_from(Lab)
        .where(
            Lab.user_id == user.id,
            Lab.deleted_at.is_(None),
            Lab.kind.in_(kinds),
            Lab.at >= start,
            Lab.at < end,
        )
    )
    return not found


def _valid_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


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
            item = session.get(RegimenItem, (user.id, occ.regimen_item_id))
            if item is None or item.deleted_at is not None:
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


# --- calendar feeds --------------------------------------------------------------------------

FEED_PREFIX = "fcal_"


FEED_LIFETIME = dt.timedelta(days=365)


def create_feed(session: Session, user: User, name: str) -> tuple[CalendarFeed, str]:
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    feed = CalendarFeed(
        user_id=user.id,
        secret_hash=hash_token(secret),
        name=name,
        created_at=now,
        expires_at=now + FEED_LIFETIME,
    )
    session.add(feed)
    session.flush()
    # The link is a credential to the person's schedule, so it is logged like a token.
    audit.record(session, user.id, "calendar_link_created", name=name)
    return feed, secret


def list_feeds(session: Session, user: User) -> list[CalendarFeed]:
    return list(
        session.scalars(
            select(CalendarFeed)
            .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
            .order_by(CalendarFeed.created_at)
        )
    )


def renew_feed(session: Session, user: User, feed_id: uuid.UUID, now: dt.datetime) -> CalendarFeed:
    """Another year for a link (also one that expired: the same URL works again)."""
    feed = session.get(CalendarFeed, feed_id)
    if feed is None or feed.user_id != user.id or feed.revoked_at is not None:
        raise NotFound("No calendar feed with this id.")
    feed.expires_at = now + FEED_LIFETIME
    audit.record(session, user.id, "calendar_link_renewed", name=feed.name)
    session.flush()
    return feed


def revoke_all_feeds(session: Session, user: User, now: dt.datetime) -> None:
    """Every live link of the person stops working (a password change or reset)."""
    session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def revoke_feed(session: Session, user: User, feed_id: uuid.UUID, now: dt.datetime) -> None:
    feed = session.get(CalendarFeed, feed_id)
    if feed is None or feed.user_id != user.id or feed.revoked_at is not None:
        raise NotFound("No calendar feed with this id.")
    feed.revoked_at = now
    audit.record(session, user.id, "calendar_link_revoked", name=feed.name)
    session.flush()


def feed_owner(session: Session, secret: str, now: dt.datetime) -> User:
    """The person whose live feed this secret opens; NotFound for anything else."""
    feed = session.scalar(
        select(CalendarFeed).where(CalendarFeed.secret_hash == hash_token(secret))
    )
    if feed is None or feed.revoked_at is not None or feed.expires_at <= now:
        raise NotFound("No calendar feed at this address.")
    if feed.last_used_at is None or now - feed.last_used_at > dt.timedelta(minutes=10):
        feed.last_used_at = now
    user = session.get(User, feed.user_id)
    assert user is not None
    return user


# --- push subscriptions ----------------------------------------------------------------------


def subscribe(
    session: Session,
    user: User,
    data: schemas.PushSubscriptionCreate,
    now: dt.datetime,
    *,
    session_id: object | None = None,
    token_id: object | None = None,
) -> tuple[PushSubscription, bool]:
    """Store a browser's subscription; the same endpoint again updates it (returns created).

    A subscription belongs to the person who registered it and to the credential that did
    (`session_id` or `token_id`): signing that device out, or revoking the token, ends it, which
    is what stops a shared browser from getting the previous person's reminders. The same
    endpoint posted by someone else is their own row; a row never moves between people (that
    would let anyone silence another person's medicine reminders by posting her endpoint).
    """
    sub = session.scalar(
        select(PushSubscription).where(
            PushSubscription.user_id == user.id, PushSubscription.endpoint == data.endpoint
        )
    )
    created = sub is None
    if sub is None:
        sub = PushSubscription(user_id=user.id, endpoint=data.endpoint, created_at=now)
        session.add(sub)
    sub.session_id = session_id if isinstance(session_id, uuid.UUID) else None
    sub.token_id = token_id if isinstance(token_id, uuid.UUID) else None
    sub.p256dh = data.keys.p256dh
    sub.auth = data.keys.auth
    sub.device_name = data.device_name
    sub.failures = 0
    session.flush()
    return sub, created


def list_subscriptions(session: Session, user: User) -> list[PushSubscription]:
    return list(
        session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == user.id)
            .order_by(PushSubscription.created_at)
        )
    )


def unsubscribe(session: Session, user: User, subscription_id: uuid.UUID) -> None:
    sub = session.get(PushSubscription, subscription_id)
    if sub is None or sub.user_id != user.id:
        raise NotFound("No push subscription with this id.")
    session.delete(sub)
    session.flush()
