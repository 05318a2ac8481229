"""Typed entry tables. Every row belongs to one person and carries sync metadata.

The primary key is (user_id, id): ids are UUIDs chosen by the client so an offline phone can
create rows, and scoping the key by person means nobody can collide with (or probe for) another
person's ids. `version` is the person's change number of the last write (see
`accounts.service.next_version`); `deleted_at` makes a delete a tombstone that sync can pass on.
Timestamps are stored in UTC with the offset the person logged them at, so the API can give back
exactly what was sent.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    false,
    text,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from fortify.core.db import Base, UTCDateTime, utcnow


class EntryMixin:
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @declared_attr.directive
    @classmethod
    def __table_args__(cls) -> tuple[Any, ...]:
        table: str = getattr(cls, "__tablename__")  # noqa: B009
        return (Index(f"ix_{table}_user_id_version", "user_id", "version"),)


class TimedEntryMixin(EntryMixin):
    """An entry that happened at a moment: `at` plus the UTC offset it was logged with."""

    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    utc_offset_minutes: Mapped[int] = mapped_column(Integer)

    @declared_attr.directive
    @classmethod
    def __table_args__(cls) -> tuple[Any, ...]:
        table: str = getattr(cls, "__tablename__")  # noqa: B009
        return (
            Index(f"ix_{table}_user_id_version", "user_id", "version"),
            Index(f"ix_{table}_user_id_at", "user_id", "at"),
        )


class Meal(TimedEntryMixin, Base):
    __tablename__ = "meals"

    name: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class RegimenItem(EntryMixin, Base):
    __tablename__ = "regimen_items"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    form: Mapped[str] = mapped_column(String(40))
    nutrients_per_unit: Mapped[dict[str, Any]] = mapped_column(JSON)
    servings_per_unit: Mapped[dict[str, Any]] = mapped_column(JSON)
    default_units: Mapped[float] = mapped_column(Float)
    schedule_times: Mapped[list[str]] = mapped_column(JSON)
    # 0 = Monday … 6 = Sunday; null = every day (the implicit dose reminder's days).
    schedule_days: Mapped[list[int] | None] = mapped_column(JSON)
    prescribed_daily: Mapped[bool] = mapped_column(Boolean)
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean)
    set_by_care_team: Mapped[bool] = mapped_column(Boolean, server_default=false())


class Dose(TimedEntryMixin, Base):
    __tablename__ = "doses"

    @declared_attr.directive
    @classmethod
    def __table_args__(cls) -> tuple[Any, ...]:
        live_of_an_item = text("deleted_at IS NULL AND regimen_item_id IS NOT NULL")
        return (
            Index("ix_doses_user_id_version", "user_id", "version"),
            Index("ix_doses_user_id_at", "user_id", "at"),
            # Each regimen item's earliest live dose (its start, PROTOCOL.md §1), read by every
            # computed day report: with this index, one step per item instead of a walk over the
            # person's whole history of doses.
            Index(
                "ix_doses_user_id_regimen_item_id_at",
                "user_id",
                "regimen_item_id",
                "at",
                sqlite_where=live_of_an_item,
                postgresql_where=live_of_an_item,
            ),
        )

    regimen_item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    units: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(20))
    form: Mapped[str | None] = mapped_column(String(40))
    nutrients: Mapped[dict[str, Any]] = mapped_column(JSON)
    servings: Mapped[dict[str, Any]] = mapped_column(JSON)


class Workout(TimedEntryMixin, Base):
    __tablename__ = "workouts"

    activity: Mapped[str] = mapped_column(String(64))
    minutes: Mapped[int] = mapped_column(Integer)
    intensity: Mapped[str] = mapped_column(String(10))
    aerobic: Mapped[bool | None] = mapped_column(Boolean)
    weight_bearing: Mapped[bool | None] = mapped_column(Boolean)
    resistance: Mapped[bool | None] = mapped_column(Boolean)
    high_impact: Mapped[bool | None] = mapped_column(Boolean)
    low_impact: Mapped[bool | None] = mapped_column(Boolean)
    muscle_groups: Mapped[list[str]] = mapped_column(JSON)


class Symptom(TimedEntryMixin, Base):
    __tablename__ = "symptoms"

    worst_pain_0_10: Mapped[int] = mapped_column(Integer)
    morning_stiffness_minutes: Mapped[int | None] = mapped_column(Integer)
    locations: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)


class Lab(TimedEntryMixin, Base):
    __tablename__ = "labs"

    kind: Mapped[str] = mapped_column(String(30))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(10))
    site: Mapped[str | None] = mapped_column(String(20))
    value_canonical: Mapped[float] = mapped_column(Float)
    unit_canonical: Mapped[str] = mapped_column(String(10))


class Measurement(TimedEntryMixin, Base):
    __tablename__ = "measurements"

    weight_kg: Mapped[float] = mapped_column(Float)
    weight_entered: Mapped[float] = mapped_column(Float)
    entered_unit: Mapped[str] = mapped_column(String(2))
