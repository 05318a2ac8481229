"""Local days and windows (PROTOCOL.md §1).

An entry belongs to the calendar date of its timestamp in the person's IANA zone. Entries are
stored with their own UTC offset, which may differ from the zone's offset today (travel, DST), so
the engine converts every timestamp to the zone rather than trusting the stored offset's date.
Windows are counted in calendar dates, never in hours: a DST day has 23 or 25 hours and still
counts as one day, and W7(d) is the seven dates d-6 ... d.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


E = TypeVar("E", bound=_HasId)
T = TypeVar("T")


def zone_of(name: str) -> ZoneInfo:
    """The profile's zone; ValueError (not a bare KeyError) for an unknown name."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def local_date(ts: datetime, zone: ZoneInfo) -> date:
    """The local calendar date of an aware timestamp."""
    if ts.tzinfo is None or ts.utcoffset() is None:
        raise ValueError(f"timestamp {ts.isoformat()} has no UTC offset")
    return ts.astimezone(zone).date()


def window_start(day: date, days: int) -> date:
    """First date of the `days`-day window ending on `day` (inclusive)."""
    return day - timedelta(days=days - 1)


def dated(
    entries: Iterable[E], stamp: Callable[[E], datetime], zone: ZoneInfo, last: date
) -> list[tuple[date, E]]:
    """Each entry up to `last` with its local date, in time order (equal instants by id).

    Entries after `last` are dropped: a report never depends on what was logged later. The
    fixed order makes every result independent of the order entries arrive in.
    """
    # (instant, id, local date, entry): each stamp read once; sorted on the first two only.
    kept = []
    for entry in entries:
        instant = stamp(entry)
        day = local_date(instant, zone)
        if day <= last:
            kept.append((instant, entry.id, day, entry))
    kept.sort(key=lambda row: (row[0], row[1]))
    return [(day, entry) for _, _, day, entry in kept]


def between(pairs: Iterable[tuple[date, T]], first: date, last: date) -> list[T]:
    """The entries whose local date lies in first ... last (inclusive)."""
    return [entry for day, entry in pairs if first <= day <= last]
