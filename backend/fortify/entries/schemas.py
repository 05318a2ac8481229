"""Entry payloads (docs/entries-contract.md). Every field has bounds that mean something.

`XFields` is what a client writes (POST without `id`, PUT, and each sync upsert's `fields`);
`XRead` adds the server's metadata. PATCH bodies are generated from `XFields` with every field
optional, and the merged result is validated as a whole `XFields` again, so a PATCH can never
produce a row that a PUT would refuse.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from fortify.core.schema import (
    MULTI_LINE,
    Day,
    ReadModel,
    RecordCreatedAt,
    RecordVersion,
    StrictModel,
    Timestamp,
)
from fortify.scoring.tables import ENTRY_LIMITS
from fortify.scoring.tables import LabKind as LabKind  # re-exported: the entries API names it
from fortify.scoring.units import canonical_lab_value


def hard(key: str, description: str | None = None) -> Any:
    """The field's bounds from the one table of entry limits (scoring/tables.ENTRY_LIMITS): the
    hard range, outside which a number cannot be true. The phone asks about the usual range
    from the same table; the API refuses only the impossible."""
    row = ENTRY_LIMITS[key]
    if row.above_hard_min:
        return Field(gt=row.hard_min, le=row.hard_max, description=description)
    return Field(ge=row.hard_min, le=row.hard_max, description=description)


Grams = Annotated[float, hard("meal_item_grams", "grams")]


class Nutrients(StrictModel):
    """Amounts for the item or dose as eaten/taken. Null = unknown, never zero."""

    energy_kcal: Annotated[float | None, Field(ge=0, le=20000)] = None
    protein_g: Annotated[float | None, Field(ge=0, le=1000)] = None
    calcium_mg: Annotated[float | None, hard("calcium_mg")] = None
    magnesium_mg: Annotated[float | None, hard("magnesium_mg")] = None
    vitamin_d_iu: Annotated[float | None, hard("vitamin_d_iu")] = None
    vitamin_k_mcg: Annotated[float | None, hard("vitamin_k_mcg")] = None
    epa_mg: Annotated[float | None, hard("epa_mg")] = None
    dha_mg: Annotated[float | None, hard("dha_mg")] = None
    ala_g: Annotated[float | None, Field(ge=0, le=100)] = None
    fiber_g: Annotated[float | None, hard("fiber_g")] = None
    mufa_g: Annotated[float | None, Field(ge=0, le=500)] = None
    saturated_fat_g: Annotated[float | None, Field(ge=0, le=500)] = None


class Servings(StrictModel):
    soluble_fiber: Annotated[float | None, Field(ge=0, le=50)] = None
    polyphenol: Annotated[float | None, Field(ge=0, le=50)] = None
    mufa: Annotated[float | None, Field(ge=0, le=50)] = None


ShortText = Annotated[str, Field(min_length=1, max_length=200)]
Note = Annotated[str | None, Field(max_length=2000), MULTI_LINE]


class MealItem(StrictModel):
    food_id: Annotated[str | None, Field(max_length=100)] = None
    food_name: ShortText
    grams: Grams
    nutrients: Nutrients = Field(default_factory=Nutrients)
    servings: Servings = Field(default_factory=Servings)


class MealFields(StrictModel):
    eaten_at: Timestamp
    name: ShortText
    note: Note = None
    items: Annotated[list[MealItem], Field(max_length=100)] = Field(default_factory=list)


class MealRead(MealFields, ReadModel):
    id: uuid.UUID
    version: RecordVersion
    created_at: RecordCreatedAt
    updated_at: dt.datetime


RegimenForm = Literal[
    "calcium_carbonate",
    "calcium_citrate",
    "calcium_phosphate",
    "calcium_other",
    "vitamin_d3",
    "vitamin_d2",
    "vitamin_k2_mk7",
    "vitamin_k2_mk4",
    "vitamin_k1",
    "magnesium_glycinate",
    "magnesium_citrate",
    "magnesium_oxide",
    "magnesium_other",
    "fish_oil",
    "algal_oil",
    "psyllium",
    "turmeric",
    "ginger",
    "multivitamin",
    "anastrozole",
    "other_medicine",
    "other",
]
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def clock_times(values: list[str]) -> list[str]:
    """Local clock times (HH:MM, 24-hour), each once, in order."""
    for value in values:
        if not _CLOCK.match(value):
            raise PydanticCustomError(
                "clock_time", "'{value}' is not a 24-hour time like 08:00", {"value": value}
            )
    if len(set(values)) != len(values):
        raise PydanticCustomError("unique", "times must not repeat")
    return sorted(values)


def weekdays(values: list[int] | None) -> list[int] | None:
    """Days of the week (0 = Monday … 6 = Sunday), each once, in order; None = every day."""
    if values is None:
        return None
    if len(set(values)) != len(values):
        raise PydanticCustomError("unique", "days must not repeat")
    return sorted(values)


class RegimenFields(StrictModel):
    name: ShortText
    kind: Literal["medicine", "supplement"]
    form: RegimenForm = "other"
    nutrients_per_unit: Nutrients = Field(default_factory=Nutrients)
    servings_per_unit: Servings = Field(default_factory=Servings)
    default_units: Annotated[float, hard("dose_units")] = 1
    schedule_times: Annotated[list[str], Field(max_length=12), AfterValidator(clock_times)] = Field(
        default_factory=list, description="Local times, 24-hour HH:MM."
    )
    schedule_days: Annotated[
        list[Annotated[int, Field(ge=0, le=6)]] | None,
        Field(min_length=1, max_length=7),
        AfterValidator(weekdays),
    ] = Field(
        default=None,
        description="The days the schedule_times are for: 0 = Monday … 6 = Sunday; null = every "
        "day. The item's implicit dose reminder fires on these days only (a stored dose reminder "
        "naming the item keeps its own days_of_week).",
    )
    prescribed_daily: bool = Field(
        default=False,
        description="Taken every day as prescribed: a day with no dose is flagged the next day. "
        "It does not choose the reminder's days (schedule_days does).",
    )
    started_on: Day | None = None
    active: bool = True
    set_by_care_team: bool = Field(
        default=False,
        description="Prescribed or recommended by the person's care team (PROTOCOL.md §1): its "
        "doses count toward targets but not toward the supplement upper-limit flags.",
    )


class RegimenRead(RegimenFields, ReadModel):
    id: uuid.UUID
    version: RecordVersion
    created_at: RecordCreatedAt
    updated_at: dt.datetime


class DoseFields(StrictModel):
    regimen_item_id: uuid.UUID | None = None
    taken_at: Timestamp
    units: Annotated[float, hard("dose_units")] = 1
    kind: Literal["medicine", "supplement"] | None = Field(
        default=None, description="Snapshot of the item's kind; taken from the item when omitted."
    )
    form: RegimenForm | None = None
    nutrients: Nutrients | None = Field(
        default=None, description="Total for this dose; computed from the item when omitted."
    )
    servings: Servings | None = None


class DoseRead(ReadModel):
    id: uuid.UUID
    regimen_item_id: uuid.UUID | None
    taken_at: dt.datetime
    units: float
    kind: Literal["medicine", "supplement"] | None = Field(
        description="Null only in the answer to a write-only token that did not send it (the "
        "regimen item's kind is stored, but such a token may not read it)."
    )
    form: str | None
    nutrients: Nutrients
    servings: Servings
    version: RecordVersion
    created_at: RecordCreatedAt
    updated_at: dt.datetime


MuscleGroup = Literal["legs", "hips", "back", "abdomen", "chest", "shoulders", "arms", "full_body"]


class WorkoutFields(StrictModel):
    activity: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")]
    started_at: Timestamp
    minutes: Annotated[int, hard("workout_minutes")]
    intensity: Literal["light", "moderate", "vigorous"] = "moderate"
    aerobic: bool | None = None
    weight_bearing: bool | None = None
    resistance: bool | None = None
    high_impact: bool | None = None
    low_impact: bool | None = None
    muscle_groups: Annotated[list[MuscleGroup], Field(max_length=8)] = Field(default_factory=list)


class WorkoutRead(WorkoutFields, ReadModel):
    id: uuid.UUID
    version: RecordVersion
    created_at: RecordCreatedAt
    updated_at: dt.datetime


class SymptomFields(StrictModel):
    measured_at: Timestamp
    worst_pain_0_10: Annotated[int, hard("worst_pain_0_10", "Worst joint pain, 0-10.")]
    morning_stiffness_minutes: Annotated[int | None, hard("morning_stiffness_minutes")] = None
    locations: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=40)]], Field(max_length=30)
    ] = Field(default_factory=list)
    note: Note = None


class SymptomRead(SymptomFields, ReadModel):
    id: uuid.UUID
    version: RecordVersion
    created_at: RecordCreatedAt
    updated_at: dt.datetime


LabUnit = Literal["ng/mL", "nmol/L", "mg/dL", "mmol/L", "T-score"]
DxaSite = Literal["lumbar_spine", "total_hip", "femoral_neck", "forearm"]


class LabFields(StrictModel):
    measured_at: Timestamp
    kind: LabKind
    value: Annotated[float, Field(ge=-8, le=10000)]
    unit: LabUnit
    site: DxaSite | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> Self:
        try:
            canonical, unit = canonical_lab_value(self.kind, self.value, self.unit)
        except ValueError as exc:
            raise PydanticCustomError("unit_fits_kind", "unit: {why}", {"why": str(exc)}) from exc
        # The hard range in the canonical unit (ENTRY_LIMITS): beyond it, a typo, not a result.
        row = ENTRY_LIMITS[f"lab_{self.kind}"]
        low, high = row.hard_min, row.hard_max
        if not low <= canonical <= high:
            raise PydanticCustomError(
                "plausible_range",
                "value: {kind} must be between {low} and {high} {unit}",
                {"kind": self.kind, "low": low, "high": high, "unit": unit},
            )
        if self.site is not None and self.kind != "dxa_t_score":
            raise PydanticCustomError("site_only_for_dxa", "site: only a DXA T-score has a site")
        return self

    def canonical(self) -> tuple[float, str]:
        return canonical_lab_value(self.kind, self.value, self.unit)


class LabRead(LabFields, ReadModel):
    id: uuid.UUID
    value_canonical: float
    unit_canonical: str
    version: RecordVersion
    created_at: RecordCreatedAt
    updated_at: dt.datetime


class MeasurementFields(StrictModel):
    measured_at: Timestamp
    weight_kg: Annotated[float | None, hard("weight_kg")] = None
    weight_lb: Annotated[float | None, hard("weight_lb")] = None

    @model_validator(mode="after")
    def _exactly_one_weight(self) -> Self:
        if (self.weight_kg is None) == (self.weight_lb is None):
            raise PydanticCustomError(
                "exactly_one_weight", "weight_kg: give exactly one of weight_kg and weight_lb"
            )
        return self


class MeasurementRead(ReadModel):
    id: uuid.UUID
    measured_at: dt.datetime
    weight_kg: float
    entered_unit: Literal["kg", "lb"]
    version: RecordVersion
    created_at: RecordCreatedAt
    updated_at: dt.datetime


class EntryIdMixin(BaseModel):
    id: uuid.UUID | None = Field(
        default=None, description="Client-generated UUID; the server makes one when omitted."
    )
