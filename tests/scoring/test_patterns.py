"""Patterns (PROTOCOL.md §8): the pure computation against a brute-force count.

The golden vectors 53-59 pin the boundaries (20 weighted minutes, 7 pain days, a difference of
exactly ±1.0); here Hypothesis checks the counts and means for any log. The API's tests are in
tests/days/test_patterns_api.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from fortify.scoring import DayInput, compute_patterns
from fortify.scoring.model import ScoringProfile, Symptom, Workout

DAY = dt.date(2026, 3, 29)  # New York changes to summer time on 2026-03-08, inside the window
ZONE = "America/New_York"
FACTOR = {"light": 0, "moderate": 1, "vigorous": 2}

instants = st.integers(min_value=-70 * 24 * 60, max_value=3 * 24 * 60).map(
    lambda m: dt.datetime(2026, 3, 29, 12, tzinfo=dt.UTC) + dt.timedelta(minutes=m)
)
symptoms = st.lists(
    st.builds(
        Symptom,
        measured_at=instants,
        worst_pain_0_10=st.integers(0, 10),
        id=st.uuids().map(str),
    ),
    max_size=60,
)
workouts = st.lists(
    st.builds(
        Workout,
        started_at=instants,
        activity=st.sampled_from(["walking", "yoga", "swimming", "weights"]),
        minutes=st.integers(1, 40),
        intensity=st.sampled_from(["light", "moderate", "vigorous"]),
        id=st.uuids().map(str),
    ),
    max_size=60,
)


def _half_up(value: Fraction) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


class TestTheCountsAreABruteForceCount:
    @settings(max_examples=150)
    @given(symptoms=symptoms, workouts=workouts)
    def test_for_any_log(self, symptoms: list[Symptom], workouts: list[Workout]) -> None:
        zone = ZoneInfo(ZONE)
        inp = DayInput(
            day=DAY,
            profile=ScoringProfile(time_zone=ZONE),
            symptoms=tuple(symptoms),
            workouts=tuple(workouts),
        )
        pattern = compute_patterns(inp).pain_after_exercise

        after_exercise: list[int] = []
        after_rest: list[int] = []
        for back in range(56):
            day = DAY - dt.timedelta(days=back)
            pains = [
                s.worst_pain_0_10 for s in symptoms if s.measured_at.astimezone(zone).date() == day
            ]
            if not pains:
                continue
            before = day - dt.timedelta(days=1)
            minutes = sum(
                w.minutes * FACTOR[w.intensity]
                for w in workouts
                if w.started_at.astimezone(zone).date() == before
            )
            (after_exercise if minutes >= 20 else after_rest).append(max(pains))

        assert pattern.after_exercise_days == len(after_exercise)
        assert pattern.after_rest_days == len(after_rest)
        assert pattern.days_needed.after_exercise == max(0, 7 - len(after_exercise))
        assert pattern.days_needed.after_rest == max(0, 7 - len(after_rest))
        assert pattern.shown == (len(after_exercise) >= 7 and len(after_rest) >= 7)
        if not pattern.shown:
            assert (pattern.mean_after_exercise, pattern.difference, pattern.direction) == (
                None,
                None,
                None,
            )
            return
        mean_e = Fraction(sum(after_exercise), len(after_exercise))
        mean_r = Fraction(sum(after_rest), len(after_rest))
        assert pattern.mean_after_exercise == _half_up(mean_e)
        assert pattern.mean_after_rest == _half_up(mean_r)
        assert pattern.difference == _half_up(mean_r - mean_e)
        shown = _half_up(mean_r - mean_e)
        expected = "lower" if shown >= 1 else "higher" if shown <= -1 else "no_clear_difference"
        assert pattern.direction == expected
