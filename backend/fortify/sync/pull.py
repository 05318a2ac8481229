"""Pull: a change feed that never skips a row, and the horizon below which it forgets.

The cursor: the person's change counter
---------------------------------------
Every write to one of a person's records takes the next value of `users.sync_version` inside
its transaction (`accounts.service.next_version`: UPDATE … SET sync_version = sync_version + 1
RETURNING) and stamps the record's `version` with it. A pull returns the records whose version
is above the cursor, in version order, and the new cursor is the last version it returned.

Why this never skips a row that commits late, where a global sequence or an `updated_at`
cursor does: with a sequence, writer A takes 7, writer B takes 8 and commits first; a reader
sees 8, moves its cursor to 8 and never sees 7 when A commits. Here the UPDATE of the user row
takes that row's lock (PostgreSQL) or the database's single write lock (SQLite) and holds it
until commit, so a second writer of the same person waits until the first has committed before
it can take a number. One person's change numbers therefore commit in increasing order: when a
reader's snapshot holds version n, it holds every version below n that will ever exist. Each
pull reads its keys with ONE statement (a UNION ALL over the entity tables), which is one
snapshot on both databases; the rows are then read by version range and any row that moved on
since (rewritten with a larger number, or purged) ends the page early, so a page never mixes
two snapshots. Different people never share a counter, so their writes never wait on each
other. (This is Replicache's per-space version design.) The cursor is opaque to clients
(base64 of "v1:<n>") and survives restarts because it is just a number in the database.

Tombstones are kept `RETENTION` days (`purge_tombstones`, run by `fortify sync purge`); a cursor
older than the newest purged tombstone gets 410 (`CursorExpired`) and the device pulls from the
start, keeping the changes it has not pushed yet.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import Any, cast

import orjson
from sqlalchemy import Integer, Select, bindparam, delete, select, union_all
from sqlalchemy.orm import Session

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core import cursor as cursors
from fortify.core.errors import Gone, InvalidInput
from fortify.sync.entities import ENTITIES
from fortify.sync.models import SyncConflict, SyncHorizon, SyncOp

# Tombstones (and the answers kept for retries) live at least this long; a cursor older than
# the newest purged tombstone gets 410 and the client pulls from scratch.
RETENTION = dt.timedelta(days=90)


class CursorExpired(Gone):
    code, title = "cursor_expired", "Pull from the start"


# --- The cursor -------------------------------------------------------------------------------


def encode_cursor(version: int) -> str:
    return cursors.encode(f"v1:{version}")


_parse_version = cursors.parse_bounded_int(0, 2**63 - 1)  # a BIGINT


def _parse_cursor(raw: str) -> int:
    prefix, number = raw.split(":")
    if prefix != "v1":
        raise ValueError("unknown cursor version")
    return _parse_version(number)


def decode_cursor(cursor: str | None) -> int:
    return cursors.decode(cursor, _parse_cursor) if cursor else 0


# --- Pull -----------------------------------------------------------------------------------


def pull(session: Session, user: User, cursor: str | None, limit: int) -> dict[str, Any]:
    """A page of the feed: `{changes, cursor, has_more}`, ready for orjson (ids are UUIDs and
    JSON columns may be `orjson.Fragment`s of the stored text; see `pull_json`)."""
    after = decode_cursor(cursor)
    if after == user.sync_version:
        # Nothing new: the phones' most frequent request. The counter was read with the person
        # in this request's first statement, so every version up to it is committed and none
        # above it exists yet (a write that commits meanwhile is seen by the next pull).
        return {"changes": [], "cursor": encode_cursor(after), "has_more": False}
    if after:
        horizon = session.get(SyncHorizon, user.id)
        if horizon is not None and after < horizon.min_valid_version:
            raise CursorExpired(
                "Deleted records older than this cursor were purged; pull again from the start "
                "(no cursor) and keep the changes not yet pushed.",
                field="cursor",
                rule="cursor_expired",
            )
        if after > accounts.current_version(session, user.id):
            raise CursorExpired(
                "This cursor is ahead of the server (a restored backup?); pull from the start.",
                field="cursor",
                rule="cursor_ahead",
            )
    # One statement, so one snapshot: every version it returns is committed, and so is every
    # smaller one (see the module docstring).
    keys = session.execute(
        _change_keys_statement(), {"user_id": user.id, "after": after, "limit": limit + 1}
    ).all()
    has_more = len(keys) > limit
    keys = keys[:limit]
    if not keys:
        return {"changes": [], "cursor": encode_cursor(after), "has_more": False}
    upto = int(keys[-1].version)
    states: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for name in {key.entity for key in keys}:
        for change in ENTITIES[name].feed(session, user, after, upto):
            states[(name, change["id"])] = change
    changes: list[dict[str, Any]] = []
    for key in keys:
        found = states.get((key.entity, key.id))
        if found is None or found["version"] != key.version:
            # Rewritten (or purged) after the keys were read: stop here; the next page has it.
            has_more = True
            break
        changes.append(found)
    last = changes[-1]["version"] if changes else after
    return {"changes": changes, "cursor": encode_cursor(last), "has_more": has_more}


@cache
def _change_keys_statement() -> Select[Any]:
    """The keys of a page of changes, every entity's branch in one UNION ALL, built once: the
    person, the cursor and the page size are bound parameters, so a pull neither rebuilds the
    statement nor recomputes its cache key."""
    # The entities' key queries take a person; here the person's id is a parameter.
    person = cast(User, SimpleNamespace(id=bindparam("user_id")))
    after = bindparam("after", type_=Integer)
    limit = bindparam("limit", type_=Integer)
    branches = []
    for entity in ENTITIES.values():
        query = entity.change_keys(person, cast(int, after))
        top = query.order_by(query.selected_columns.version).limit(limit).subquery()
        branches.append(select(top))
    keys = union_all(*branches).subquery()
    return select(keys).order_by(keys.c.version).limit(limit)


def unchanged_pull_json(sync_version: int, cursor: str | None) -> bytes | None:
    """The answer to a pull with nothing new (the cursor is the person's latest version, as read
    at sign-in), or None when there may be something: no database needed."""
    after = decode_cursor(cursor)
    if after != sync_version:
        return None
    return orjson.dumps({"changes": [], "cursor": encode_cursor(after), "has_more": False})


def pull_json(session: Session, user: User, cursor: str | None, limit: int) -> bytes:
    """`pull` as the response body."""
    return orjson.dumps(pull(session, user, cursor, limit))


# --- Horizon --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeReport:
    people: int  # people whose horizon moved
    operations: int  # stored answers forgotten
    conflicts: int  # resolved conflicts forgotten


def purge_tombstones(
    session: Session, now: dt.datetime, retention: dt.timedelta = RETENTION
) -> PurgeReport:
    """Delete tombstones (and kept answers, resolved conflicts) older than the retention, and
    move each person's horizon up to the newest version purged."""
    if retention < RETENTION:
        raise InvalidInput(
            f"Tombstones are kept at least {RETENTION.days} days.", field="retention", rule="min"
        )
    cutoff = now - retention
    highest: dict[uuid.UUID, int] = {}
    for entity in ENTITIES.values():
        for user_id, version in entity.purge(session, cutoff).items():
            highest[user_id] = max(version, highest.get(user_id, 0))
    for user_id, version in highest.items():
        horizon = session.get(SyncHorizon, user_id)
        if horizon is None:
            session.add(SyncHorizon(user_id=user_id, min_valid_version=version, purged_at=now))
        else:
            horizon.min_valid_version = max(horizon.min_valid_version, version)
            horizon.purged_at = now
    ops = session.execute(delete(SyncOp).where(SyncOp.created_at < cutoff))
    conflicts = session.execute(
        delete(SyncConflict).where(
            SyncConflict.resolved_at.is_not(None), SyncConflict.resolved_at < cutoff
        )
    )
    session.flush()
    return PurgeReport(
        people=len(highest),
        operations=int(ops.rowcount),  # type: ignore[attr-defined]
        conflicts=int(conflicts.rowcount),  # type: ignore[attr-defined]
    )
