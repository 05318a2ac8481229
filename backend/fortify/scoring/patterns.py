"""Patterns (PROTOCOL.md §8, v1.1): what the person's own log shows, never scored.

`pain_after_exercise` compares worst joint pain on days after an exercise day with days after a
rest day, over the 56 local days d-55 … d. A pain day is a day with a check-in (its pain: the
day's largest worst-pain value); it is "after exercise" when the day before holds at least 20
weighted minutes of any workout (moderate 1, vigorous 2, light 0, as in §1).

Exact arithmetic. Pain values are integers, so each mean is a fraction S/n and the difference
(mean after rest - mean after exercise) is (S_r·n_e - S_e·n_r)/(n_e·n_r). Each is rounded half
up to one decimal from that exact fraction with integer arithmetic, floor((20·num + den) /
(2·den)) tenths, so a difference of exactly 1.0 is 1.0 in both engines, never 0.999….

Decision (the protocol leaves it open): the wording follows the difference as shown, rounded,
so the person never reads "1.0 points" next to "no clear difference".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

from fortify.scoring.exercise import INTENSITY_FACTOR
from fortify.scoring.model import DayInput, DaysNeeded, PainAfterExercise, Patterns
from fortify.scoring.timeline import local_date, window_start, zone_of
from fortify.scoring.wording import plural, say

PATTERN_DAYS = 56
MIN_PAIN_DAYS = 7
EXERCISE_DAY_MINUTES = 20.0
CLEAR_DIFFERENCE_TENTHS = 10


def compute_patterns(inp: DayInput) -> Patterns:
    zone = zone_of(inp.profile.time_zone)
    day = inp.day
    first = window_start(day, PATTERN_DAYS)
    pain = worst_pain_by_day(
        ((local_date(s.measured_at, zone), s.worst_pain_0_10) for s in inp.symptoms), first, day
    )
    minutes = weighted_minutes_by_day(
        (local_date(w.started_at, zone), w.minutes * INTENSITY_FACTOR.get(w.intensity, 0.0))
        for w in inp.workouts
    )
    return Patterns(pain_after_exercise=pain_after_exercise(pain, minutes))


def worst_pain_by_day(
    entries: Iterable[tuple[date, int]], first: date, last: date
) -> dict[date, int]:
    pain: dict[date, int] = {}
    for day, value in entries:
        if first <= day <= last:
            pain[day] = max(value, pain.get(day, value))
    return pain


def weighted_minutes_by_day(entries: Iterable[tuple[date, float]]) -> dict[date, float]:
    minutes: dict[date, float] = {}
    for day, weighted in entries:
        minutes[day] = minutes.get(day, 0.0) + weighted
    return minutes


def pain_after_exercise(pain: dict[date, int], minutes: dict[date, float]) -> PainAfterExercise:
    after_exercise: list[int] = []
    after_rest: list[int] = []
    for day in sorted(pain):
        exercised = minutes.get(day - timedelta(days=1), 0.0) >= EXERCISE_DAY_MINUTES
        (after_exercise if exercised else after_rest).append(pain[day])
    n_e, n_r = len(after_exercise), len(after_rest)
    needed = DaysNeeded(
        after_exercise=max(0, MIN_PAIN_DAYS - n_e), after_rest=max(0, MIN_PAIN_DAYS - n_r)
    )
    if needed.after_exercise or needed.after_rest:
        return PainAfterExercise(
            shown=False,
            after_exercise_days=n_e,
            after_rest_days=n_r,
            mean_after_exercise=None,
            mean_after_rest=None,
            difference=None,
            direction=None,
            days_needed=needed,
            text=not_yet_text(needed),
        )
    s_e, s_r = sum(after_exercise), sum(after_rest)
    mean_e = tenths(s_e, n_e)
    mean_r = tenths(s_r, n_r)
    difference = tenths(s_r * n_e - s_e * n_r, n_e * n_r)
    direction: Literal["lower", "higher", "no_clear_difference"] = (
        "lower"
        if difference >= CLEAR_DIFFERENCE_TENTHS
        else "higher"
        if difference <= -CLEAR_DIFFERENCE_TENTHS
        else "no_clear_difference"
    )
    return PainAfterExercise(
        shown=True,
        after_exercise_days=n_e,
        after_rest_days=n_r,
        mean_after_exercise=mean_e / 10,
        mean_after_rest=mean_r / 10,
        difference=difference / 10,
        direction=direction,
        days_needed=needed,
        text=shown_text(mean_e, mean_r, difference, direction),
    )


def tenths(numerator: int, denominator: int) -> int:
    """numerator/denominator rounded half up to one decimal, in tenths, exactly."""
    return (20 * numerator + denominator) // (2 * denominator)


def _one_decimal(t: int) -> str:
    sign = "-" if t < 0 else ""
    return f"{sign}{abs(t) // 10}.{abs(t) % 10}"


def shown_text(mean_e: int, mean_r: int, difference: int, direction: str) -> str:
    opening = say("pattern.opening", exercise=_one_decimal(mean_e), rest=_one_decimal(mean_r))
    not_proof = say("pattern.not_proof")
    if direction == "no_clear_difference":
        return say("pattern.no_clear_difference", opening=opening, not_proof=not_proof)
    shown = difference if direction == "lower" else -difference
    return say(
        f"pattern.{direction}",
        opening=opening,
        difference=_one_decimal(shown),
        not_proof=not_proof,
    )


def not_yet_text(needed: DaysNeeded) -> str:
    parts = []
    if needed.after_exercise:
        count = plural(needed.after_exercise, "more check-in")
        parts.append(say("pattern.needed.after_exercise", count=count))
    if needed.after_rest:
        count = plural(needed.after_rest, "more check-in")
        parts.append(say("pattern.needed.after_rest", count=count))
    return say("pattern.needed", parts=say("pattern.needed.and").join(parts))
