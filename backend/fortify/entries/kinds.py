"""The registry of entry kinds: one place that says how each payload maps to its table.

Generic code (REST routes, sync, export) walks this registry instead of repeating itself for
seven kinds. Every kind is an `EntryResource` (entries/resource.py: the pattern entries share
with reminders and people's own foods). A kind's `to_columns` turns validated fields into
column values; `row_fields` turns a row back into the writable fields (for PATCH merges and
conflict copies). Meals and doses add a `check`: a meal may name only foods the person can see,
and a dose takes its snapshot from its regimen item.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, create_model
from sqlalchemy import JSON, func, select
from sqlalchemy.orm import Session

from fortify.catalog import service as catalog
from fortify.core import limits
from fortify.core.db import utcnow
from fortify.core.errors import InvalidInput
from fortify.core.schema import MULTI_LINE, StrictModel, real_offset
from fortify.entries import models, schemas
from fortify.entries.resource import EntryResource
from fortify.scoring.units import lb_to_kg

Row = models.EntryMixin


@dataclass(frozen=True)
class EntryKind(EntryResource):
    name: str  # the URL segment and the sync entity name, e.g. "meals"
    label: str  # one entry, in words
    model: type[Any]
    fields: type[StrictModel]
    read: type[BaseModel]
    time_field: str | None  # the payload's name for the row's `at`
    to_columns: Callable[[StrictModel], dict[str, Any]] | None = None
    to_fields_extra: Callable[[Any], dict[str, Any]] | None = None
    # Keys replaced together by a PATCH: sending one drops the others from the stored fields.
    exclusive_groups: tuple[frozenset[str], ...] = ()
    patch: type[StrictModel] = field(init=False)
    # The write schema's field names, read once: pydantic's `model_fields` is slow per row.
    field_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "patch", _partial(self.fields))
        object.__setattr__(self, "field_names", tuple(self.fields.model_fields))

    def find(self, session: Session, user_id: uuid.UUID, record_id: uuid.UUID) -> Any:
        return session.get(self.model, (user_id, record_id))

    def new_row(self, user_id: uuid.UUID, record_id: uuid.UUID) -> Any:
        return self.model(user_id=user_id, id=record_id, created_at=utcnow())

    def columns(self, data: StrictModel) -> dict[str, Any]:
        if self.to_columns is not None:
            return self.to_columns(data)
        return default_columns(self, data)

    def row_fields(self, row: Any) -> dict[str, Any]:
        """The stored row as a writable-fields dict (JSON-ready)."""
        out: dict[str, Any] = {}
        for name in self.field_names:
            if name == self.time_field:
                out[name] = localized(row).isoformat()
            elif hasattr(row, name):
                value = getattr(row, name)
                out[name] = value.isoformat() if isinstance(value, dt.date) else value
        if self.to_fields_extra is not None:
            out.update(self.to_fields_extra(row))
        return out

    def read_row(self, row: Any) -> BaseModel:
        data: dict[str, Any] = {}
        for name in self.read.model_fields:
            if name == self.time_field:
                data[name] = localized(row)
            elif hasattr(row, name):
                data[name] = getattr(row, name)
        return self.read.model_validate(data)


def live_regimen_item(
    session: Session, user_id: uuid.UUID, item_id: uuid.UUID
) -> models.RegimenItem | None:
    """The person's regimen item with this id, unless it is missing or deleted."""
    item = session.get(models.RegimenItem, (user_id, item_id))
    return None if item is None or item.deleted_at is not None else item


def require_regimen_item(
    session: Session, user_id: uuid.UUID, item_id: uuid.UUID
) -> models.RegimenItem:
    """The one "regimen item exists" rule (doses, reminders): 422 naming `regimen_item_id`."""
    item = live_regimen_item(session, user_id, item_id)
    if item is None:
        raise InvalidInput("No regimen item with this id.", field="regimen_item_id", rule="exists")
    return item


class MealKind(EntryKind):
    def check(self, session: Session, user_id: uuid.UUID, data: StrictModel) -> StrictModel:
        # Items may name only foods the person can see; those they name become recent.
        assert isinstance(data, schemas.MealFields)
        catalog.check_meal_foods(session, user_id, [item.food_id for item in data.items])
        return data


class RegimenKind(EntryKind):
    # Each item has an implicit dose reminder, stored on its first edit outside the reminders
    # cap: the items are capped instead, so those are bounded too (outside probe F4).
    per_person = (
        limits.MAX_REGIMEN_ITEMS,
        "medicines and supplements",
        "Delete one you no longer take, then add this one.",
    )

    def live_count(self, session: Session, user_id: uuid.UUID) -> int:
        stmt = select(func.count()).where(
            models.RegimenItem.user_id == user_id, models.RegimenItem.deleted_at.is_(None)
        )
        return session.scalar(stmt) or 0

    def on_tombstone(self, session: Session, user_id: uuid.UUID, row: Any) -> None:
        """A deleted item takes its stored dose reminders with it, whatever path deleted it
        (REST, a sync push): left live, one fired nothing yet counted toward the reminders cap
        and could not be edited (issue #13, F5). Their tombstones reach other devices by the
        pull feed; the item brought back (a restored conflict) has its implicit reminder
        again."""
        from fortify.reminders import service as reminders  # reminders imports entries

        reminders.drop_item_reminders(session, user_id, row.id)


