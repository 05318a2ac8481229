"""The export document and the answers of the portability routes.

An exported record is its kind's write fields (`XFields`, the same shape a client POSTs) plus
its `id` and `created_at`, so an import validates each record with the very schema the REST API
uses, and a record that the API would refuse can never be restored.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, Field

from fortify.accounts.schemas import ProfileUpdate
from fortify.catalog.schemas import CustomFoodFields
from fortify.core.schema import BoundedJson, Instant, StrictModel
from fortify.entries.schemas import (
    DoseFields,
    LabFields,
    MealFields,
    MeasurementFields,
    RegimenFields,
    SymptomFields,
    WorkoutFields,
)
from fortify.reminders.schemas import ReminderFields

EXPORT_FORMAT: Final = "fortify-export"
EXPORT_VERSION: Final = 1
MAX_RECORDS = 200_000  # per section: some 50 years of a very diligent logger


class RecordMeta(StrictModel):
    id: uuid.UUID = Field(description="The record's id, kept on import.")
    created_at: Instant | None = Field(
        default=None, description="When it was first logged (adherence counts from it)."
    )


# One class per section, so each gets its own name in the OpenAPI schema.
class ExportMeal(RecordMeta, MealFields):
    pass


class ExportRegimen(RecordMeta, RegimenFields):
    pass


class ExportDose(RecordMeta, DoseFields):
    pass


class ExportWorkout(RecordMeta, WorkoutFields):
    pass


class ExportSymptom(RecordMeta, SymptomFields):
    pass


class ExportLab(RecordMeta, LabFields):
    pass


class ExportMeasurement(RecordMeta, MeasurementFields):
    pass


class ExportCustomFood(RecordMeta, CustomFoodFields):
    pass


class ExportReminder(RecordMeta, ReminderFields):
    pass


class ExportFavourite(StrictModel):
    food_id: uuid.UUID
    created_at: Instant | None = None


class ExportConflict(StrictModel):
    """A sync conflict (an overwritten value kept for restoring), as stored."""

    id: uuid.UUID
    entity: Annotated[str, Field(max_length=40)]
    entity_id: uuid.UUID
    field: Annotated[str, Field(max_length=100)]
    losing_value: BoundedJson = None
    winning_value: BoundedJson = None
    losing_device: Annotated[str | None, Field(max_length=100)] = None
    winning_device: Annotated[str | None, Field(max_length=100)] = None
    created_at: Instant
    resolved_at: Instant | None = None
    resolution: Literal["restored", "dismissed"] | None = None


def _records(what: str) -> Any:
    return Field(default_factory=list, max_length=MAX_RECORDS, description=what)


class ExportDocument(StrictModel):
    """Everything a person has: `GET /api/v1/export` writes it, `POST /api/v1/import` reads it."""

    format: Literal["fortify-export"] = EXPORT_FORMAT
    version: Literal[1] = Field(
        default=EXPORT_VERSION, description="Bumped when a change breaks older readers."
    )
    exported_at: Instant
    profile: ProfileUpdate = Field(default_factory=ProfileUpdate)
    regimen: list[ExportRegimen] = _records("My medicines and supplements.")
    meals: list[ExportMeal] = _records("Meals with their items.")
    doses: list[ExportDose] = _records("Logged doses.")
    workouts: list[ExportWorkout] = _records("Workouts.")
    symptoms: list[ExportSymptom] = _records("Joint symptom check-ins.")
    labs: list[ExportLab] = _records("Lab results, as entered.")
    measurements: list[ExportMeasurement] = _records("Body weight.")
    custom_foods: list[ExportCustomFood] = _records("The person's own foods.")
    favourites: list[ExportFavourite] = _records("Favourite foods.")
    reminders: list[ExportReminder] = _records(
        "Stored reminders (a regimen item's default dose reminder is implied by its times)."
    )
    conflicts: list[ExportConflict] = _records("Sync conflicts kept.")


class ImportResult(BaseModel):
    imported: dict[str, int] = Field(description="Records written, per section.")
    skipped: dict[str, int] = Field(
        default_factory=dict, description="Records this server cannot restore, per section."
    )


class AppleHealthResult(BaseModel):
    workouts: int = Field(
        description="Workouts written (new or updated); for a write-only token, accepted "
        "(new or already stored)."
    )
    meals: int = Field(description="Calcium and vitamin D records written as meal entries.")
    measurements: int = Field(description="Body mass records written.")
    unchanged: int = Field(description="Records that were imported before and did not change.")
    skipped: dict[str, int] = Field(
        description="Records left out, by reason (an unmapped workout type, a bad value…)."
    )


class AccountDelete(StrictModel):
    password: Annotated[str, Field(min_length=1, max_length=256)]
