"""Shared Pydantic building blocks: strict models, timestamps that make sense, pages."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Clocks run ahead and time zones reach UTC+14; anything further ahead is a typo.
FUTURE_SLACK = dt.timedelta(days=2)


NUL = "\x00"
_NO_NUL = PydanticCustomError("no_nul", "must not contain the NUL character (\\u0000)")


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, never silently dropped.

    No text may hold a NUL character (U+0000), at any depth: PostgreSQL refuses it in text
    and JSON, SQLite would store it, so it is refused here, once, with the field's path
    (rule `no_nul`) and both databases answer the same. Nested StrictModels check themselves.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    # Fields left to another schema to check (a sync operation's `fields`, validated per op).
    nul_check_skip: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _refuse_nul(self) -> Self:
        skip = self.nul_check_skip
        for name, value in self.__dict__.items():
            if name not in skip and (found := _nul_path(value)) is not None:
                error = InitErrorDetails(type=_NO_NUL, loc=(name, *found), input=value)
                raise ValidationError.from_exception_data(type(self).__name__, [error])
        return self


_PLAIN: frozenset[type] = frozenset(
    {int, float, bool, type(None), dt.datetime, dt.date, dt.time, dt.timedelta, uuid.UUID}
)


def _nul_path(value: Any) -> tuple[str | int, ...] | None:
    """Where a NUL hides in a value (the path inside it; () for the value itself), or None."""
    kind = type(value)
    if kind is str:
        return () if NUL in value else None
    if kind in _PLAIN:  # most fields: no text inside
        return None
    if isinstance(value, str):
        return () if NUL in value else None
    if isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            if (found := _nul_path(item)) is not None:
                return (i, *found)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and NUL in key:
                return (key,)
            if (found := _nul_path(item)) is not None:
                return (key, *found)
    elif isinstance(value, BaseModel) and not isinstance(value, StrictModel):
        for key, item in value.__dict__.items():
            if (found := _nul_path(item)) is not None:
                return (key, *found)
    return None


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _sensible_instant(value: dt.datetime) -> dt.datetime:
    if value < EARLIEST:
        raise ValueError("must be on or after 1970-01-01")
    if value > dt.datetime.now(dt.UTC) + FUTURE_SLACK:
        raise ValueError("must not be more than 2 days in the future")
    return value


Timestamp = Annotated[
    AwareDatetime,
    AfterValidator(_sensible_instant),
    Field(description="ISO 8601 with a UTC offset, e.g. 2026-11-27T08:00:00+01:00"),
]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )
