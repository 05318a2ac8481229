"""The conflicts sync keeps: every value a merge or a delete overwrote, restorable.

A push records a conflict (`keep`) for each field whose value a stale write changed, and for a
whole record (`WHOLE_RECORD`) a delete removed or a tombstone refused (sync/push.py, "Conflict
policy"). The person sees them (`list_conflicts`) and either writes the losing value back as a
new change (`restore_conflict`) or lets it go (`dismiss_conflict`). The export document carries
them too (`export_conflicts`, `import_conflicts`).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core.clock import utcnow
from fortify.core.errors import Conflict, NotFound
from fortify.sync.entities import ENTITIES, State, SyncEntity
from fortify.sync.models import SyncConflict
from fortify.sync.schemas import ConflictRead

WHOLE_RECORD = "*"
#: A conflict's fields as the export document carries them (besides its id).
CONFLICT_FIELDS = (
    "entity",
    "entity_id",
    "field",
    "losing_value",
    "winning_value",
    "losing_device",
    "winning_device",
    "created_at",
    "resolved_at",
    "resolution",
)


def record(entity: SyncEntity, entity_id: uuid.UUID, state: State) -> dict[str, Any]:
    """A record as it travels (pull pages, conflict answers): JSON-ready."""
    return {
        "entity": entity.name,
        "id": str(entity_id),
        "version": state.version,
        "deleted": state.deleted,
        "fields": state.fields,
    }


def keep(
    session: Session,
    user_id: uuid.UUID,
    entity: SyncEntity,
    entity_id: uuid.UUID,
    field_name: str,
    losing: Any,
    winning: Any,
    *,
    losing_device: str | None,
    winning_device: str | None,
) -> ConflictRead:
    """Record one overwritten value (`field_name`, or `WHOLE_RECORD`) for the person to see."""
    row = SyncConflict(
        id=uuid.uuid4(),
        user_id=user_id,
        entity=entity.name,
        entity_id=entity_id,
        field=field_name,
        losing_value=losing,
        winning_value=winning,
        losing_device=losing_device,
        winning_device=winning_device,
        created_at=utcnow(),
    )
    session.add(row)
    return ConflictRead.model_validate(row)


# --- Seen, restored, dismissed ---------------------------------------------------------------


def list_conflicts(session: Session, user: User, limit: int) -> list[SyncConflict]:
    stmt = (
        select(SyncConflict)
        .where(SyncConflict.user_id == user.id, SyncConflict.resolved_at.is_(None))
        .order_by(SyncConflict.created_at.desc(), SyncConflict.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def _open_conflict(session: Session, user: User, conflict_id: uuid.UUID) -> SyncConflict:
    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None or conflict.user_id != user.id:
        raise NotFound("No conflict with this id.")
    _refuse_resolved(conflict)
    return conflict


def _refuse_resolved(conflict: SyncConflict) -> None:
    if conflict.resolved_at is not None:
        raise Conflict(
            f"This conflict was {conflict.resolution} already.", field="id", rule="unresolved"
        )


def _still_open(session: Session, conflict: SyncConflict) -> None:
    """After her lock: read the conflict again, as committed now. A retry of the same restore
    or dismiss that ran meanwhile resolved it, and this one is the 409 it would get after it
    (outside probe F6: ten restores at once wrote the value back three or four times)."""
    session.refresh(conflict)
    _refuse_resolved(conflict)


def restore_conflict(session: Session, user: User, conflict_id: uuid.UUID) -> dict[str, Any]:
    """Write the losing value back as a new change (seen by every device's next pull)."""
    conflict = _open_conflict(session, user, conflict_id)
    entity = ENTITIES.get(conflict.entity)
    if entity is None:  # an imported conflict from a newer or damaged export
        raise Conflict(
            f"This conflict is about '{conflict.entity}', which this app does not keep; "
            "dismiss it instead.",
            field="entity",
            rule="known_entity",
        )
    if conflict.field == WHOLE_RECORD and not isinstance(conflict.losing_value, dict | None):
        raise Conflict(
            "This conflict's record is not a set of fields; dismiss it instead.",
            field="losing_value",
            rule="record",
        )
    accounts.lock_changes(session, user.id)
    _still_open(session, conflict)
    handle = entity.load(session, user, [conflict.entity_id]).get(conflict.entity_id)
    if conflict.field == WHOLE_RECORD:
        # Brings a deleted record back: the person asked for it, so the tombstone gives way.
        changes = dict(conflict.losing_value or {})
    else:
        if handle is None or entity.state(handle).deleted:
            raise Conflict(
                "The record was deleted since; restore the record first.",
                field="field",
                rule="record_exists",
            )
        changes = {conflict.field: conflict.losing_value}
    handle = entity.upsert(session, user, conflict.entity_id, handle, changes)
    conflict.resolved_at = utcnow()
    conflict.resolution = "restored"
    session.flush()
    return record(entity, conflict.entity_id, entity.state(handle))


def dismiss_conflict(session: Session, user: User, conflict_id: uuid.UUID) -> SyncConflict:
    conflict = _open_conflict(session, user, conflict_id)
    accounts.hold_person(session, user.id)  # a retry at once is the 409 a retry after gets
    _still_open(session, conflict)
    conflict.resolved_at = utcnow()
    conflict.resolution = "dismissed"
    session.flush()
    return conflict


# --- In the export document ------------------------------------------------------------------


def export_conflicts(session: Session, user: User) -> list[SyncConflict]:
    """Every conflict of the person's, resolved or not, oldest first."""
    stmt = (
        select(SyncConflict)
        .where(SyncConflict.user_id == user.id)
        .order_by(SyncConflict.created_at, SyncConflict.id)
    )
    return list(session.scalars(stmt))


def holds_conflicts(session: Session, user_id: uuid.UUID) -> bool:
    return bool(session.scalar(select(exists().where(SyncConflict.user_id == user_id))))


def conflict_ids(session: Session, user_id: uuid.UUID) -> set[uuid.UUID]:
    """The ids of every conflict the person holds (an import resumed finds its own)."""
    return set(session.scalars(select(SyncConflict.id).where(SyncConflict.user_id == user_id)))


def import_conflicts(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert conflicts read from an export (`id`, `user_id` and `CONFLICT_FIELDS`), checked."""
    if rows:
        session.execute(insert(SyncConflict), rows)
