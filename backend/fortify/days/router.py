from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from fortify.accounts.deps import (
    Bearer,
    CurrentUser,
    Person,
    Reader,
    as_person,
    person_etag,
)
from fortify.core.cache import VersionedCache
from fortify.core.clock import local_today
from fortify.core.deps import Now, SessionDep
from fortify.core.errors import InvalidInput, problem_responses
from fortify.core.etag import CACHE_CONTROL, NOT_MODIFIED, conditional, matches
from fortify.core.schema import FIRST_DAY, LAST_DAY, Day
from fortify.days import service
from fortify.days.schemas import (
    ActivityOut,
    DayReportOut,
    DaySeriesOut,
    PatternsOut,
    ProtocolOut,
    WeekOut,
)
from fortify.scoring import PROTOCOL_VERSION, report_to_dict

router = APIRouter(prefix="/api/v1", tags=["scores"], responses=problem_responses(401, 422))
ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
# A report reads up to 90 days back and a day ahead: far-past or far-future days would overflow
# the calendar (found by fuzzing: `from=0001-01-04` was a 500). Query and path days are `Day`s
# (core/schema.py); an ISO week's days are checked here.


def _supported(day: dt.date, field: str) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(
            f"Days from {FIRST_DAY} to {LAST_DAY} only.", field=field, rule="supported_range"
        )
    return day


@router.get("/days/{day}", response_model=DayReportOut, responses=NOT_MODIFIED)
async def read_day(day: Day, request: Request, credentials: Bearer, now: Now) -> Any:
    """The day report: scores, every component with its explanation, totals, flags, adherence
    and the next best action, for a local day in the profile's time zone. Sends an ETag and
    answers 304 to `If-None-Match` while nothing of the person's changed."""
    # async, signing in and answering in one hop to a worker thread (`as_person`): the
    # frequent answers (a 304, this process's cached report) need nothing beyond the counters
    # read at sign-in; a report to look up in Redis or to compute reads in the same hop.
    cache: VersionedCache = request.app.state.report_cache
    return await as_person(request, credentials, _day_answer, request, cache, day, now)


def _day_answer(
    read: Reader,
    person: Person,
    request: Request,
    cache: VersionedCache,
    day: dt.date,
    now: dt.datetime,
) -> Response:
    # The report depends only on the person's rows, their profile, the day and the rules: kept
    # under those versions, it is served again until one of them moves (core/cache.py).
    # A day after today is answered unscored; the same day is scored once it has come, so
    # whether it is still ahead is part of the stamp (the cached body and the ETag move then).
    today = local_today(person.time_zone, now)
    stamp = f"{service.report_stamp(person)}:{'ahead' if day > today else 'come'}"
    tag = person_etag(request, person, stamp)
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    if matches(request, tag):
        return Response(status_code=304, headers=headers)
    slot = f"day:{person.id}:{day.isoformat()}"
    body = cache.get(slot, stamp)
    if body is None:
        # Read after the stamp: if the person wrote meanwhile, the report is newer than its
        # stamp, never older, and the next request (with the newer counter) computes it again.
        with read() as session:
            user = service.report_person(session, person.id)
            report = service.report_out(
                service.day_report(session, user, day), service.first_day(session, user), today
            )
        body = DayReportOut.model_validate(report).model_dump_json(by_alias=True).encode()
        cache.put(slot, stamp, body)
    return Response(body, media_type="application/json", headers=headers)


@router.get("/days", response_model=DaySeriesOut, responses=NOT_MODIFIED)
def list_days(
    request: Request,
    response: Response,
    user: CurrentUser,
    session: SessionDep,
    now: Now,
    from_: Annotated[Day, Query(alias="from", description="First local day.")],
    to: Annotated[Day, Query(description="Last local day, inclusive.")],
) -> Any:
    """A compact series for charts and the calendar: at most 366 days. ETag as for one day."""
    if to < from_:
        raise InvalidInput("'to' is before 'from'.", field="to", rule="after_from")
    if (to - from_).days + 1 > service.MAX_SERIES_DAYS:
        raise InvalidInput(
            f"At most {service.MAX_SERIES_DAYS} days at a time.", field="to", rule="max_range"
        )
    # Days after today are unscored until they come: today is part of the tag.
    today = local_today(user.time_zone, now)
    tag = person_etag(request, user, today.isoformat())
    not_modified = conditional(request, response, tag)
    if not_modified is not None:
        return not_modified
    reports = service.day_series(session, user, from_, to)
    first = service.first_day(session, user)
    return {"days": [service.summary(r, first, today) for r in reports]}


@router.get("/weeks/{iso_week}", response_model=WeekOut)
def read_week(
    iso_week: Annotated[str, Path(examples=["2026-W48"], pattern=r"^\d{4}-W\d{2}$")],
    user: CurrentUser,
    session: SessionDep,
    now: Now,
) -> Any:
    """An ISO week: minutes and days per activity class, daily averages and adherence."""
    match = ISO_WEEK.match(iso_week)
    assert match is not None  # the path pattern guarantees it
    try:
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise InvalidInput("No such ISO week.", field="iso_week", rule="iso_week") from exc
    _supported(monday, "iso_week")
    sunday = _supported(monday + dt.timedelta(days=6), "iso_week")
    reports = service.day_series(session, user, monday, sunday)
    # W7 of the Sunday is exactly the ISO week, so its totals are the week's.
    last = reports[-1]
    # Scores are averaged over the week's scored days (none before the person's first day or
    # after her today).
    first = service.first_day(session, user)
    today = local_today(user.time_zone, now)
    scored = [r for r in reports if service.is_scored(r.date, first, today)]
    averages = {
        key: round(sum(float(getattr(r, key)) for r in scored) / len(scored), 2)
        for key in ("overall", "bone", "heart", "joint")
        if scored
    } | {
        key: round(sum(float(getattr(r.totals, key)) for r in reports) / 7, 2)
        for key in ("calcium_mg", "vitamin_d_iu", "epa_dha_mg", "magnesium_mg", "fiber_g")
    }
    return {
        "week": iso_week,
        "first_day": monday,
        "last_day": sunday,
        "minutes": last.totals.minutes_w7,
        "days": last.totals.days_w7,
        "muscle_groups": list(last.totals.muscle_groups_w7),
        "averages": averages,
        "adherence": report_to_dict(last)["adherence"],
        "days_logged": sum(1 for r in reports if r.entry_count > 0),
    }


@router.get("/patterns", response_model=PatternsOut, responses=NOT_MODIFIED)
def read_patterns(
    request: Request,
    response: Response,
    user: CurrentUser,
    session: SessionDep,
    date: Annotated[Day, Query(description="The local day the patterns are read for.")],
) -> Any:
    """Patterns in the person's own log (PROTOCOL.md §8), over the 56 local days ending on
    `date`: for now, worst joint pain after exercise days compared with after rest days. While
    either group has fewer than 7 check-ins, `shown` is false and `days_needed` says how many
    more each needs. ETag as for a day report."""
    not_modified = conditional(request, response, person_etag(request, user))
    if not_modified is not None:
        return not_modified
    return report_to_dict(service.patterns(session, user, date))


@router.get("/protocol", response_model=ProtocolOut)
def read_protocol(user: CurrentUser) -> Any:
    """This person's effective targets, each with its source and whether their care team set it."""
    return {"protocol_version": PROTOCOL_VERSION, "targets": service.targets(user)}


@router.get("/activities", response_model=list[ActivityOut])
def list_activities(user: CurrentUser) -> Any:
    """The activity catalog: how each activity counts (PROTOCOL.md §2)."""
    return service.activities()
