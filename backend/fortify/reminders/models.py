"""Reminder tables.

`reminders` is a syncable entry table (the `EntryMixin` of `fortify.entries`: key
(user_id, id) with a client id, `version`, tombstones), so the sync feed and the REST API treat
it like any entry. The other four tables are server-side state and are not synced:
`reminder_occurrences` (one row per person, reminder and due instant, the unit the delivery
worker claims), `reminder_plans` (how far each person's occurrences are planned, and from which
of their changes), `push_subscriptions` (a browser's Web Push endpoint and keys) and
`calendar_feeds` (the hashes of secret calendar links).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from fortify.core.db import Base, UTCDateTime, utcnow
from fortify.entries.models import EntryMixin


class Reminder(EntryMixin, Base):
    __tablename__ = "reminders"

    kind: Mapped[str] = mapped_column(String(10))  # dose | workout | lab | custom
    title: Mapped[str] = mapped_column(String(200))
    regimen_item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    lab_flag: Mapped[str | None] = mapped_column(String(30))
    # Local 24-hour "HH:MM" times; null on a dose reminder = the regimen item's schedule_times.
    times: Mapped[list[str] | None] = mapped_column(JSON)
    # ISO weekdays as 0 (Monday) … 6 (Sunday); null = every day.
    days_of_week: Mapped[list[int] | None] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(Boolean)
    snoozed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    skip_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class ReminderOccurrence(Base):
    """One due instant of one reminder: planned ahead, claimed by one worker, sent once."""

    __tablename__ = "reminder_occurrences"
    __table_args__ = (
        # Keyed by person too: reminder ids are client ids (unique per person only), and an
        # implicit reminder's id derives from its regimen item's id, which two people may share.
        UniqueConstraint("user_id", "reminder_id", "due_at"),
        Index("ix_reminder_occurrences_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_reminder_occurrences_user_id_due_at", "user_id", "due_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # No foreign key: a regimen item's implicit reminder has no row (see service.py).
    reminder_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(10))
    regimen_item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    title: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[dt.date] = mapped_column(Date)
    local_time: Mapped[str] = mapped_column(String(5))
    # pending | claimed | sent | failed | suppressed | skipped | expired | done
    status: Mapped[str] = mapped_column(String(12), default="pending")
    # When it may next be claimed: due_at at first, later a retry or a snooze.
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    acted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Subscriptions that already got it: a retry goes only to the others (never twice).
    delivered_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderPlan(Base):
    """How far one person's occurrences are planned, and as of which of their changes.

    The planner (service.py, "Planning") takes only the people whose change counter moved past
    `planned_version` or whose `next_plan_at` has come, so a quiet minute costs almost nothing
    however many people there are.
    """

    __tablename__ = "reminder_plans"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: The person's `users.sync_version` when they were last planned (-1: never).
    planned_version: Mapped[int] = mapped_column(Integer)
    #: Occurrences due before this instant are planned (null: never planned).
    planned_through: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: When to extend the plan even without a change; null = no reminders, wait for a change.
    next_plan_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)


class PushSubscription(Base):
    """A browser's push endpoint and its encryption keys (from `PushManager.subscribe`).

    A row belongs to the person who registered it, and to the credential (signed-in device or
    access token) that registered it: ending that credential ends the subscription. The same
    endpoint posted by another person is their own row, never a move of this one.
    """

    __tablename__ = "push_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "endpoint"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    endpoint: Mapped[str] = mapped_column(String(2048))
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    token_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("access_tokens.id", ondelete="CASCADE"), index=True
    )
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    device_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_success_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)

    def info(self) -> dict[str, Any]:
        """The `subscription_info` shape pywebpush expects."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class CalendarFeed(Base):
    """A revocable secret calendar link; only the secret's SHA-256 is stored."""

    __tablename__ = "calendar_feeds"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A link lives a year unless renewed: a forgotten subscription must not leak forever.
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
