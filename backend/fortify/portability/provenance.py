"""Apple Health provenance across a move (models.py says why): what the export says of it, how
an import keeps it, and the ids a repeat Apple Health upload looks for.

An Apple Health entry's id is derived from (account, the record's identity in Health). The
export names the accounts its Apple Health ids may be derived from (this one and those it was
imported from) and the ids of the Apple Health kinds' entries deleted here (a deleted meal only
when it is an Apple Health one: a deleted meal keeps its name; workouts and weights cannot tell,
so all of theirs, which are ids only, no content). The import keeps both, and the Apple Health
import looks for each record under every such account's id, and leaves out a deleted one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from fortify.accounts.models import User
from fortify.entries.kinds import KINDS
from fortify.portability.models import AppleHealthDeletion, AppleHealthOrigin

#: The entry kinds an Apple Health import writes.
APPLE_HEALTH_KINDS = ("meals", "workouts", "measurements")
#: The name of a meal entry an Apple Health import wrote (one nutrient of one record).
MEAL_NAME = "Apple Health"


def origins(session: Session, user_id: uuid.UUID) -> list[uuid.UUID]:
    """The accounts, other than hers, that ids of her Apple Health entries were derived from."""
    stmt = select(AppleHealthOrigin.account_id).where(AppleHealthOrigin.user_id == user_id)
    return sorted(session.scalars(stmt))


def deleted(session: Session, user_id: uuid.UUID, kind: str) -> set[uuid.UUID]:
    """Entries of `kind` deleted in an account she moved from."""
    stmt = select(AppleHealthDeletion.id).where(
        AppleHealthDeletion.user_id == user_id, AppleHealthDeletion.kind == kind
    )
    return set(session.scalars(stmt))


def export(session: Session, user: User) -> dict[str, Any]:
    gone: dict[str, list[str]] = {}
    for name in APPLE_HEALTH_KINDS:
        model = KINDS[name].model
        stmt = select(model.id).where(model.user_id == user.id, model.deleted_at.is_not(None))
        if name == "meals":
            stmt = stmt.where(model.name == MEAL_NAME)
        ids = set(session.scalars(stmt)) | deleted(session, user.id, name)
        if ids:
            gone[name] = sorted(map(str, ids))
    return {"accounts": [str(user.id), *map(str, origins(session, user.id))], "deleted": gone}


def holds(session: Session, user_id: uuid.UUID) -> bool:
    return bool(
        session.scalar(select(exists().where(AppleHealthOrigin.user_id == user_id)))
        or session.scalar(select(exists().where(AppleHealthDeletion.user_id == user_id)))
    )


def keep(
    session: Session,
    user_id: uuid.UUID,
    accounts: Iterable[uuid.UUID],
    gone: dict[str, list[uuid.UUID]],
) -> int:
    """Store what the file says (what the account holds already is left alone); returns how
    many rows were written."""
    known = set(origins(session, user_id)) | {user_id}
    new_origins = [{"user_id": user_id, "account_id": a} for a in set(accounts) - known]
    new_deletions = [
        {"user_id": user_id, "kind": name, "id": row_id}
        for name, ids in gone.items()
        for row_id in set(ids) - deleted(session, user_id, name)
    ]
    if new_origins:
        session.execute(insert(AppleHealthOrigin), new_origins)
    if new_deletions:
        session.execute(insert(AppleHealthDeletion), new_deletions)
    return len(new_origins) + len(new_deletions)