class DoseKind(EntryKind):
    def check(self, session: Session, user_id: uuid.UUID, data: StrictModel) -> StrictModel:
        """Fill a dose's snapshot from its regimen item, so later edits to the item never
        rewrite what was taken on an earlier day."""
        assert isinstance(data, schemas.DoseFields)
        item: models.RegimenItem | None = None
        if data.regimen_item_id is not None:
            item = require_regimen_item(session, user_id, data.regimen_item_id)
        updates: dict[str, Any] = {}
        if data.kind is None:
            updates["kind"] = item.kind if item else "supplement"
        if data.form is None and item is not None:
            updates["form"] = item.form
        if data.nutrients is None:
            per_unit = item.nutrients_per_unit if item else {}
            updates["nutrients"] = schemas.Nutrients(
                **{k: v * data.units for k, v in per_unit.items() if v is not None}
            )
        if data.servings is None:
            per_unit = item.servings_per_unit if item else {}
            updates["servings"] = schemas.Servings(
                **{k: v * data.units for k, v in per_unit.items() if v is not None}
            )
        return data.model_copy(update=updates)

    def sent_only(self, data: StrictModel) -> StrictModel:
        """A write-only principal's answer: what it sent, the snapshot it did not send left
        unknown (null kind and form, nutrients and servings all null = unknown), never the
        regimen item's (docs/security.md, F4)."""
        assert isinstance(data, schemas.DoseFields)
        return data.model_copy(
            update={
                "nutrients": data.nutrients or schemas.Nutrients(),
                "servings": data.servings or schemas.Servings(),
            }
        )


def _partial(model: type[StrictModel]) -> type[StrictModel]:
    """Every field optional, the rules left to the merged record's validation; a text that may
    hold line breaks keeps its mark, as every other text of a StrictModel is one line."""
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation: Any = info.annotation | None  # type: ignore[operator]
        if MULTI_LINE in info.metadata:
            annotation = Annotated[annotation, MULTI_LINE]
        fields[name] = (annotation, None)
    partial: type[StrictModel] = create_model(
        f"{model.__name__.removesuffix('Fields')}Patch", __base__=StrictModel, **fields
    )
    return partial


def localized(row: Any) -> dt.datetime:
    """The row's instant at the offset it was entered with; in UTC when that offset is none a
    clock shows (beyond -12:00..+14:00: stored before the API refused them), so that no export,
    answer or PATCH merge carries a time the API itself would refuse."""
    at: dt.datetime = row.at
    offset = dt.timedelta(minutes=row.utc_offset_minutes)
    return at.astimezone(dt.timezone(offset) if real_offset(offset) else dt.UTC)


def default_columns(kind: EntryKind, data: StrictModel) -> dict[str, Any]:
    table = kind.model.__table__
    out: dict[str, Any] = {}
    for name in kind.fields.model_fields:
        value = getattr(data, name)
        if name == kind.time_field:
            offset = value.utcoffset() or dt.timedelta(0)
            out["at"] = value
            out["utc_offset_minutes"] = int(offset.total_seconds() // 60)
        elif name in table.c and isinstance(table.c[name].type, JSON):
            out[name] = data.model_dump(mode="json", include={name})[name]
        elif name in table.c:
            out[name] = value
    return out


def _measurement_columns(data: StrictModel) -> dict[str, Any]:
    assert isinstance(data, schemas.MeasurementFields)
    out = default_columns(MEASUREMENTS, data)
    if data.weight_kg is not None:
        out.update(weight_kg=data.weight_kg, weight_entered=data.weight_kg, entered_unit="kg")
    else:
        assert data.weight_lb is not None
        out.update(
            weight_kg=round(lb_to_kg(data.weight_lb), 3),
            weight_entered=data.weight_lb,
            entered_unit="lb",
        )
    return out


def _measurement_fields(row: Any) -> dict[str, Any]:
    if row.entered_unit == "lb":
        return {"weight_kg": None, "weight_lb": row.weight_entered}
    return {"weight_kg": row.weight_entered, "weight_lb": None}


def _lab_columns(data: StrictModel) -> dict[str, Any]:
    assert isinstance(data, schemas.LabFields)
    out = default_columns(LABS, data)
    out["value_canonical"], out["unit_canonical"] = data.canonical()
    return out


MEALS = MealKind("meals", "meal", models.Meal, schemas.MealFields, schemas.MealRead, "eaten_at")
REGIMEN = RegimenKind(
    "regimen", "regimen item", models.RegimenItem, schemas.RegimenFields, schemas.RegimenRead, None
)
DOSES = DoseKind("doses", "dose", models.Dose, schemas.DoseFields, schemas.DoseRead, "taken_at")
WORKOUTS = EntryKind(
    "workouts", "workout", models.Workout, schemas.WorkoutFields, schemas.WorkoutRead, "started_at"
)
SYMPTOMS = EntryKind(
    "symptoms",
    "symptom check-in",
    models.Symptom,
    schemas.SymptomFields,
    schemas.SymptomRead,
    "measured_at",
)
LABS = EntryKind(
    "labs",
    "lab result",
    models.Lab,
    schemas.LabFields,
    schemas.LabRead,
    "measured_at",
    to_columns=_lab_columns,
)
MEASUREMENTS = EntryKind(
    "measurements",
    "measurement",
    models.Measurement,
    schemas.MeasurementFields,
    schemas.MeasurementRead,
    "measured_at",
    to_columns=_measurement_columns,
    to_fields_extra=_measurement_fields,
    exclusive_groups=(frozenset({"weight_kg", "weight_lb"}),),
)

KINDS: dict[str, EntryKind] = {
    k.name: k for k in (MEALS, REGIMEN, DOSES, WORKOUTS, SYMPTOMS, LABS, MEASUREMENTS)
}
