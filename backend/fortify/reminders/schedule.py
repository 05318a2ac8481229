"""When a schedule is due: local wall-clock times in an IANA zone, turned into UTC instants.

Pure: no database, no clock (every function takes the instants it needs), standard library
only. A reminder at 08:00 means 08:00 on the person's wall clock every day, whatever the UTC
offset that day: the instant is computed per local date with `zoneinfo`, never by adding 24 h
to yesterday's instant (which drifts by an hour across a daylight-saving change).

Two wall-clock times need a rule:

- **Nonexistent** (the spring-forward gap: 02:30 on 2026-03-08 in New York): the reminder fires
  at the first valid instant after it, the end of the gap (03:00 EDT). Never skipped, never an
  hour late.
- **Ambiguous** (the fall-back repeat: 01:30 on 2026-11-01 in New York happens twice): it fires
  once, at the first of the two (01:30 EDT, `fold=0`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

ALL_DAYS: frozenset[int] = frozenset(range(7))


@dataclass(frozen=True)
class Schedule:
    """Local times on some weekdays (0 = Monday … 6 = Sunday), except one skipped date."""

    times: tuple[dt.time, ...]
    days_of_week: frozenset[int] = ALL_DAYS
    skip_on: dt.date | None = None

    @classmethod
    def of(
        cls,
        times: Iterable[str],
        days_of_week: Iterable[int] | None = None,
        skip_on: dt.date | None = None,
    ) -> Schedule:
        """From the stored shape: "HH:MM" strings and a weekday list (None = every day)."""
        parsed = tuple(sorted({dt.time.fromisoformat(t) for t in times}))
        days = ALL_DAYS if days_of_week is None else frozenset(days_of_week)
        return cls(parsed, days, skip_on)


def wall_time_instant(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant of `time` on `day` in `zone`, by the module's gap and fold rules."""
    local = dt.datetime.combine(day, time, zone)  # fold=0: the first of an ambiguous pair
    instant = local.astimezone(dt.UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    # Nonexistent: fold=1 reads it with the offset before the gap, fold=0 with the one after;
    # the transition lies between the two readings. Find its first second by bisection.
    lo = int(min(instant, local.replace(fold=1).astimezone(dt.UTC)).timestamp())
    hi = int(max(instant, local.replace(fold=1).astimezone(dt.UTC)).timestamp())
    offset_after = _offset(hi, zone)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _offset(mid, zone) == offset_after:
            hi = mid
        else:
            lo = mid
    return dt.datetime.fromtimestamp(hi, dt.UTC)


def _offset(timestamp: int, zone: ZoneInfo) -> dt.timedelta | None:
    return dt.datetime.fromtimestamp(timestamp, zone).utcoffset()


def occurrences_on(schedule: Schedule, day: dt.date, zone: ZoneInfo) -> list[dt.datetime]:
    """The UTC instants the schedule is due on local `day` (empty on a skipped or off day)."""
    if day == schedule.skip_on or day.weekday() not in schedule.days_of_week:
        return []
    return sorted({wall_time_instant(day, t, zone) for t in schedule.times})


def occurrences_between(
    schedule: Schedule, zone: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> Iterator[tuple[dt.date, dt.time, dt.datetime]]:
    """(local date, local time, UTC instant) of each occurrence with start <= instant < end,
    in order. `start` and `end` are aware instants."""
    if not schedule.times or end <= start:
        return
    # One local day of slack each side covers every UTC offset (-12 h … +14 h).
    day = start.astimezone(zone).date() - dt.timedelta(days=1)
    last = end.astimezone(zone).date() + dt.timedelta(days=1)
    while day <= last:
        if day != schedule.skip_on and day.weekday() in schedule.days_of_week:
            seen: set[dt.datetime] = set()
            for time in schedule.times:
                instant = wall_time_instant(day, time, zone)
                if start <= instant < end and instant not in seen:
                    seen.add(instant)
                    yield day, time, instant
        day += dt.timedelta(days=1)


def is_occurrence(schedule: Schedule, zone: ZoneInfo, day: dt.date, instant: dt.datetime) -> bool:
    """Whether `instant` is still one of the schedule's occurrences on local `day` (a planned
    occurrence goes stale when the person edits the times or moves to another zone)."""
    return instant in occurrences_on(schedule, day, zone)
