"""The day report as the API documents it (the engine's `DayReport`, field for field)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ComponentOut(BaseModel):
    key: str = Field(description="Stable component key (PROTOCOL.md §3), e.g. calcium_total.")
    domain: Literal["bone", "heart", "joint"]
    weight: float = Field(description="The protocol's weight within its domain.")
    effective_weight: float = Field(description="After excluded components were renormalised.")
    credit: float = Field(ge=0, le=1, description="0..1, three decimals.")
    value: float | None = Field(description="What was measured, in `unit`.")
    target: float | None
    unit: str
    excluded: bool
    excluded_reason: str | None
    explanation: str = Field(description="One plain-language line.")


class TotalsOut(BaseModel):
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
    servings: dict[str, float] = Field(description="soluble_fiber, polyphenol, mufa servings.")
    minutes_w7: dict[str, float] = Field(description="Weighted minutes per class in W7.")
    days_w7: dict[str, int] = Field(description="Distinct days per class in W7.")
    muscle_groups_w7: list[str]


class FlagOut(BaseModel):
    key: str
    message: str


class AdherenceOut(BaseModel):
    regimen_item_id: str
    name: str
    days_7: float | None
    days_30: float | None
    days_90: float | None


class NextBestActionOut(BaseModel):
    key: str
    points: float = Field(description="Overall points this step would add.")
    text: str


class DayReportOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "date": "2026-11-27",
                    "overall": 58,
                    "bone": 61,
                    "heart": 52,
                    "joint": 62,
                    "components": [
                        {
                            "key": "calcium_total",
                            "domain": "bone",
                            "weight": 0.25,
                            "effective_weight": 0.278,
                            "credit": 0.667,
                            "value": 800,
                            "target": 1200,
                            "unit": "mg",
                            "excluded": False,
                            "excluded_reason": None,
                            "explanation": "800 of 1200 mg calcium from food and supplements.",
                        }
                    ],
                    "totals": {"calcium_mg": 800, "vitamin_d_iu_7day_avg": 1000},
                    "flags": [
                        {"key": "vitamin_d_lab_due", "message": "No vitamin D test in 6 months."}
                    ],
                    "adherence": [
                        {
                            "regimen_item_id": "5f0c…",
                            "name": "Anastrozole 1 mg",
                            "days_7": 1.0,
                            "days_30": 0.967,
                            "days_90": 0.978,
                        }
                    ],
                    "next_best_action": {
                        "key": "calcium_total",
                        "points": 6.67,
                        "text": "Take your evening calcium dose: 400 mg would bring calcium to "
                        "1200 of 1200 mg",
                    },
                    "entry_count": 5,
                }
            ]
        }
    )

    date: dt.date
    first_day: dt.date = Field(
        description="The person's first day: the local day the account was made, or of the "
        "first entry when earlier. Days before it have no scores."
    )
    scored: bool = Field(
        description="False for a day before `first_day` or after the person's today (in "
        "the profile's time zone): scores are null and components, flags, adherence and the "
        "next step are empty."
    )
    overall: int | None = Field(ge=0, le=100)
    bone: int | None = Field(ge=0, le=100)
    heart: int | None = Field(ge=0, le=100)
    joint: int | None = Field(ge=0, le=100)
    components: list[ComponentOut]
    totals: TotalsOut
    flags: list[FlagOut]
    adherence: list[AdherenceOut]
    next_best_action: NextBestActionOut | None = Field(
        description="Null when every raisable component is already at full credit."
    )
    entry_count: int = Field(description="Entries logged on this local day (0: nothing yet).")


class DaySummaryOut(BaseModel):
    date: dt.date
    scored: bool = Field(
        description="False before the person's first day or after her today: no scores."
    )
    overall: int | None
    bone: int | None
    heart: int | None
    joint: int | None
    entry_count: int
    calcium_mg: float
    vitamin_d_iu_7day_avg: float
    epa_dha_mg_7day_avg: float
    aerobic_minutes_w7: float


class DaySeriesOut(BaseModel):
    days: list[DaySummaryOut]


class WeekOut(BaseModel):
    week: str = Field(examples=["2026-W48"])
    first_day: dt.date
    last_day: dt.date
    minutes: dict[str, float] = Field(description="Weighted minutes per activity class.")
    days: dict[str, int] = Field(description="Distinct days per activity class.")
    muscle_groups: list[str]
    averages: dict[str, float] = Field(
        description="Daily averages over the week: scores, calcium_mg, vitamin_d_iu, epa_dha_mg."
    )
    adherence: list[AdherenceOut]
    days_logged: int


class TargetOut(BaseModel):
    key: str
    value: float
    unit: str
    source: str
    set_by_care_team: bool
    overridden: bool


class ProtocolOut(BaseModel):
    protocol_version: Literal["1.1"] = Field(
        default="1.1", description="The version of PROTOCOL.md the engine implements."
    )
    targets: list[TargetOut]


class ActivityOut(BaseModel):
    key: str
    label: str
    aerobic: bool
    weight_bearing: bool
    resistance: bool
    high_impact: bool
    low_impact: bool
    muscle_groups: list[str]


class DaysNeededOut(BaseModel):
    after_exercise: int = Field(ge=0, description="More check-ins needed after exercise days.")
    after_rest: int = Field(ge=0, description="More check-ins needed after rest days.")


class PainAfterExerciseOut(BaseModel):
    shown: bool = Field(description="Both groups hold at least 7 pain days in d-55 … d.")
    after_exercise_days: int = Field(
        ge=0, description="Pain days whose previous day held at least 20 weighted minutes."
    )
    after_rest_days: int = Field(ge=0, description="The other pain days.")
    mean_after_exercise: float | None = Field(
        description="Mean worst pain (0-10), one decimal; null while not shown."
    )
    mean_after_rest: float | None = Field(description="Likewise; null while not shown.")
    difference: float | None = Field(
        description="Mean after rest minus mean after exercise, one decimal; null while not shown."
    )
    direction: Literal["lower", "higher", "no_clear_difference"] | None = Field(
        description="Pain after exercise days compared with rest days (|difference| >= 1.0 is "
        "clear); null while not shown."
    )
    days_needed: DaysNeededOut
    text: str = Field(description="One plain-language paragraph for the person.")


class PatternsOut(BaseModel):
    """PROTOCOL.md §8: patterns in the person's own log, never scored."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pain_after_exercise": {
                        "shown": True,
                        "after_exercise_days": 11,
                        "after_rest_days": 16,
                        "mean_after_exercise": 3.4,
                        "mean_after_rest": 4.9,
                        "difference": 1.5,
                        "direction": "lower",
                        "days_needed": {"after_exercise": 0, "after_rest": 0},
                        "text": "Over the last 8 weeks, your worst joint pain averaged 3.4 of 10 "
                        "on days after you exercised and 4.9 after rest days: 1.5 points lower "
                        "after exercise days. This is a pattern in your log, not proof of cause.",
                    }
                }
            ]
        }
    )

    pain_after_exercise: PainAfterExerciseOut
