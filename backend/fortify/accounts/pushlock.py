"""One sync push of a person at a time: a second one meanwhile is refused with 429.

Pushes of one person were always applied one after the other (`service.lock_changes`: her row
on PostgreSQL, the one writer on SQLite), but a second push waited for the first rather than
being refused. An outside probe (F9) sent six 500-operation pushes of one person at once: on
SQLite each held the database's one writer in turn, and other people's writes waited behind all
six, past the busy timeout, into 503s. Queueing buys nothing: a phone sends its outbox in order
and resends what was not answered. So a push first takes a lease on her row, and a push that
finds it held is answered at once, 429 with Retry-After (rule `one_push_at_a_time`), without
waiting for the writer; the phone keeps its outbox and sends it again (frontend/src/sync).

The lease is the import lock's mechanism (importlock.py): a column of her row,
`users.sync_push_until`, so it holds across every process, on SQLite and PostgreSQL alike,
with or without Redis:

- `take` reads it (a read waits for no writer), and if free sets it in a transaction of its
  own, committed before the push begins, only if still free: of two pushes that both read it
  free, the second finds it taken;
- the push clears it in its own transaction, so it lets go with its commit; a push that fails
  clears it in a transaction of its own, trying again on a fresh connection if the one it
  meets is dead too;
- a push whose process died leaves it to expire, `LEASE_SECONDS` after it began, and a process
  that starts clears every lease (`clear_all`): with one process, a lease left by the process
  it replaces. A lease cleared under a push still running elsewhere lets a second push of hers
  wait for it, as every push did before.

A retry of a push answered already is still idempotent (push.py: `duplicate`).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from fortify.accounts.importlock import held, take_lease
from fortify.accounts.models import User
from fortify.accounts.service import account_gone
from fortify.core.clock import utcnow
from fortify.core.errors import TooManyRequests
from fortify.core.ratelimit import wait_words

logger = logging.getLogger(__name__)

#: How long a lease holds: far longer than a push (500 operations take well under a second;
#: bench/sync.py), and the longest a push whose process died can hold up her next one.
LEASE_SECONDS = 30
#: The longest wait a refused push is told (seconds): her other push ends within it.
RETRY_AFTER_SECONDS = 2
#: Tries at clearing the lease after a failed push, and the pause before the second (seconds;
#: the third waits twice as long). The push runs in a worker thread, so the pause blocks no one.
CLEAR_ATTEMPTS = 3
CLEAR_PAUSE_S = 0.1


def refusal(until: dt.datetime, now: dt.datetime) -> TooManyRequests:
    retry_after = max(1, min(RETRY_AFTER_SECONDS, math.ceil((until - now).total_seconds())))
    return TooManyRequests(
        "Another sync of yours is still running; this one waits until it has ended. Your "
        f"device keeps these changes and sends them again. {wait_words(retry_after)}",
        rule="one_push_at_a_time",
        headers={"Retry-After": str(retry_after)},
    )


def take(session: Session, user_id: uuid.UUID) -> None:
    """Take her push lease, committed here, or raise the 429 (her other push holds it) or
    the 401 `account_deleted` (her account is gone)."""
    until = session.scalar(select(User.sync_push_until).where(User.id == user_id))
    now = utcnow()
    if not held(until, now):
        taken = take_lease(session, user_id, User.sync_push_until, LEASE_SECONDS)
        session.commit()
        if taken:
            return
        row = session.execute(select(User.sync_push_until).where(User.id == user_id)).first()
        if row is None:
            raise account_gone()
        until, now = row[0], utcnow()
        if not held(until, now):  # freed since: not worth a second try, the phone retries
            until = now + dt.timedelta(seconds=1)
    assert until is not None
    raise refusal(until, now)


def end(session: Session, user_id: uuid.UUID) -> None:
    """Clear her lease in the caller's transaction (the push's, which the caller commits)."""
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(sync_push_until=None)
        .execution_options(synchronize_session=False)
    )


@contextmanager
def one_at_a_time(session: Session, user_id: uuid.UUID) -> Iterator[None]:
    """The push in the block holds her lease: taken before, cleared with the block's
    transaction (committed by the caller), or at once should the block fail."""
    take(session, user_id)
    try:
        yield
    except BaseException:
        _let_go_after_failure(session, user_id)
        raise
    end(session, user_id)


def _let_go_after_failure(session: Session, user_id: uuid.UUID) -> None:
    """Clear her lease after her push failed, trying again on a fresh connection: a push that
    failed because its connection was cut (PostgreSQL restarting, connections killed) often
    meets a second dead connection of the same pool when it clears the lease, and the lease
    left behind refused every push of hers for its whole 30 s while telling her to retry in
    2 s (an outside probe, session 10). SQLAlchemy invalidates the pool's older connections
    on a disconnect, so the next attempt connects afresh. Only if every attempt fails does the
    lease wait out its time."""
    for attempt in range(1, CLEAR_ATTEMPTS + 1):
        try:
            session.rollback()
            end(session, user_id)
            session.commit()
            return
        except Exception:
            with suppress(Exception):
                session.rollback()
            if attempt == CLEAR_ATTEMPTS:
                logger.exception(
                    "could not clear the push lease of %s; it expires by itself", user_id
                )
            else:
                time.sleep(CLEAR_PAUSE_S * attempt)


def clear_all(engine: Engine) -> None:
    """Clear every push lease: at a process's start, none of its pushes runs (see above).

    A database not migrated yet has no leases to clear, and the app must still start on it
    (/readyz says so, as `load_reference_data` does)."""
    try:
        with engine.begin() as connection:
            connection.execute(
                update(User).where(User.sync_push_until.is_not(None)).values(sync_push_until=None)
            )
    except DBAPIError as exc:  # not migrated yet, or a read-only database (/readyz says so)
        logger.warning("push leases not cleared (run fortify migrate): %s", type(exc).__name__)
