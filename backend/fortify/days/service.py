"""Build the engine's input from the person's rows, and shape its output for the API.

The statement count of a day report is fixed whatever the history's length: one query per entry
kind over the window the protocol reads (W7 for intake and exercise, meals up to 60 minutes past
the day's end for the carbonate flag, d-29 … d for weight, every lab up to d); the doses' query
also brings, before W7, the times of the daily items' doses over d-90 … d for adherence, and
the regimen's brings each item's earliest dose (its start, PROTOCOL.md §1). A series of days
loads the whole range once and hands each day its slice. Patterns (§8) read 57 days of symptoms
and workouts, in two queries.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

from sqlalchemy import Select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from fortify.accounts import service as accounts
from fortify.accounts.deps import Versioned
from fortify.accounts.models import User
from fortify.core.etag import release
from fortify.entries import kinds
from fortify.entries import service as entries
from fortify.scoring import (
    PROTOCOL_VERSION,
    compute_day_report,
    compute_patterns,
    report_to_dict,
)
from fortify.scoring.activities import CATALOG
from fortify.scoring.intake import SITTING_SPAN
from fortify.scoring.model import (
    DayInput,
    DayReport,
    Dose,
    Lab,
    Meal,
    MealItem,
    Measurement,
    Patterns,
    RegimenItem,
    ScoringProfile,
    Symptom,
    TargetOverride,
    Workout,
)
from fortify.scoring.targets import effective_targets

WEEK = 7
WEIGHT_DAYS = 30
# §4a: the 90-day period shown on d is d-90 … d-1 until d's dose is logged.
ADHERENCE_DAYS = 91
# §8: pain days d-55 … d, each read with the workouts of the day before.
PATTERN_DAYS = 57
MAX_SERIES_DAYS = 366


@dataclass(frozen=True, slots=True)
class ReportPerson:
    """What a computed day report reads of the person, as plain values (`report_person`)."""

    id: uuid.UUID
    time_zone: str
    created_at: dt.datetime
    sex: str | None
    height_cm: float | None
    cleared_for_high_impact: bool
    on_anticoagulant: bool
    osteoporosis: bool
    target_overrides: dict[str, Any] | None
    #: Her earliest live daily entry (`entries.service.first_logged_at`), read in the same
    #: statement.
    first_logged_at: dt.datetime | None


#: The person a report is computed for: the ORM object, or the plain values of `report_person`.
Reader: TypeAlias = "User | ReportPerson"


def report_person(session: Session, person_id: uuid.UUID) -> ReportPerson:
    """The person for a computed day report and her first logged entry, in one statement (was
    an ORM load and a statement of its own). Deleted since she signed in: 401."""
    row = session.connection().execute(_report_person_statement(), {"user_id": person_id}).first()
    if row is None:
        raise accounts.account_gone()
    return ReportPerson(*row)


@cache
def _report_person_statement() -> Select[Any]:
    columns = [f for f in ReportPerson.__dataclass_fields__ if f != "first_logged_at"]
    return accounts.person_statement(columns, entries.first_logged_column())


def profile_of(user: Reader) -> ScoringProfile:
    overrides = {
        key: TargetOverride(value=float(o["value"]), set_by_care_team=bool(o["set_by_care_team"]))
        for key, o in (user.target_overrides or {}).items()
    }
    return ScoringProfile(
        sex=user.sex,  # type: ignore[arg-type]
        height_cm=user.height_cm,
        time_zone=user.time_zone,
        cleared_for_high_impact=user.cleared_for_high_impact,
        on_anticoagulant=user.on_anticoagulant,
        osteoporosis=user.osteoporosis,
        target_overrides=overrides,
    )


# Rows come as mappings (`entries.service.mappings_between`), their ids as the database's text.
# Timestamps go to the engine in UTC: it works out each entry's local day from the profile's
# zone itself, so re-applying the offset each entry was logged with would be wasted work.


def _meal(row: RowMapping) -> Meal:
    items = tuple(
        MealItem(
            food_name=i.get("food_name", ""),
            grams=i.get("grams"),
            nutrients=i.get("nutrients") or {},
            servings={k: v for k, v in (i.get("servings") or {}).items() if v is not None},
        )
        for i in row["items"]
    )
    return Meal(id=row["id"], eaten_at=row["at"], name=row["name"], items=items)


def _dose(row: RowMapping, item_id: str | None) -> Dose:
    return Dose(
        id=row["id"],
        taken_at=row["at"],
        kind=row["kind"],
        form=row["form"],
        regimen_item_id=item_id,
        units=row["units"],
        nutrients=row["nutrients"] or {},
        servings={k: v for k, v in (row["servings"] or {}).items() if v is not None},
    )


def _regimen(row: RowMapping) -> RegimenItem:
    return RegimenItem(
        id=str(row["id"]),
        name=row["name"],
        kind=row["kind"],
        form=row["form"],
        prescribed_daily=row["prescribed_daily"],
        started_on=row["started_on"],
        created_at=row["created_at"],
        active=row["active"],
        nutrients_per_unit=row["nutrients_per_unit"] or {},
        default_units=row["default_units"],
        schedule_times=tuple(row["schedule_times"] or ()),
        set_by_care_team=row["set_by_care_team"],
        earliest_dose_at=row["earliest_dose_at"],
    )


def regimen_of(session: Session, user: Reader) -> tuple[RegimenItem, ...]:
    """The person's live regimen items, each with its earliest dose (one query)."""
    return tuple(_regimen(r._mapping) for r in entries.regimen_rows(session, user.id))


