"""Properties of the engine that must hold for any day (Hypothesis)."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from fortify.scoring import DayInput, compute_day_report, report_to_dict
from fortify.scoring.activities import CATALOG, MUSCLE_GROUPS
from fortify.scoring.model import (
    Dose,
    Lab,
    Meal,
    MealItem,
    Measurement,
    RegimenItem,
    ScoringProfile,
    Symptom,
    Workout,
)

T = TypeVar("T")
DAY = date(2026, 3, 10)
START = datetime(2026, 3, 1, tzinfo=UTC)
NUTRIENTS = (
    "calcium_mg",
    "magnesium_mg",
    "vitamin_d_iu",
    "vitamin_k_mcg",
    "epa_mg",
    "dha_mg",
    "ala_g",
    "fiber_g",
)
FORMS = (
    "calcium_citrate",
    "calcium_carbonate",
    "vitamin_d3",
    "vitamin_k2_mk7",
    "fish_oil",
    "magnesium_citrate",
    "anastrozole",
    None,
)

moments = st.integers(min_value=0, max_value=10 * 24 * 60 - 1).map(
    lambda m: START + timedelta(minutes=m)
)
amounts = st.dictionaries(
    st.sampled_from(NUTRIENTS),
    st.one_of(st.none(), st.floats(0, 3000, allow_nan=False)),
    max_size=4,
)
servings = st.dictionaries(
    st.sampled_from(("soluble_fiber", "polyphenol", "mufa")), st.floats(0, 4), max_size=3
)
ids = st.uuids().map(str)

meals = st.builds(
    Meal,
    id=ids,
    eaten_at=moments,
    items=st.lists(st.builds(MealItem, nutrients=amounts, servings=servings), max_size=3).map(
        tuple
    ),
)
doses = st.builds(
    Dose,
    id=ids,
    taken_at=moments,
    form=st.sampled_from(FORMS),
    nutrients=amounts,
    servings=servings,
    regimen_item_id=st.sampled_from(("ana", None)),
)
workouts = st.builds(
    Workout,
    id=ids,
    started_at=moments,
    activity=st.sampled_from([*sorted(CATALOG), "unknown_sport"]),
    minutes=st.integers(0, 120),
    intensity=st.sampled_from(("light", "moderate", "vigorous")),
    muscle_groups=st.lists(st.sampled_from([*MUSCLE_GROUPS, "full_body"]), max_size=3).map(tuple),
)
symptoms = st.builds(Symptom, id=ids, measured_at=moments, worst_pain_0_10=st.integers(0, 10))
measurements = st.builds(
    Measurement, id=ids, measured_at=moments, weight_kg=st.floats(40, 150, allow_nan=False)
)
labs = st.builds(
    Lab,
    id=ids,
    measured_at=moments,
    kind=st.sampled_from(("vitamin_d_25oh", "ldl_cholesterol", "dxa_t_score")),
    value_canonical=st.floats(-3, 80, allow_nan=False),
)
profiles = st.builds(
    ScoringProfile,
    sex=st.sampled_from(("female", "male", None)),
    height_cm=st.one_of(st.none(), st.floats(140, 200)),
    cleared_for_high_impact=st.booleans(),
    on_anticoagulant=st.booleans(),
)
ANASTROZOLE = RegimenItem(
    id="ana",
    name="Anastrozole",
    kind="medicine",
    form="anastrozole",
    prescribed_daily=True,
    created_at=START,
)


@st.composite
def days(draw: st.DrawFn) -> DayInput:
    return DayInput(
        day=DAY,
        profile=draw(profiles),
        meals=tuple(draw(st.lists(meals, max_size=5))),
        doses=tuple(draw(st.lists(doses, max_size=5))),
        regimen=(ANASTROZOLE,),
        workouts=tuple(draw(st.lists(workouts, max_size=5))),
        symptoms=tuple(draw(st.lists(symptoms, max_size=3))),
        measurements=tuple(draw(st.lists(measurements, max_size=2))),
        labs=tuple(draw(st.lists(labs, max_size=3))),
    )


def scores(inp: DayInput) -> tuple[int, int, int, int]:
    r = compute_day_report(inp)
    return r.overall, r.bone, r.heart, r.joint


class TestScoreProperties:
    @given(days())
    def test_every_score_is_between_0_and_100(self, inp: DayInput) -> None:
        assert all(0 <= s <= 100 for s in scores(inp))

    @given(days(), st.floats(0, 1200, allow_nan=False))
    def test_food_calcium_up_to_the_target_never_lowers_bone(
        self, inp: DayInput, extra: float
    ) -> None:
        before = compute_day_report(inp)
        room = max(0.0, 1200 - before.totals.calcium_mg)
        meal = Meal(
            id="extra-calcium",
            eaten_at=START + timedelta(days=9, hours=12),
            items=(MealItem(nutrients={"calcium_mg": min(extra, room)}),),
        )
        after = compute_day_report(dataclasses.replace(inp, meals=(*inp.meals, meal)))
        assert after.bone >= before.bone

    @given(days(), st.sampled_from(sorted(CATALOG)), st.integers(0, 9), st.integers(1, 90))
    def test_a_moderate_workout_never_lowers_any_score(
        self, inp: DayInput, activity: str, day_offset: int, minutes: int
    ) -> None:
        w = Workout(
            id="extra-workout",
            started_at=START + timedelta(days=day_offset, hours=7),
            activity=activity,
            minutes=minutes,
            intensity="moderate",
        )
        after = dataclasses.replace(inp, workouts=(*inp.workouts, w))
        assert all(a >= b for a, b in zip(scores(after), scores(inp), strict=True))

    @given(days(), st.randoms(use_true_random=False))
    def test_the_report_does_not_depend_on_entry_order(
        self, inp: DayInput, rnd: random.Random
    ) -> None:
        def shuffled(entries: tuple[T, ...]) -> tuple[T, ...]:
            items = list(entries)
            rnd.shuffle(items)
            return tuple(items)

        mixed = dataclasses.replace(
            inp,
            meals=shuffled(inp.meals),
            doses=shuffled(inp.doses),
            workouts=shuffled(inp.workouts),
            symptoms=shuffled(inp.symptoms),
            measurements=shuffled(inp.measurements),
            labs=shuffled(inp.labs),
        )
        assert report_to_dict(compute_day_report(mixed)) == report_to_dict(compute_day_report(inp))

    @settings(max_examples=50)
    @given(days(), st.integers(-400, 400))
    def test_shifting_everything_by_whole_days_shifts_the_report(
        self, inp: DayInput, shift_days: int
    ) -> None:
        shift = timedelta(days=shift_days)
        moved = DayInput(
            day=inp.day + shift,
            profile=inp.profile,
            meals=tuple(dataclasses.replace(m, eaten_at=m.eaten_at + shift) for m in inp.meals),
            doses=tuple(dataclasses.replace(d, taken_at=d.taken_at + shift) for d in inp.doses),
            regimen=tuple(
                dataclasses.replace(r, created_at=r.created_at + shift) for r in inp.regimen
            ),
            workouts=tuple(
                dataclasses.replace(w, started_at=w.started_at + shift) for w in inp.workouts
            ),
            symptoms=tuple(
                dataclasses.replace(s, measured_at=s.measured_at + shift) for s in inp.symptoms
            ),
            measurements=tuple(
                dataclasses.replace(m, measured_at=m.measured_at + shift) for m in inp.measurements
            ),
            labs=tuple(dataclasses.replace(x, measured_at=x.measured_at + shift) for x in inp.labs),
        )
        original = report_to_dict(compute_day_report(inp))
        shifted = report_to_dict(compute_day_report(moved))
        assert shifted.pop("date") == (inp.day + shift).isoformat()
        original.pop("date")
        _drop_dates(original)
        _drop_dates(shifted)
        assert shifted == original


def _drop_dates(report: dict[str, object]) -> None:
    """Flag messages quote dates (medication_missed names yesterday); compare them without."""
    flags = report["flags"]
    assert isinstance(flags, list)
    for flag in flags:
        if flag["key"] == "medication_missed":
            flag["message"] = ""
