"""Activity over W7 (PROTOCOL.md §1): minutes, days and muscle groups per class.

Minutes are weighted by intensity (moderate 1, vigorous 2, light 0), because the 2018 Physical
Activity Guidelines count 75 vigorous minutes as 150 moderate ones and do not count light
activity. Days are distinct local days with at least one workout of the class, whatever its
intensity: a gentle yoga session is still a low-impact day. Weight-bearing aerobic minutes need
both flags on the same workout.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from fortify.scoring.activities import (
    ACTIVITY_CLASSES,
    resolve_flags,
    resolve_muscle_groups,
)
from fortify.scoring.model import Workout

INTENSITY_FACTOR: dict[str, float] = {"light": 0.0, "moderate": 1.0, "vigorous": 2.0}


@dataclass(frozen=True, kw_only=True)
class ActivitySummary:
    minutes: dict[str, float]
    days: dict[str, int]
    muscle_groups: tuple[str, ...]
    today: frozenset[str]
    """The classes with at least one workout on the scored day itself."""


def summarize(workouts: Iterable[tuple[date, Workout]], day: date) -> ActivitySummary:
    """Summary of the given (local date, workout) pairs, which must all lie in W7(day)."""
    minutes = dict.fromkeys(ACTIVITY_CLASSES, 0.0)
    days: dict[str, set[date]] = {c: set() for c in ACTIVITY_CLASSES}
    groups: set[str] = set()
    for workout_day, workout in workouts:
        flags = resolve_flags(workout)
        weighted = workout.minutes * INTENSITY_FACTOR.get(workout.intensity, 0.0)
        for activity_class in ACTIVITY_CLASSES:
            if flags.has_class(activity_class):
                minutes[activity_class] += weighted
                days[activity_class].add(workout_day)
        if flags.resistance:
            groups |= resolve_muscle_groups(workout)
    return ActivitySummary(
        minutes=minutes,
        days={c: len(d) for c, d in days.items()},
        muscle_groups=tuple(sorted(groups)),
        today=frozenset(c for c, d in days.items() if day in d),
    )
