"""Sync payloads (docs/sync.md): a pushed batch, its per-operation answers, a pulled page."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field

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


class Operation(StrictModel):
    # The entity's own schema checks `fields` (NUL included), so a bad value rejects this
    # operation only, not the whole batch.
    nul_check_skip: ClassVar[frozenset[str]] = frozenset({"fields"})

    op_id: OpId
    entity: Annotated[
        str,
        Field(
            min_length=1,
            max_length=40,
            description="meals, regimen, doses, workouts, symptoms, labs, measurements, "
            "reminders, profile, custom_foods, favourites. An unknown entity rejects this "
            "operation only.",
        ),
    ]
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

    entity: str
    id: uuid.UUID
    version: int
    deleted: bool
    fields: dict[str, Any] | None


class ConflictRead(ReadModel):
    id: uuid.UUID
    entity: str
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