def _uuid_text(text: str | None) -> str | None:
    """An id as the database gave it, in the dashed form (SQLite keeps 32 hex digits)."""
    return None if text is None else str(uuid.UUID(text))


def _workout(row: RowMapping) -> Workout:
    return Workout(
        id=row["id"],
        started_at=row["at"],
        activity=row["activity"],
        minutes=row["minutes"],
        intensity=row["intensity"],
        aerobic=row["aerobic"],
        weight_bearing=row["weight_bearing"],
        resistance=row["resistance"],
        high_impact=row["high_impact"],
        low_impact=row["low_impact"],
        muscle_groups=tuple(row["muscle_groups"] or ()),
    )


def _symptom(row: RowMapping) -> Symptom:
    return Symptom(
        id=row["id"],
        measured_at=row["at"],
        worst_pain_0_10=row["worst_pain_0_10"],
        morning_stiffness_minutes=row["morning_stiffness_minutes"],
    )


def _measurement(row: RowMapping) -> Measurement:
    return Measurement(id=row["id"], measured_at=row["at"], weight_kg=row["weight_kg"])


def _lab(row: RowMapping) -> Lab:
    return Lab(
        id=row["id"],
        measured_at=row["at"],
        kind=row["kind"],
        value_canonical=row["value_canonical"],
    )


