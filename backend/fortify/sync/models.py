"""Sync bookkeeping: the operations already answered, the edits that lost, the purge horizon.

The synced records themselves live in their own domains' tables (entries, the profile); their
`version` columns are the change feed. These tables only remember what sync needs on top:

- `sync_ops`: every operation a device pushed, with the answer it got, so a retried batch is
  answered from here and writes nothing twice. `version` is the change number the operation
  wrote (null when it wrote nothing); it tells whether a record's current state came from the
  same device (see `service.py`). `fingerprint` is a digest of what the operation held (entity,
  id, kind, fields): a known op_id with other content is refused, not taken for a retry.
- `sync_conflicts`: every value a merge or a sticky delete overwrote, until the person
  restores or dismisses it.
- `sync_horizons`: per person, the largest change number whose tombstone was purged; a pull
  from an older cursor could miss a delete, so it is refused with 410.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from fortify.core.clock import utcnow
from fortify.core.db import Base, UTCDateTime


class SyncOp(Base):
    __tablename__ = "sync_ops"
    __table_args__ = (Index("ix_sync_ops_user_id_version", "user_id", "version"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    op_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    # SHA-256 hex of the operation's content (push.py, `fingerprint`); null for rows answered
    # before it was kept, which are taken for retries as before.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class SyncConflict(Base):
    __tablename__ = "sync_conflicts"
    __table_args__ = (Index("ix_sync_conflicts_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # A field name, or "*" for the whole record (a delete that won, an edit of a deleted record).
    field: Mapped[str] = mapped_column(String(100))
    losing_value: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    winning_value: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    losing_device: Mapped[str | None] = mapped_column(String(100))
    winning_device: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(String(20))


class SyncHorizon(Base):
    __tablename__ = "sync_horizons"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    min_valid_version: Mapped[int] = mapped_column(Integer, default=0)
    purged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
