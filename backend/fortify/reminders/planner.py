"""Planning occurrences: which people need a plan, and inserting their occurrences."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, exists, func, literal, or_, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.core.db import Base, UTCDateTime
from fortify.entries import service as entries
from fortify.entries.kinds import LABS, REGIMEN
from fortify.reminders.effective import (
    HORIZON,
    LAB_FLAG_RULES,
    LATE_LIMIT,
    effective_reminders,
    zone_of,
)
from fortify.reminders.models import (
    Reminder,
    ReminderOccurrence,
    ReminderPlan,
)
from fortify.reminders.schedule import occurrences_between

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
    moved = {
        r.user_id: r.planned_version
        for r in rows
        if r.planned_through is not None and r.sync_version > r.planned_version
    }
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


def _reminders_changed(session: Session, planned: dict[uuid.UUID, int]) -> set[uuid.UUID]:
    """Which of these people (person -> the change number their plan was made from) wrote a
    reminder, regimen item, lab or their profile (the time zone) since: every such write
    carries a newer change number. One statement: each table's newest number per person."""
    if not planned:
        return set()
    user_ids = list(planned)
    parts: list[Any] = [entries.latest_versions(kind, user_ids) for kind in (REGIMEN, LABS)]
    parts.append(
        select(Reminder.user_id, func.max(Reminder.version))
        .where(Reminder.user_id.in_(user_ids))
        .group_by(Reminder.user_id)
    )
    parts.append(select(User.id, User.profile_version).where(User.id.in_(user_ids)))
    return {
        user_id
        for user_id, version in session.execute(union_all(*parts))
        if version is not None and version > planned[user_id]
    }


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
        at.astimezone(zone).date() for at in entries.lab_times(session, user.id, kinds, lo, hi)
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
    return not entries.lab_times(session, user.id, kinds, start, end, limit=1)


def _valid_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True
