"""Plain data in and out of the scoring engine.

The engine takes everything as frozen dataclasses so a caller (the API service, a test, the
golden-vector loader) builds the input once and cannot change it under the engine's feet.
Timestamps are timezone-aware datetimes (the stored UTC offset of each entry); the engine works
out each entry's local day itself from the profile's IANA zone, so the caller may pass more
entries than one day needs (e.g. the last 90 days and every lab up to the day).

Nutrient dicts use the keys of docs/entries-contract.md; a missing key or `None` means "unknown"
and adds nothing. Servings dicts use `soluble_fiber`, `polyphenol`, `mufa`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Any, Literal

from fortify.scoring.tables import Domain as Domain

#: The version of PROTOCOL.md this engine implements: part of every cached day report's stamp,
#: so a change of the rules never serves a report computed by the old ones.
PROTOCOL_VERSION = "1.1"

Sex = Literal["female", "male"]
Intensity = Literal["light", "moderate", "vigorous"]

# --- input -------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TargetOverride:
    """A person's (or their clinician's) own value for one target key."""

    value: float
    set_by_care_team: bool = False


@dataclass(frozen=True, kw_only=True)
class ScoringProfile:
    """The profile fields that scoring reads."""

    sex: Sex | None = None
    height_cm: float | None = None
    time_zone: str = "UTC"
    cleared_for_high_impact: bool = False
    on_anticoagulant: bool = False
    osteoporosis: bool = False
    target_overrides: dict[str, TargetOverride] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class MealItem:
    """One food of a meal, with the nutrient and serving amounts as eaten."""

    food_name: str = ""
    grams: float | None = None
    nutrients: dict[str, float | None] = field(default_factory=dict)
    servings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Meal:
    id: str = ""
    eaten_at: datetime
    name: str = ""
    items: tuple[MealItem, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Dose:
    """One logged dose of a medicine or supplement; `nutrients` are the dose's totals."""

    id: str = ""
    taken_at: datetime
    kind: str = "supplement"
    form: str | None = None
    regimen_item_id: str | None = None
    units: float = 1.0
    nutrients: dict[str, float | None] = field(default_factory=dict)
    servings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class RegimenItem:
    """An entry of "my medicines and supplements".

    `nutrients_per_unit`, `default_units` and `schedule_times` are optional; the next best action
    uses them to phrase "take your evening calcium dose: 400 mg ...".

    `earliest_dose_at` is the item's earliest logged dose, for its start (PROTOCOL.md §1), when
    the caller passes only recent doses (the API passes 91 days); the engine also looks at the
    item's doses it was given, so a caller that passes every dose may leave it out.
    `set_by_care_team` (v1.1) keeps the item's doses out of the supplement upper-limit flags.
    """

    id: str
    name: str
    kind: str = "supplement"
    form: str = "other"
    prescribed_daily: bool = False
    started_on: date | None = None
    created_at: datetime
    active: bool = True
    nutrients_per_unit: dict[str, float | None] = field(default_factory=dict)
    default_units: float = 1.0
    schedule_times: tuple[str, ...] = ()
    set_by_care_team: bool = False
    earliest_dose_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Workout:
    """A workout; a non-None flag overrides the activity catalog's flag."""

    id: str = ""
    started_at: datetime
    activity: str
    minutes: float
    intensity: Intensity = "moderate"
    aerobic: bool | None = None
    weight_bearing: bool | None = None
    resistance: bool | None = None
    high_impact: bool | None = None
    low_impact: bool | None = None
    muscle_groups: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Symptom:
    id: str = ""
    measured_at: datetime
    worst_pain_0_10: int
    morning_stiffness_minutes: float | None = None


@dataclass(frozen=True, kw_only=True)
class Measurement:
    id: str = ""
    measured_at: datetime
    weight_kg: float


@dataclass(frozen=True, kw_only=True)
class Lab:
    """A lab result already converted to its canonical unit (see units.canonical_lab_value)."""

    id: str = ""
    measured_at: datetime
    kind: str
    value_canonical: float


