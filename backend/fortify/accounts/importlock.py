"""While a person's JSON import runs, it holds her account: her other writes wait (issue 13).

The import writes its records a batch per transaction (portability/sections.py), so that it
never holds SQLite's one writer for long. A write of hers that landed between two batches (her
other device syncing a record of the file, a REST update, a profile change) made the file
impossible to import: the import failed with 409 `changed_during_import`, and every retry with
409 `stored_differs`. So while the import runs, her other writes are refused with 503 and
Retry-After (a phone keeps them in its outbox and sends them afterwards); her reads, and other
people, are not affected.

The lock is a column of her row, `users.import_running_until`, so it holds across every process
behind the proxy, on SQLite and PostgreSQL alike:

- `begin` takes it in a transaction of its own, committed before the first batch, and only if
  it is free (a second import of hers meanwhile gets the same 503);
- each batch's commit carries `refresh`, so the lock lasts as long as the import makes progress;
- `end` clears it, whatever the import's outcome; an import whose process died leaves it to
  expire by itself, `LOCK_SECONDS` after its last batch.

It is checked twice. `accounts.deps` refuses a write on sign-in, from the person's row as the
credential's one statement reads it (no query of its own): the cheap, early answer. And every
write of a person's records takes a change number from her row (`service.next_version`,
`take_versions`, `lock_changes`): those UPDATEs carry `writable()` in their WHERE clause, so a
write that passed sign-in just before the lock was taken cannot commit between two batches
either (the lock's UPDATE waits for the row lock, or SQLite's writer, that such a write holds,
and a write after it finds the lock). The import's own session is marked (`mark_importing`), and
its writes are not refused by its own lock.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from fortify.accounts.models import User
from fortify.core.clock import utcnow
from fortify.core.errors import ServiceUnavailable
from fortify.core.ratelimit import wait_words

#: How long the lock holds past the import's last sign of life (taking it, or a batch's commit):
#: a batch takes seconds; an import that made no progress for this long has died.
LOCK_SECONDS = 300
#: The longest wait a refused write is told (seconds): imports of most files end sooner than the
#: lock's length, and a phone that comes back early only meets another 503.
RETRY_AFTER_SECONDS = 30

_IMPORTING = "fortify.importing"


class ImportRunning(ServiceUnavailable):
    code, title = "import_running", "An import is running"


def refusal(until: dt.datetime, now: dt.datetime) -> ImportRunning:
    """The 503 for a write of hers while her import holds the account until `until`."""
    retry_after = max(1, min(RETRY_AFTER_SECONDS, math.ceil((until - now).total_seconds())))
    return ImportRunning(
        "An import of your data is running; changes to your records wait until it has ended, "
        "so that none of them is lost. Your device keeps this change and sends it again. "
        + wait_words(retry_after),
        field="account",
        rule="import_running",
        headers={"Retry-After": str(retry_after)},
    )


def held(until: dt.datetime | None, now: dt.datetime) -> bool:
    return until is not None and until > now


def mark_importing(session: Session, user_id: uuid.UUID | None) -> None:
    """Mark `session` as the one writing this person's import (None: no longer): its writes
    pass her lock."""
    if user_id is None:
        session.info.pop(_IMPORTING, None)
    else:
        session.info[_IMPORTING] = user_id


def writable(session: Session, user_id: uuid.UUID) -> ColumnElement[bool]:
    """The WHERE clause that lets a write take her change numbers: no import holds her account,
    or this session is that import."""
    if session.info.get(_IMPORTING) == user_id:
        return true()
    return or_(User.import_running_until.is_(None), User.import_running_until <= utcnow())


def refuse_if_held(session: Session, user_id: uuid.UUID) -> None:
    """After an UPDATE carrying `writable()` matched no row: the 503 if her import holds the
    account; nothing if the person is gone (the caller goes on as it did before the lock)."""
    until = session.scalar(select(User.import_running_until).where(User.id == user_id))
    now = utcnow()
    if held(until, now):
        assert until is not None
        raise refusal(until, now)


def begin(session: Session, user_id: uuid.UUID) -> None:
    """Take her lock, if free, in the caller's transaction, which the caller commits at once
    (before the first batch); held already (another import of hers): the 503."""
    if not take_lease(session, user_id, User.import_running_until, LOCK_SECONDS):
        refuse_if_held(session, user_id)
    mark_importing(session, user_id)


def take_lease(
    session: Session, user_id: uuid.UUID, column: InstrumentedAttribute[Any], seconds: float
) -> bool:
    """Set `column` of her row (a lease: until when it holds) to `seconds` from now, if it is
    free (null, or its time has passed), in the caller's transaction: whether it was taken.
    The import's lock and the sync push's lease (accounts/pushlock.py) are both such a column.
    """
    now = utcnow()
    taken = session.execute(
        update(User)
        .where(User.id == user_id, or_(column.is_(None), column <= now))
        .values({column.key: now + dt.timedelta(seconds=seconds)})
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    return bool(taken)


def refresh(session: Session, user_id: uuid.UUID) -> None:
    """Move the lock's end on, in the transaction of the batch about to be committed."""
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(import_running_until=utcnow() + dt.timedelta(seconds=LOCK_SECONDS))
        .execution_options(synchronize_session=False)
    )


def end(session: Session, user_id: uuid.UUID) -> None:
    """Clear the lock, in the caller's transaction (which the caller commits)."""
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(import_running_until=None)
        .execution_options(synchronize_session=False)
    )
    mark_importing(session, None)
