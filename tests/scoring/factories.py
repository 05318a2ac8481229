"""Small typed factories for scoring inputs: a day at 2026-03-10 in UTC unless told otherwise."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fortify.scoring.model import (
    DayInput,
    Dose,
    Intensity,
    Lab,
    Meal,
    MealItem,
    Measurement,
    RegimenItem,
    ScoringProfile,
    Symptom,
    Workout,
)

DAY = date(2026, 3, 10)


def at(days: int = 0, hour: int = 12, minute: int = 0, day: date = DAY) -> datetime:
    """A UTC timestamp `days` after `day` at hour:minute."""
    base = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
    return base + timedelta(days=days)


def profile(**overrides: object) -> ScoringProfile:
    values: dict[str, object] = {"sex": "female", "height_cm": 165.0}
    values.update(overrides)
    return ScoringProfile(**values)  # type: ignore[arg-type]


def food(
    when: datetime,
    nutrients: dict[str, float | None] | None = None,
    servings: dict[str, float] | None = None,
    meal_id: str = "",
) -> Meal:
    item = MealItem(food_name="food", nutrients=nutrients or {}, servings=servings or {})
    return Meal(id=meal_id or f"meal-{when.isoformat()}", eaten_at=when, items=(item,))


def dose(
    when: datetime,
    nutrients: dict[str, float | None] | None = None,
    form: str | None = "calcium_citrate",
    regimen_item_id: str | None = None,
    servings: dict[str, float] | None = None,
) -> Dose:
    return Dose(
        id=f"dose-{when.isoformat()}-{form}",
        taken_at=when,
        form=form,
        regimen_item_id=regimen_item_id,
        nutrients=nutrients or {},
        servings=servings or {},
    )


def workout(
    when: datetime,
    activity: str,
    minutes: float = 30,
    intensity: Intensity = "moderate",
    **flags: object,
) -> Workout:
    return Workout(
        id=f"workout-{when.isoformat()}-{activity}",
        started_at=when,
        activity=activity,
        minutes=minutes,
        intensity=intensity,
        **flags,  # type: ignore[arg-type]
    )


def symptom(when: datetime, pain: int) -> Symptom:
    return Symptom(id=f"symptom-{when.isoformat()}", measured_at=when, worst_pain_0_10=pain)


def weight(when: datetime, kg: float) -> Measurement:
    return Measurement(id=f"weight-{when.isoformat()}", measured_at=when, weight_kg=kg)


def lab(when: datetime, kind: str, value: float) -> Lab:
    return Lab(
        id=f"lab-{when.isoformat()}-{kind}", measured_at=when, kind=kind, value_canonical=value
    )


def medicine(
    item_id: str = "ana",
    created: datetime | None = None,
    started_on: date | None = None,
    **fields: object,
) -> RegimenItem:
    values: dict[str, object] = {
        "id": item_id,
        "name": "Anastrozole",
        "kind": "medicine",
        "form": "anastrozole",
        "prescribed_daily": True,
        "started_on": started_on,
        "created_at": created or at(-100),
    }
    values.update(fields)
    return RegimenItem(**values)  # type: ignore[arg-type]


def day_input(day: date = DAY, prof: ScoringProfile | None = None, **entries: object) -> DayInput:
    return DayInput(day=day, profile=prof or profile(), **entries)  # type: ignore[arg-type]
