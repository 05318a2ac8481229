from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from fortify.core.clock import utcnow
from fortify.core.db import Base, UTCDateTime


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # The person's change counter: every write to any of their rows takes the next value inside
    # its transaction (UPDATE … RETURNING), which orders their writes for sync pulls.
    sync_version: Mapped[int] = mapped_column(Integer, default=0)

    # Profile (PROTOCOL.md §2: sex defaults, overrides set by the care team).
    sex: Mapped[str | None] = mapped_column(String(10))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    height_cm: Mapped[float | None] = mapped_column(Float)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    therapy_medicine: Mapped[str | None] = mapped_column(String(100))
    therapy_start_date: Mapped[dt.date | None] = mapped_column(Date)
    cleared_for_high_impact: Mapped[bool] = mapped_column(Boolean, default=False)
    on_anticoagulant: Mapped[bool] = mapped_column(Boolean, default=False)
    osteoporosis: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_system: Mapped[str] = mapped_column(String(10), default="metric")
    target_overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    profile_version: Mapped[int] = mapped_column(Integer, default=0)
    # Until when her JSON import holds her account (accounts.service.begin_import): her other
    # writes are refused (503) meanwhile. Refreshed as its batches go, cleared when it ends;
    # left by a crash, it expires by itself.
    import_running_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Until when a sync push of hers runs (accounts/pushlock.py): a second push of hers is
    # refused (429) meanwhile. Cleared with the push's commit; left by a crash, it expires.
    sync_push_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AuthSession(Base):
    """A signed-in device. Only the token's hash is stored."""

    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class AccessToken(Base):
    """A personal access token for API clients, with `read` and/or `write` scope."""

    __tablename__ = "access_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Security-relevant events of an account, shown to its owner: sign-ins, tokens, exports.

    `detail` holds only what the person needs to recognise the event (a device or token name,
    an address), never health data or secrets.
    """

    __tablename__ = "audit_events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class EmailLink(Base):
    """A single-use link sent by email: `verify` (a sign-up waiting for its address to be
    confirmed: the account is created only when the link is opened, with the password and name
    chosen at sign-up) or `reset` (a forgotten password). Only the token's hash is stored."""

    __tablename__ = "email_links"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    purpose: Mapped[str] = mapped_column(String(10))  # verify | reset
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    # reset: whose password it resets; verify: none until the account exists.
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class EndedCredential(Base):
    """Why a bearer token stopped working (signed out, revoked, password changed, account
    deleted), keyed by the token's hash and kept for a while after the token ended.

    While the account lives, `user_id` says whose token it was, so that deleting the account
    turns every earlier end (a phone signed out by a password change, still holding her data)
    into `account_deleted`. Deletion then forgets the person (`user_id` becomes null, no foreign
    key): what outlives the account is a hash, a reason and a time, purged after ENDED_KEPT."""

    __tablename__ = "ended_credentials"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    reason: Mapped[str] = mapped_column(String(20))
    ended_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