class History:
    """A person's entries over a range of local days, loaded once and sliced per day."""

    def __init__(self, session: Session, user: Reader, first: dt.date, last: dt.date) -> None:
        self.profile = profile_of(user)
        zone = user.time_zone
        self.regimen = regimen_of(session, user)
        _, end = entries.local_day_bounds(zone, last, last)
        w7_start, _ = entries.local_day_bounds(zone, first - dt.timedelta(days=WEEK - 1), first)
        weight_start, _ = entries.local_day_bounds(
            zone, first - dt.timedelta(days=WEIGHT_DAYS - 1), first
        )
        adherence_start, _ = entries.local_day_bounds(
            zone, first - dt.timedelta(days=ADHERENCE_DAYS - 1), first
        )

        def load(kind: kinds.EntryKind, start: dt.datetime | None) -> list[Any]:
            return entries.mappings_between(session, user.id, kind, start, end)

        # §4 (v1.1): a carbonate dose late on the last day looks for a meal just after midnight.
        meals_end = end + SITTING_SPAN
        self.meals = [
            _meal(r)
            for r in entries.mappings_between(session, user.id, kinds.MEALS, w7_start, meals_end)
        ]
        self.workouts = [_workout(r) for r in load(kinds.WORKOUTS, w7_start)]
        self.symptoms = [_symptom(r) for r in load(kinds.SYMPTOMS, w7_start)]
        self.measurements = [_measurement(r) for r in load(kinds.MEASUREMENTS, weight_start)]
        self.labs = tuple(_lab(r) for r in load(kinds.LABS, None))
        # The week's doses whole and, before it, only when the daily items' doses were taken
        # (adherence, §4a), in one statement. Each dose names its item in the database's text
        # (32 hex digits on SQLite, dashed on PostgreSQL): an item is found by both forms, and
        # an older dose gets its item's form here, as the engine would give it (§3, §4), so
        # that the engine need not copy it.
        items = {form: r for r in self.regimen for form in (uuid.UUID(r.id).hex, r.id)}
        daily = [uuid.UUID(r.id) for r in self.regimen if r.prescribed_daily]
        self.doses: list[Dose] = []
        self.adherence_doses: list[Dose] = []
        for row in entries.report_doses(session, user.id, daily, adherence_start, w7_start, end):
            named = row["regimen_item_id"]
            item = items.get(named) if named else None
            if row["id"] is None:  # an older dose of a daily item, which is in `items`
                assert item is not None
                self.adherence_doses.append(
                    Dose(
                        taken_at=row["at"], regimen_item_id=item.id, kind="medicine", form=item.form
                    )
                )
                continue
            item_id = item.id if item else _uuid_text(named)
            self.doses.append(_dose(row, item_id))

    def day_input(self, day: dt.date) -> DayInput:
        zone = self.profile.time_zone
        w7 = _window(zone, day, WEEK)
        weights = _window(zone, day, WEIGHT_DAYS)
        adherence = _window(zone, day, ADHERENCE_DAYS)
        meals = (w7[0], w7[1] + SITTING_SPAN)
        return DayInput(
            day=day,
            profile=self.profile,
            meals=_within(self.meals, meals, "eaten_at"),
            doses=_within(self.doses, adherence, "taken_at")
            + _within(self.adherence_doses, adherence, "taken_at"),
            regimen=self.regimen,
            workouts=_within(self.workouts, w7, "started_at"),
            symptoms=_within(self.symptoms, w7, "measured_at"),
            measurements=_within(self.measurements, weights, "measured_at"),
            labs=self.labs,
        )

    def report(self, day: dt.date) -> DayReport:
        return compute_day_report(self.day_input(day))


