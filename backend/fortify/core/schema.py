"""Shared Pydantic building blocks: strict models, timestamps that make sense, pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Clocks run ahead and time zones reach UTC+14; anything further ahead is a typo.
FUTURE_SLACK = dt.timedelta(days=2)


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
