"""Medication adherence (PROTOCOL.md §4a): shown, never scored.

Adherence over a period = days with at least one logged dose / days in the period, for the 7, 30
and 90 local days ending on the scored day. Decision (not spelled out by the protocol): a period
is clipped to begin no earlier than the item's start (its `started_on`, else the local date it
was created), so a person who began two days ago and took both doses sees 2/2, not 2/7. A period
with no days left (the item starts after the scored day) has no adherence: None, not 0.

Only active items marked "prescribed daily" are tracked, whatever their kind: it is the daily
prescription, not the label "medicine", that makes a missed day meaningful.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from fortify.scoring.model import Adherence, Dose, RegimenItem
from fortify.scoring.timeline import local_date, window_start

PERIODS: tuple[int, ...] = (7, 30, 90)


def item_start(item: RegimenItem, zone: ZoneInfo) -> date:
    """The first local day an item existed: `started_on`, else the day it was created."""
    if item.started_on is not None:
        return item.started_on
    return local_date(item.created_at, zone)


def tracked(item: RegimenItem) -> bool:
    return item.prescribed_daily and item.active


def adherence_fraction(
    dose_days: set[date], start: date, day: date, period_days: int
) -> float | None:
    """Share of days in the period (clipped to `start`) with a dose; None for an empty period."""
    first = max(window_start(day, period_days), start)
    days_in_period = (day - first).days + 1
    if days_in_period <= 0:
        return None
    taken = sum(1 for d in dose_days if first <= d <= day)
    return taken / days_in_period


def adherence_for(
    regimen: tuple[RegimenItem, ...],
    doses: tuple[tuple[date, Dose], ...],
    day: date,
    zone: ZoneInfo,
) -> tuple[Adherence, ...]:
    """Adherence of every tracked item, by name (then id), whatever order the regimen came in."""
    results = []
    for item in sorted(regimen, key=lambda i: (i.name.casefold(), i.id)):
        if not tracked(item):
            continue
        dose_days = {d for d, dose in doses if dose.regimen_item_id == item.id}
        start = item_start(item, zone)
        d7, d30, d90 = (adherence_fraction(dose_days, start, day, n) for n in PERIODS)
        results.append(
            Adherence(regimen_item_id=item.id, name=item.name, days_7=d7, days_30=d30, days_90=d90)
        )
    return tuple(results)
