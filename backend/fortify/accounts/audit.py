"""The account's audit log: what happened to the account, for its owner to see.

Other domains record through `record()` (an export, an import, a deletion request), so the
log is one table with one shape whatever wrote it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from fortify.accounts.models import AuditEvent
from fortify.core.clock import utcnow

Action = Literal[
    "account_created",
    "signed_in",
    "sign_in_failed",
    "password_change_failed",
    "account_deletion_failed",
    "signed_out",
    "session_ended",
    "password_changed",
    "password_reset",
    "token_created",
    "token_revoked",
    "data_exported",
    "data_imported",
    "account_deleted",
    "calendar_link_created",
    "calendar_link_revoked",
    "calendar_link_renewed",
]


def record(
    session: Session, user_id: uuid.UUID, action: Action, **detail: str | int | None
) -> None:
    session.add(AuditEvent(user_id=user_id, at=utcnow(), action=action, detail=detail))


def events(
    session: Session, user_id: uuid.UUID, before: dt.datetime | None, limit: int
) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.user_id == user_id)
    if before is not None:
        stmt = stmt.where(AuditEvent.at < before)
    return list(session.scalars(stmt.order_by(AuditEvent.at.desc()).limit(limit)))


def as_dict(event: AuditEvent) -> dict[str, Any]:
    return {"id": event.id, "at": event.at, "action": event.action, "detail": event.detail}