def _window(zone: str, day: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    return entries.local_day_bounds(zone, day - dt.timedelta(days=days - 1), day)


def _within(
    rows: Iterable[Any], window: tuple[dt.datetime, dt.datetime], field: str
) -> tuple[Any, ...]:
    start, end = window
    return tuple(r for r in rows if start <= getattr(r, field) < end)


def report_stamp(user: Versioned) -> str:
    """Everything a person's day report depends on besides the day: their change counters (every
    write of theirs moves `sync_version`, a profile write also `profile_version`), the protocol
    and the release (a new engine may score the same rows differently)."""
    return f"{user.sync_version}:{user.profile_version}:{PROTOCOL_VERSION}:{release()}"


def day_report(session: Session, user: Reader, day: dt.date) -> DayReport:
    return History(session, user, day, day).report(day)


def first_day(session: Session, user: Reader) -> dt.date:
    """The person's first day: the local day her account was made, or the day of her first
    entry when that is earlier (history typed in or imported after the fact counts from when it
    happened). Lab results do not count: they are often typed in from letters years old. A day
    before it is given no scores: with nothing logged yet, a score would say something untrue
    about a day she was not using the app (the phone draws the same line, app/firstDay.ts)."""
    began = user.created_at.astimezone(ZoneInfo(user.time_zone)).date()
    logged = (
        user.first_logged_at
        if isinstance(user, ReportPerson)
        else entries.first_logged_at(session, user.id)
    )
    if logged is None:
        return began
    return min(began, logged.astimezone(ZoneInfo(user.time_zone)).date())


#: What a day with no scores (before the person's first day, or after her today) carries.
UNSCORED = {"overall": None, "bone": None, "heart": None, "joint": None}


def is_scored(day: dt.date, first: dt.date, today: dt.date) -> bool:
    """A day is scored from the person's first day to her today (in her profile's zone). A day
    after today has not happened: a score for it would grade a day she has not lived yet (the
    phone shows none either, app/firstDay.ts)."""
    return first <= day <= today


def scored_until(last: dt.date, today: dt.date) -> dt.date:
    """The last day of a range that can carry scores (`is_scored`): `last`, or her today when
    `last` is later. The exports and the care-team report stop there rather than grade days
    she has not lived yet."""
    return min(last, today)


def report_out(report: DayReport, first: dt.date, today: dt.date) -> dict[str, Any]:
    """A day report for the API: scored from the person's first day to her today; a day outside
    keeps its totals and says, by `scored`, that it has no scores, components, flags or next
    step."""
    out = report_to_dict(report) | {
        "first_day": first,
        "scored": is_scored(report.date, first, today),
    }
    if not out["scored"]:
        out |= UNSCORED | {
            "components": [],
            "flags": [],
            "adherence": [],
            "next_best_action": None,
        }
    return out


def patterns(session: Session, user: User, day: dt.date) -> Patterns:
    """§8 for `day`: symptoms and workouts of d-56 … d, two queries whatever the history."""
    profile = profile_of(user)
    start, end = _window(user.time_zone, day, PATTERN_DAYS)
    symptoms = entries.mappings_between(session, user.id, kinds.SYMPTOMS, start, end)
    workouts = entries.mappings_between(session, user.id, kinds.WORKOUTS, start, end)
    return compute_patterns(
        DayInput(
            day=day,
            profile=profile,
            symptoms=tuple(_symptom(r) for r in symptoms),
            workouts=tuple(_workout(r) for r in workouts),
        )
    )


def day_series(session: Session, user: User, first: dt.date, last: dt.date) -> list[DayReport]:
    history = History(session, user, first, last)
    days = (last - first).days + 1
    return [history.report(first + dt.timedelta(days=n)) for n in range(days)]


def summary(report: DayReport, first: dt.date, today: dt.date) -> dict[str, Any]:
    totals = report.totals
    scored = is_scored(report.date, first, today)
    return {
        "date": report.date,
        "scored": scored,
        "overall": report.overall if scored else None,
        "bone": report.bone if scored else None,
        "heart": report.heart if scored else None,
        "joint": report.joint if scored else None,
        "entry_count": report.entry_count,
        "calcium_mg": totals.calcium_mg,
        "vitamin_d_iu_7day_avg": totals.vitamin_d_iu_7day_avg,
        "epa_dha_mg_7day_avg": totals.epa_dha_mg_7day_avg,
        "aerobic_minutes_w7": totals.minutes_w7.get("aerobic", 0.0),
    }


def targets(user: User) -> list[dict[str, Any]]:
    return [vars(t) for t in effective_targets(profile_of(user))]


def activities() -> list[dict[str, Any]]:
    return [
        {
            "key": a.key,
            "label": a.label,
            "aerobic": a.flags.aerobic,
            "weight_bearing": a.flags.weight_bearing,
            "resistance": a.flags.resistance,
            "high_impact": a.flags.high_impact,
            "low_impact": a.flags.low_impact,
            "muscle_groups": list(a.muscle_groups),
        }
        for a in CATALOG.values()
    ]
