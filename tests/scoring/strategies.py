"""Hypothesis strategies for a scoring day: shared by the property tests and by
tools/gen_golden_vectors.py, which draws the generated golden vectors from `days()`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

from fortify.scoring import DayInput
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
from fortify.scoring.tables import SUPPLEMENT_NUTRIENT_KEYS

DAY = date(2026, 3, 10)
START = datetime(2026, 3, 1, tzinfo=UTC)
NUTRIENTS = SUPPLEMENT_NUTRIENT_KEYS
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