@dataclass(frozen=True, kw_only=True)
class DayInput:
    """Everything the engine needs for one local day `day`."""

    day: date
    profile: ScoringProfile
    meals: tuple[Meal, ...] = ()
    doses: tuple[Dose, ...] = ()
    regimen: tuple[RegimenItem, ...] = ()
    workouts: tuple[Workout, ...] = ()
    symptoms: tuple[Symptom, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    labs: tuple[Lab, ...] = ()


# --- output ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ComponentResult:
    """One scored component. `weight` is the protocol's; `effective_weight` is after exclusions
    were renormalised away (0 when excluded)."""

    key: str
    domain: Domain
    weight: float
    effective_weight: float
    credit: float
    value: float | None
    target: float | None
    unit: str
    excluded: bool = False
    excluded_reason: str | None = None
    explanation: str = ""


@dataclass(frozen=True, kw_only=True)
class Totals:
    """The day's sums (and W7 sums) that the components were scored from."""

    calcium_mg: float
    calcium_food_mg: float
    calcium_supplement_mg: float
    largest_calcium_sitting_mg: float
    vitamin_d_iu: float
    vitamin_d_iu_7day_avg: float
    vitamin_d_supplement_iu_7day_avg: float
    magnesium_mg: float
    magnesium_supplement_mg: float
    vitamin_k_mcg: float
    vitamin_k_food_mcg: float
    epa_dha_mg: float
    epa_dha_mg_7day_avg: float
    ala_g: float
    fiber_g: float
    servings: dict[str, float]
    minutes_w7: dict[str, float]
    days_w7: dict[str, int]
    muscle_groups_w7: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Flag:
    key: str
    message: str


@dataclass(frozen=True, kw_only=True)
class Adherence:
    """Share of days with a logged dose; None when the period has no days (item not started)."""

    regimen_item_id: str
    name: str
    days_7: float | None
    days_30: float | None
    days_90: float | None


@dataclass(frozen=True, kw_only=True)
class NextBestAction:
    key: str
    points: float
    text: str


@dataclass(frozen=True, kw_only=True)
class DayReport:
    date: date
    overall: int
    bone: int
    heart: int
    joint: int
    components: tuple[ComponentResult, ...]
    totals: Totals
    flags: tuple[Flag, ...]
    adherence: tuple[Adherence, ...]
    next_best_action: NextBestAction | None
    entry_count: int


@dataclass(frozen=True, kw_only=True)
class DaysNeeded:
    after_exercise: int
    after_rest: int


@dataclass(frozen=True, kw_only=True)
class PainAfterExercise:
    """PROTOCOL.md §8: worst joint pain on days after exercise days vs after rest days.

    The means, the difference and the direction are None while the pattern is not shown."""

    shown: bool
    after_exercise_days: int
    after_rest_days: int
    mean_after_exercise: float | None
    mean_after_rest: float | None
    difference: float | None
    direction: Literal["lower", "higher", "no_clear_difference"] | None
    days_needed: DaysNeeded
    text: str


@dataclass(frozen=True, kw_only=True)
class Patterns:
    """Every pattern of §8 for one day (one so far)."""

    pain_after_exercise: PainAfterExercise


def report_to_dict(report: DayReport | Patterns) -> dict[str, Any]:
    """The report as JSON-able data: dates as ISO strings, tuples as lists."""
    data = _jsonable(report)
    assert isinstance(data, dict)
    return data


# `dataclasses.asdict` deep-copies every leaf on the way; walking the fields directly gives the
# same dict in half the time (a day report serialises a few hundred values), and each class's
# field names are looked up once, not on each of its instances (a report has hundreds).


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, str | int | float):
        return value
    cls = type(value)
    names = _FIELD_NAMES.get(cls) if cls in _FIELD_NAMES else _field_names(cls)
    if names is not None:
        return {name: _jsonable(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names in order (None for any other class), remembered."""
    names = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
    _FIELD_NAMES[cls] = names
    return names
