"""Reminder, push subscription and calendar feed payloads (docs/reminders.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from fortify.core.schema import (
    MULTI_LINE,
    Day,
    Instant,
    ReadModel,
    RecordCreatedAt,
    RecordVersion,
    StrictModel,
)
from fortify.core.urls import WebUrl
from fortify.entries.schemas import clock_times
from fortify.reminders import push

ReminderKind = Literal["dose", "workout", "lab", "custom"]
LabFlag = Literal["vitamin_d_lab_due", "lipids_lab_due", "bone_density_due"]


def _clock_times(values: list[str] | None) -> list[str] | None:
    return None if values is None else clock_times(values)


def _weekdays(values: list[int] | None) -> list[int] | None:
    if values is None:
        return None
    if len(set(values)) != len(values):
        raise PydanticCustomError("unique", "days must not repeat")
    return sorted(values)


class ReminderFields(StrictModel):
    kind: ReminderKind = Field(
        description="dose (of a regimen item), workout, lab (while a protocol lab flag is due) "
        "or custom."
    )
    title: Annotated[str, Field(min_length=1, max_length=200)] = Field(
        description="What the notification says, e.g. 'Anastrozole 1 mg'."
    )
    regimen_item_id: uuid.UUID | None = Field(
        default=None, description="The regimen item a dose reminder is for (dose only)."
    )
    lab_flag: LabFlag | None = Field(
        default=None, description="The PROTOCOL.md §4 flag a lab reminder follows (lab only)."
    )
    times: Annotated[list[str] | None, Field(max_length=12), AfterValidator(_clock_times)] = Field(
        default=None,
        description="Local 24-hour times (HH:MM) in the profile's time zone. Null only on a "
        "dose reminder: follow the regimen item's schedule_times.",
    )
    days_of_week: Annotated[
        list[Annotated[int, Field(ge=0, le=6)]] | None,
        Field(min_length=1, max_length=7),
        AfterValidator(_weekdays),
    ] = Field(default=None, description="0 = Monday … 6 = Sunday; null = every day.")
    enabled: bool = True
    snoozed_until: Instant | None = Field(
        default=None, description="No notification before this instant (a snooze)."
    )
    skip_on: Day | None = Field(
        default=None, description="A local date on which the reminder does not fire."
    )
    note: Annotated[str | None, Field(max_length=2000), MULTI_LINE] = None

    @model_validator(mode="after")
    def _fits_kind(self) -> Self:
        if self.kind == "dose" and self.regimen_item_id is None:
            raise ValueError("regimen_item_id: a dose reminder names its regimen item")
        if self.kind != "dose" and self.regimen_item_id is not None:
            raise ValueError("regimen_item_id: only a dose reminder names a regimen item")
        if self.kind == "lab" and self.lab_flag is None:
            raise ValueError("lab_flag: a lab reminder names the flag it follows")
        if self.kind != "lab" and self.lab_flag is not None:
            raise ValueError("lab_flag: only a lab reminder follows a flag")
        if self.kind != "dose" and not self.times:
            raise ValueError("times: give at least one time")
        if self.snoozed_until is not None and self.snoozed_until.tzinfo is None:
            raise ValueError("snoozed_until: give a UTC offset")
        return self


class ReminderCreate(ReminderFields):
    id: uuid.UUID | None = Field(
        default=None, description="Client-generated UUID; the server makes one when omitted."
    )


class ReminderRead(ReminderFields, ReadModel):
    id: uuid.UUID
    version: RecordVersion
    created_at: RecordCreatedAt
    updated_at: dt.datetime


class ReminderView(ReminderRead):
    """A reminder as listed: stored ones plus each regimen item's implicit dose reminder."""

    implicit: bool = Field(
        default=False,
        description="True for a regimen item's default dose reminder, which has no stored row "
        "(version 0) until it is edited, snoozed or skipped (then it is stored with this id).",
    )
    effective_times: list[str] = Field(description="The times it fires at, resolved.")


class ReminderActed(ReadModel):
    """A snooze's or skip's answer to a write-only token: the record's id, the action's own
    result and when it was written, never the stored reminder nor its history (its version and
    creation time: docs/security.md, F4)."""

    id: uuid.UUID
    snoozed_until: dt.datetime | None
    skip_on: dt.date | None
    updated_at: dt.datetime = Field(description="When this action was written.")


class SnoozeBody(StrictModel):
    minutes: Annotated[int, Field(ge=1, le=24 * 60)] = Field(
        default=30, description="Minutes from now."
    )


class OccurrenceRead(BaseModel):
    id: uuid.UUID
    reminder_id: uuid.UUID
    regimen_item_id: uuid.UUID | None
    kind: ReminderKind
    title: str
    due_at: dt.datetime
    local_time: str = Field(description="The wall-clock time it was due at, HH:MM.")
    status: str
    dose_id: uuid.UUID | None = Field(
        description="The id 'Taken' gives the dose it logs (also when logged offline through "
        "the outbox), so a repeated tap never logs a second dose."
    )


class OccurrenceActed(BaseModel):
    """The short "taken" or "snooze" answer a write-only token once got. Not sent since these
    routes need `read` too (the status itself told whether she had acted); kept in the type so
    a client written against it still reads the answers."""

    id: uuid.UUID
    status: str
    dose_id: uuid.UUID | None


class TakenRead(BaseModel):
    occurrence: OccurrenceRead | OccurrenceActed = Field(
        description="The whole occurrence (the short OccurrenceActed is no longer sent: this "
        "route needs `read` as well as `write`)."
    )
    dose_id: uuid.UUID | None
    dose_created: bool = Field(description="False when the dose existed already (a repeat).")


def _key(check: Callable[[str], tuple[str, str] | None]) -> Callable[[str], str]:
    def checked(value: str) -> str:
        problem = check(value)
        if problem is not None:
            raise PydanticCustomError(problem[0], problem[1])
        return value

    return checked


class PushKeys(StrictModel):
    """The browser's keys: a message is encrypted to them (RFC 8291), so they must work."""

    p256dh: Annotated[
        str,
        Field(min_length=80, max_length=200, pattern=r"^[A-Za-z0-9_\-=]+$"),
        AfterValidator(_key(push.p256dh_problem)),
    ]
    auth: Annotated[
        str,
        Field(min_length=16, max_length=100, pattern=r"^[A-Za-z0-9_\-=]+$"),
        AfterValidator(_key(push.auth_problem)),
    ]


class PushSubscriptionCreate(StrictModel):
    """`PushSubscription.toJSON()` from the browser, plus an optional device name."""

    endpoint: Annotated[WebUrl, Field(min_length=10, max_length=2048)]
    keys: PushKeys
    expirationTime: float | None = Field(default=None, description="Ignored.")
    device_name: Annotated[str | None, Field(max_length=100)] = None


class PushSubscriptionRead(ReadModel):
    id: uuid.UUID
    endpoint: str
    device_name: str | None
    created_at: dt.datetime
    last_success_at: dt.datetime | None


class VapidPublicKey(BaseModel):
    public_key: str = Field(
        description="The applicationServerKey for PushManager.subscribe (base64url, "
        "uncompressed P-256 point)."
    )


class CalendarFeedCreate(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=100)] = "My calendar"


class CalendarFeedRead(ReadModel):
    id: uuid.UUID
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime = Field(
        description="A year after creation or the last renewal; renew to keep it working."
    )
    last_used_at: dt.datetime | None


class CalendarFeedCreated(CalendarFeedRead):
    url: str = Field(description="The secret link (shown once): subscribe to it in a calendar.")
