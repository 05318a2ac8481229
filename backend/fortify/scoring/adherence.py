"""Medication adherence (PROTOCOL.md §4a): shown, never scored.

Adherence over a period = days with at least one logged dose / days in the period, for 7, 30
and 90 local days. v1.1: the n-day period shown on day d is d-n+1 … d once a dose is logged on
d, and d-n … d-1 while none is, so a person who takes their tablet in the evening is not shown
"6 of 7" every morning. A period is clipped to begin no earlier than the item's start (§1:
`started_on`, else the earlier of its creation day and its earliest dose's day), so a person who
began two days ago and took both doses sees 2/2, not 2/7. A period with no days left (the item
starts after the period's last day) has no adherence: None, not 0.

Only active items marked "prescribed daily" are tracked, medicines and supplements alike: it is
the daily prescription, not the label "medicine", that makes a missed day meaningful.
"""

from __future__ import annotations

from datetime import date, timedelta

from fortify.scoring.model import Adherence, Dose, RegimenItem
from fortify.scoring.timeline import window_start

PERIODS: tuple[int, ...] = (7, 30, 90)


def tracked(item: RegimenItem) -> bool:
    return item.prescribed_daily and item.active


def adherence_days(
    dose_days: set[date], start: date, day: date, period_days: int
) -> tuple[int, int]:
    """(days with a dose, days) of the period of `period_days` ending on `day`, clipped to
    `start`; (0, 0) for an empty period. The day report's fractions and the care-team report's
    "n of m days" are both this count (one source of truth)."""
    first = max(window_start(day, period_days), start)
    days_in_period = (day - first).days + 1
    if days_in_period <= 0:
        return 0, 0
    return sum(1 for d in dose_days if first <= d <= day), days_in_period


def adherence_fraction(
    dose_days: set[date], start: date, day: date, period_days: int
) -> float | None:
    """Share of days in the period ending on `day` (clipped to `start`) with a dose; None for
    an empty period."""
    taken, days = adherence_days(dose_days, start, day, period_days)
    return taken / days if days else None


def period_end(dose_days: set[date], day: date) -> date:
    """The last day of the periods shown on `day`: `day` once it has a dose, else the day before."""
    return day if day in dose_days else day - timedelta(days=1)


def adherence_for(
    regimen: tuple[RegimenItem, ...],
    doses: tuple[tuple[date, Dose], ...],
    day: date,
    starts: dict[str, date],
) -> tuple[Adherence, ...]:
    """Adherence of every tracked item, by name (then id), whatever order the regimen came in."""
    results = []
    for item in sorted(regimen, key=lambda i: (i.name.casefold(), i.id)):
        if not tracked(item):
            continue
        dose_days = {d for d, dose in doses if dose.regimen_item_id == item.id}
        last = period_end(dose_days, day)
        d7, d30, d90 = (adherence_fraction(dose_days, starts[item.id], last, n) for n in PERIODS)
        results.append(
            Adherence(regimen_item_id=item.id, name=item.name, days_7=d7, days_30=d30, days_90=d90)
        )
    return tuple(results)
