"""Sync payloads (docs/sync.md): a pushed batch, its per-operation answers, a pulled page."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, Field

from fortify.core.schema import ReadModel, StrictModel

MAX_OPS = 500
MAX_PULL = 1000

OpId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="Client-generated, unique per person (a UUID); the same on every retry.",
    ),
]
DeviceId = Annotated[str, Field(min_length=1, max_length=100, description="Stable per install.")]


# Published in the OpenAPI schema, so the PWA types each write by its entity. `ENTITIES` in
# entities.py holds one adapter per name; tests/sync/test_schemas.py keeps the two equal.
class SyncEntityName(StrEnum):
    """The kinds of record sync carries."""

    MEALS = "meals"
    REGIMEN = "regimen"
    DOSES = "doses"
    WORKOUTS = "workouts"
    SYMPTOMS = "symptoms"
    LABS = "labs"
    MEASUREMENTS = "measurements"
    REMINDERS = "reminders"
    PROFILE = "profile"
    CUSTOM_FOODS = "custom_foods"
    FAVOURITES = "favourites"


def _any_name(value: object) -> object:
    return value


# An operation's entity: the schema says `SyncEntityName`, but validation takes any short text,
# because an unknown entity must reject its own operation only (service.py answers `rejected`),
# never the whole batch as a 422 would.
OperationEntity = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        description="One of SyncEntityName. An unknown entity rejects this operation only.",
    ),
    BeforeValidator(_any_name, json_schema_input_type=SyncEntityName),
]


class Operation(StrictModel):
    # The entity's own schema checks `fields` (NUL included), so a bad value rejects this
    # operation only, not the whole batch.
    nul_check_skip: ClassVar[frozenset[str]] = frozenset({"fields"})

    op_id: OpId
    entity: OperationEntity
    id: uuid.UUID = Field(description="The record's id (for `profile`: the person's id).")
    kind: Literal["upsert", "delete"]
    base_version: Annotated[int | None, Field(ge=0)] = Field(
        default=None,
        description="The record's version this change was made on; null for a new record.",
    )
    fields: dict[str, Any] | None = Field(
        default=None,
        description="Upsert: the fields to write (all of them for a new record, only the "
        "changed ones for an edit). Delete: omitted.",
    )


class PushRequest(StrictModel):
    device_id: DeviceId
    operations: Annotated[list[Operation], Field(max_length=MAX_OPS)]


class Record(BaseModel):
    """A record as the server holds it; `fields` is null for a tombstone."""

    entity: SyncEntityName
    id: uuid.UUID
    version: int
    deleted: bool
    fields: dict[str, Any] | None


class ConflictRead(ReadModel):
    id: uuid.UUID
    # Text, not SyncEntityName: a conflict stored before imports checked entity names (or kept
    # from a newer app's export) may name one this app does not keep; it must still list and
    # be dismissed (restoring it is a 409), never make the whole list a 500.
    entity: str = Field(description="One of SyncEntityName, or a name this app does not keep.")
    entity_id: uuid.UUID
    field: str = Field(description='A field name, or "*" for the whole record.')
    losing_value: Any = Field(description="The value that was overwritten (restorable).")
    winning_value: Any = Field(description="The value that took its place (null: deleted).")
    losing_device: str | None
    winning_device: str | None
    created_at: dt.datetime
    resolved_at: dt.datetime | None = None
    resolution: Literal["restored", "dismissed"] | None = None


class OpResult(BaseModel):
    op_id: str
    status: Literal["applied", "duplicate", "conflict", "rejected"]
    version: int | None = Field(
        default=None, description="applied: the record's version after this operation."
    )
    merged: bool = Field(
        default=False, description="applied: the base was stale and the fields were merged."
    )
    conflicts: list[ConflictRead] = Field(
        default_factory=list, description="Values this operation overwrote or that lost."
    )
    record: Record | None = Field(
        default=None,
        description="conflict, and applied with merged: the server's record as it is now.",
    )
    problem: dict[str, Any] | None = Field(
        default=None, description="rejected: RFC 9457 problem details naming the field."
    )
    original: dict[str, Any] | None = Field(
        default=None, description="duplicate: the answer this op_id got the first time."
    )


class PushResponse(BaseModel):
    results: list[OpResult]


class PullResponse(BaseModel):
    changes: list[Record] = Field(description="Ordered by version; tombstones included.")
    cursor: str = Field(description="Opaque; pass it to the next pull.")
    has_more: bool


class ConflictPage(BaseModel):
    items: list[ConflictRead]
