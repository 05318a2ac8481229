"""The export document and the answers of the portability routes.

An exported record is its kind's write fields (`XFields`, the same shape a client POSTs) plus
its `id` and `created_at`, so an import validates each record with the very schema the REST API
uses, and a record that the API would refuse can never be restored.

Version 2 leaves out a record's null fields (`without_nulls`): a very large account's version-1
export (93,676 meals, mostly unknown nutrients written out as `null`) was 107 MB, over what the
import reads. Version 1 documents are still read: the import reads an absent field as null.
"""

from __future__ import annotations

import functools
import types
import uuid
from typing import Annotated, Any, Final, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Field

from fortify.accounts.schemas import ProfileUpdate
from fortify.catalog.schemas import CustomFoodFields
from fortify.core.schema import MULTI_LINE, BoundedJson, Instant, StrictModel
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
EXPORT_VERSION: Final = 3
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


class ExportAppleHealth(StrictModel):
    """What a repeat Apple Health upload needs to recognise this file's entries (F1)."""

    accounts: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=100,
        description="The accounts whose Apple Health imports gave this file's entries their "
        "ids: the exporting account first, then those it was imported from.",
    )
    deleted: dict[
        Literal["meals", "workouts", "measurements"],
        Annotated[list[uuid.UUID], Field(max_length=MAX_RECORDS)],
    ] = Field(
        default_factory=dict,
        description="Ids of entries deleted in the exporting account (Apple Health meals, all "
        "workouts and weights): a repeat Apple Health upload does not bring them back.",
    )


def _records(what: str) -> Any:
    return Field(default_factory=list, max_length=MAX_RECORDS, description=what)


class ExportDocument(StrictModel):
    """Everything a person has: `GET /api/v1/export` writes it, `POST /api/v1/import` reads it."""

    format: Literal["fortify-export"] = EXPORT_FORMAT
    version: Literal[1, 2, 3] = Field(
        default=EXPORT_VERSION,
        description="Bumped when a change breaks older readers. 3: `apple_health` added; 2: a "
        "record's null fields are left out (absent reads as null); 1 (null fields written "
        "out) and 2 are still read.",
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
    apple_health: ExportAppleHealth = Field(
        default_factory=ExportAppleHealth,
        description="Apple Health provenance, so that uploading the same export.zip again "
        "after a move adds nothing twice and keeps deletions (absent before version 3).",
    )


#: Sections written whole, nulls included. The profile is one object, and on import an absent
#: profile field means "leave the account's value as it is" (its fields are a PATCH), not null;
#: `apple_health` is one object that holds no nulls.
KEEPS_NULLS: Final = frozenset({"profile", "apple_health"})

# How `without_nulls` walks a model: per field, whether a null may be left out (the field reads
# absent as null: optional with the default None) and the model its value holds, if any, with
# how ("one" model, a "list" of them, or a "dict" of them).
_Walk = dict[str, tuple[bool, tuple[str, type[BaseModel]] | None]]


def _held_model(annotation: Any) -> tuple[str, type[BaseModel]] | None:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _held_model(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        held = [m for m in map(_held_model, get_args(annotation)) if m is not None]
        return held[0] if len(held) == 1 else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return ("one", annotation)
    if origin is list and (inner := _held_model(get_args(annotation)[0])) and inner[0] == "one":
        return ("list", inner[1])
    if origin is dict and (inner := _held_model(get_args(annotation)[1])) and inner[0] == "one":
        return ("dict", inner[1])
    return None  # a plain value, or JSON of any shape (a conflict's values): kept as it is


@functools.cache
def _walk(model: type[BaseModel]) -> _Walk:
    return {
        # A field of JSON of any shape (a conflict's `losing_value`) keeps its null: there null
        # is the value that was overwritten, written out as such rather than left to a default.
        name: (
            not info.is_required() and info.default is None and info.annotation is not Any,
            _held_model(info.annotation),
        )
        for name, info in model.model_fields.items()
    }


def without_nulls(model: type[BaseModel], record: dict[str, Any]) -> dict[str, Any]:
    """`record` (JSON-ready fields of `model`) without the nulls its schema reads as absent,
    in nested records too (meal items, nutrients). Only where the field's default is None:
    a null that means something else is kept, and so is JSON of any shape (a conflict's
    `losing_value` may itself hold nulls)."""
    walk = _walk(model)
    out: dict[str, Any] = {}
    for name, value in record.items():
        droppable, held = walk.get(name, (False, None))
        if value is None:
            if not droppable:
                out[name] = value
            continue
        if held is not None:
            how, inner = held
            if how == "one" and isinstance(value, dict):
                value = without_nulls(inner, value)
            elif how == "list" and isinstance(value, list):
                value = [without_nulls(inner, v) if isinstance(v, dict) else v for v in value]
            elif how == "dict" and isinstance(value, dict):
                value = {
                    k: without_nulls(inner, v) if isinstance(v, dict) else v
                    for k, v in value.items()
                }
        out[name] = value
    return out


def section_record_model(section: str) -> type[BaseModel]:
    """The model of one record of a list section (`ExportMeal` for "meals")."""
    held = _held_model(ExportDocument.model_fields[section].annotation)
    assert held is not None and held[0] == "list", section
    return held[1]


class ImportResult(BaseModel):
    imported: dict[str, int] = Field(description="Records written, per section.")
    skipped: dict[str, int] = Field(
        default_factory=dict,
        description="Records this import left as the account has them, per section: on a "
        "rerun, a profile changed since the first run keeps its changes (`profile`: 1).",
    )
    present: dict[str, int] = Field(
        default_factory=dict,
        description="Records the account held already as the file has them (written by an "
        "earlier run of this import that was cut short), left alone, per section.",
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
    password: Annotated[str, Field(min_length=1, max_length=256), MULTI_LINE]
