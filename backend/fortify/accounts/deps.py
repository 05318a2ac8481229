"""The signed-in principal: who is asking, with which scopes (the authentication dependencies).

Every route that reads or writes a person's data depends on `CurrentUser` (or `CurrentPrincipal`,
`AccountPrincipal`), or, for the few the phones ask most, signs in by `as_person` (the person's
counters, the sign-in and the route's reading in one hop to a worker thread). The bearer token
is looked up here, once per request, and the `read`/`write` scopes are enforced here for every
route, so none can forget them. It lives in accounts, not core, because it reads accounts'
tables: core knows no domain (tests/test_layers.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from typing import Annotated, Any, NoReturn, Protocol, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, Engine, Select, bindparam, select, update
from sqlalchemy.orm import Session, sessionmaker

from fortify.accounts import importlock
from fortify.accounts.models import AccessToken, AuthSession, EndedCredential, User
from fortify.accounts.service import account_gone
from fortify.core.clock import utcnow
from fortify.core.db import autocommit_connection
from fortify.core.deps import SessionDep
from fortify.core.errors import Forbidden, Unauthorized
from fortify.core.etag import versions_etag
from fortify.core.loop_reader import LoopReader, LoopReadUnavailable
from fortify.core.security import PAT_PREFIX, SESSION_PREFIX, hash_token

T = TypeVar("T")
READ, WRITE, ACCOUNT = "read", "write", "account"
SESSION_SCOPES = frozenset({READ, WRITE, ACCOUNT})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Writes whose answers carry stored data the caller did not send: a PATCH answers with the
# whole record; the sync protocol's answers carry the server's versions of records. They need
# `read` as well, so a write-only token (a Shortcut that logs doses) can never read the record.
READING_METHODS = frozenset({"PATCH"})
# Acting on a reminder's occurrence ("Taken", "Snooze") tells what she did with it already: the
# occurrence's status, whether the dose was logged (`dose_created`), whether it is a dose at all
# (`dose_id`), a 422 when its item is gone. A write-only token could learn whether she took her
# medicine (outside probe F7), so these need `read` too.
READING_PREFIXES = ("/api/v1/sync/", "/api/v1/reminders/occurrences/")
# The JSON import tells whether the account holds the file's records as the file has them (its
# 409s name what differs): a write-only token could confirm guesses with it (an outside probe).
READING_PATHS = frozenset({"/api/v1/import"})
# Writes that touch nothing an export holds (signing out, tokens, the password, Web Push and
# calendar subscriptions, a label's conversion): still answered while her import holds the
# account (importlock.py); every other write waits for the import's end (503).
DURING_IMPORT_PREFIXES = (
    "/api/v1/sessions",
    "/api/v1/tokens",
    "/api/v1/password",
    "/api/v1/push/subscriptions",
    "/api/v1/calendar-feeds",
    "/api/v1/supplement-forms/convert",
)
#: How often a credential's last use is written (not on every request).
TOUCH_EVERY = dt.timedelta(minutes=1)
ENDED = {
    "signed_out": "This device was signed out.",
    "revoked": "This device was signed out from another device.",
    "expired": "The session has expired.",
    "password_changed": "The password was changed.",
    "account_deleted": "This account was deleted.",
}
#: The same for a personal access token, where the words above speak of a device.
TOKEN_ENDED = {
    "revoked": "This access token was revoked.",
    "expired": "This access token has expired.",
}


_bearer = HTTPBearer(auto_error=False, description="A session token or a personal access token.")


@dataclass(frozen=True)
class Principal:
    user: User
    scopes: frozenset[str]
    session_id: object | None = None
    token_id: object | None = None

    def require(self, scope: str) -> None:
        _require(self.scopes, scope)


@dataclass(frozen=True, slots=True)
class Person:
    """Who is asking, as read at sign-in, in plain values: their id and change counters.

    What the phones' most frequent requests need and all they need (a pull with nothing new, an
    unchanged day report, a 304): reading it is one light statement, where loading the whole
    person as an ORM object cost more than the answer. A route that needs more loads the
    person itself (`load_person`), in the hop to a worker thread it takes anyway."""

    id: uuid.UUID
    sync_version: int
    profile_version: int
    # Her today (a day after it is answered unscored) is part of the day report's stamp.
    time_zone: str
    # Until when her running import holds the account (None: no import): her writes wait.
    import_running_until: dt.datetime | None
    scopes: frozenset[str]


@cache
def _session_statement() -> Select[User, uuid.UUID, dt.datetime, dt.datetime]:
    """The session token's row and its person in one statement, built once: the token's hash is
    a bound parameter, so a request neither rebuilds the statement nor recomputes its cache key.
    Only the person is loaded as an ORM object (routes read and change it); the session's
    columns come as plain values."""
    return (
        select(User, AuthSession.id, AuthSession.expires_at, AuthSession.last_used_at)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(AuthSession.token_hash == bindparam("digest"))
    )


@cache
def _token_statement() -> Select[
    User, uuid.UUID, list[str], dt.datetime | None, dt.datetime | None
]:
    """The same for a personal access token: the token's columns and its owner, one statement."""
    return (
        select(
            User,
            AccessToken.id,
            AccessToken.scopes,
            AccessToken.expires_at,
            AccessToken.last_used_at,
        )
        .join(AccessToken, AccessToken.user_id == User.id)
        .where(AccessToken.token_hash == bindparam("digest"))
    )


_PERSON = (
    User.id,
    User.sync_version,
    User.profile_version,
    User.time_zone,
    User.import_running_until,
)


@cache
def _light_session_statement() -> Select[
    uuid.UUID, int, int, str, dt.datetime | None, uuid.UUID, dt.datetime, dt.datetime
]:
    """`_session_statement` with the person's id, counters and zone only, no ORM object."""
    return (
        select(*_PERSON, AuthSession.id, AuthSession.expires_at, AuthSession.last_used_at)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(AuthSession.token_hash == bindparam("digest"))
    )


@cache
def _light_token_statement() -> Select[
    uuid.UUID,
    int,
    int,
    str,
    dt.datetime | None,
    uuid.UUID,
    list[str],
    dt.datetime | None,
    dt.datetime | None,
]:
    return (
        select(
            *_PERSON,
            AccessToken.id,
            AccessToken.scopes,
            AccessToken.expires_at,
            AccessToken.last_used_at,
        )
        .join(AccessToken, AccessToken.user_id == User.id)
        .where(AccessToken.token_hash == bindparam("digest"))
    )


def _authenticate(
    session: Session | Connection, token: str, *, light: bool = False, write_touch: bool = True
) -> tuple[Principal | Person, bool]:
    """The credential's principal (the person as an ORM object), or with `light` the `Person`
    (plain values): either way ONE statement reads the credential and its person. The flag
    says whether it wrote the credential's last use (at most once a minute): the caller
    commits that at once (`get_principal`), never with the request's own work. With
    `write_touch` False it writes nothing and the flag says whether a write is due."""
    now = utcnow()
    digest = hash_token(token)
    if token.startswith(SESSION_PREFIX):
        statement: Select[*tuple[Any, ...]] = (
            _light_session_statement() if light else _session_statement()
        )
        found = session.execute(statement, {"digest": digest}).first()
        if found is None or found.expires_at <= now:
            _ended(session, token, "expired" if found is not None else None)
        *who, auth_id, _expires_at, last_used_at = found
        # Avoid a write on every request: refresh last use at most once a minute (and only if
        # no concurrent request of the same credential just did).
        touched = _session_touch_due(last_used_at, now)
        if touched and write_touch:
            session.execute(
                update(AuthSession)
                .where(AuthSession.id == auth_id, AuthSession.last_used_at < now - TOUCH_EVERY)
                .values(last_used_at=now)
            )
        if light:
            return Person(*who, scopes=SESSION_SCOPES), touched  # type: ignore[misc]
        return Principal(who[0], SESSION_SCOPES, session_id=auth_id), touched
    if token.startswith(PAT_PREFIX):
        statement = _light_token_statement() if light else _token_statement()
        found = session.execute(statement, {"digest": digest}).first()
        if found is None or (found.expires_at is not None and found.expires_at <= now):
            _ended(session, token, "expired" if found is not None else None, what="access token")
        *who, token_id, token_scopes, _expires_at, last_used_at = found
        touched = _token_touch_due(last_used_at, now)
        if touched and write_touch:
            last_use = AccessToken.last_used_at
            stale = last_use.is_(None) | (last_use < now - TOUCH_EVERY)
            session.execute(
                update(AccessToken)
                .where(AccessToken.id == token_id, stale)
                .values(last_used_at=now)
            )
        scopes = frozenset(token_scopes)
        if light:
            return Person(*who, scopes=scopes), touched  # type: ignore[misc]
        return Principal(who[0], scopes, token_id=token_id), touched
    raise Unauthorized("The bearer token is not valid.")


def _session_touch_due(last_used_at: dt.datetime, now: dt.datetime) -> bool:
    return now - last_used_at > TOUCH_EVERY


def _token_touch_due(last_used_at: dt.datetime | None, now: dt.datetime) -> bool:
    return last_used_at is None or now - last_used_at > TOUCH_EVERY


def _ended(
    session: Session | Connection, token: str, reason: str | None, what: str = "session"
) -> NoReturn:
    """401, saying why when the server knows (errors[0].rule: signed_out, revoked, expired,
    password_changed, account_deleted), so the app can ask to sign in again, or clear its data
    when the account is gone."""
    reason = (
        reason
        or session.execute(
            select(EndedCredential.reason).where(EndedCredential.token_hash == hash_token(token))
        ).scalar()
    )
    if reason is None:
        raise Unauthorized(f"The {what} is not valid; sign in again.")
    if what == "session":
        words = f"{ENDED.get(reason, 'The session has ended.')} Please sign in again."
    else:  # an access token is made anew, not signed in with (an outside probe, session 10)
        ended = TOKEN_ENDED.get(reason) or ENDED.get(reason, "The access token has ended.")
        words = f"{ended} Make a new access token to go on."
    raise Unauthorized(
        words,
        field="authorization",
        rule=reason,
        headers={"WWW-Authenticate": "Bearer"},
    )


def _credentials(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None:
        raise Unauthorized(
            "Sign in first: send 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return credentials.credentials


def _require_scopes(request: Request, who: Principal | Person) -> None:
    """Enforced here, once, so no route can forget it: reading needs `read`, writing `write`
    (neither implies the other), and a write that answers with stored data needs both. A write
    while her import runs waits for its end (503, importlock.py)."""
    scopes = who.scopes
    if request.method in SAFE_METHODS:
        _require(scopes, READ)
    else:
        _require(scopes, WRITE)
        path = request.url.path
        if (
            request.method in READING_METHODS
            or path.startswith(READING_PREFIXES)
            or path in READING_PATHS
        ):
            _require(scopes, READ)
        until = (
            who.user.import_running_until
            if isinstance(who, Principal)
            else who.import_running_until
        )
        if until is not None and not path.startswith(DURING_IMPORT_PREFIXES):
            now = utcnow()
            if importlock.held(until, now):
                raise importlock.refusal(until, now)


def _require(scopes: frozenset[str], scope: str) -> None:
    if scope not in scopes:
        raise Forbidden(f"This token lacks the '{scope}' scope.", field="scope", rule=scope)


def get_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    principal, touched = _authenticate(session, _credentials(credentials))
    assert isinstance(principal, Principal)
    if touched:
        # The last-use write is committed now, not with the route's work: held to the end of
        # the request, it held the credential's row (PostgreSQL) or the database's one writer
        # (SQLite) for as long as an export or a report ran, and every other request of the
        # same credential (even one the heavy-work gate refuses at once), and on SQLite every
        # writer, waited for it while holding its in-flight place: a burst of exports stalled
        # other people's requests for 9-22 s (docs/security.md, F4 of probe-attack).
        session.commit()
    _require_scopes(request, principal)
    request.state.user_id = str(principal.user.id)
    return principal


#: The bearer credential as sent, for a route that signs in by `as_person`: declared as a
#: dependency (no I/O, so async and on the event loop) so the OpenAPI page shows its security.
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
#: Opens a session on the connection the sign-in used (`with read() as session:`).
Reader = Callable[[], Session]


async def as_person(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None,
    work: Callable[..., T],
    *args: Any,
    quick: Callable[..., T | None] | None = None,
) -> T:
    """Sign in and then `work(read, person, *args)`, in ONE hop to a worker thread, on one
    connection: for the routes phones ask most (a pull, a day report, a food search), where a
    sign-in dependency's hop and then the route's own were two. Each hop is a wait for a thread
    to be scheduled and, on an idle machine, a hand-over of the GIL to another core and back:
    it cost more than the statement it carried (docs/scaling.md). The sign-in is the same as
    every route's (one statement, every request, its once-a-minute last use committed at once)
    and the scopes are enforced before `work` runs. `read()` opens a session on the same
    connection, and only when `work` needs more than the counters: for work that ONLY READS,
    as every statement on that connection commits on its own (`core.db.autocommit_connection`).
    On PostgreSQL that spares the BEGIN and the COMMIT, two round trips of a search's three,
    and reads what a transaction would: READ COMMITTED gives each statement of a transaction
    its own snapshot anyway (a pull's keys come from one statement, sync/pull.py). SQLite's
    driver begins no transaction for a read either way. Never for a write: nothing would group
    it with its company.

    `quick(person, *args)` answers from the sign-in's counters alone, or None (the empty pull).
    It is tried first ON THE EVENT LOOP, with no hop at all: on SQLite by a read of the local
    file (`_quick_on_loop`), on PostgreSQL through the async driver (`_quick_on_loop_async`)."""
    token = _credentials(credentials)
    engine: Engine = request.app.state.engine
    if quick is not None:
        if engine.dialect.name == "sqlite":
            answer = _quick_on_loop(request, engine, token, quick, *args)
        else:
            answer = await _quick_on_loop_async(request, token, quick, *args)
        if answer is not None:
            return answer
    factory: sessionmaker[Session] = request.app.state.session_factory
    return await run_in_threadpool(_as_person, request, engine, factory, token, work, *args)


def _quick_on_loop(
    request: Request, engine: Engine, token: str, quick: Callable[..., T | None], *args: Any
) -> T | None:
    """The sign-in and `quick`'s answer, on the event loop, on SQLite, and only when they
    write nothing: the one indexed read of a local file in WAL mode (which never waits for a
    writer) costs a fraction of the hop to a worker thread and back, which on an idle 2-core
    machine cost more than the whole pull (docs/scaling.md). A due last-use write (at most once
    a minute per credential), or an answer that needs more reads, goes to the worker thread as
    before: a write could wait for SQLite's one writer, and the loop must never wait."""
    with autocommit_connection(engine) as connection:
        person, touch_due = _authenticate(connection, token, light=True, write_touch=False)
    if touch_due:
        return None
    assert isinstance(person, Person)
    return _answer_quickly(request, person, quick, *args)


async def _quick_on_loop_async(
    request: Request, token: str, quick: Callable[..., T | None], *args: Any
) -> T | None:
    """`_quick_on_loop` on PostgreSQL: the same light statement, sent by the app's `LoopReader`
    (psycopg's async mode), so the loop serves other requests while the server answers. Only
    the plain case is answered here: a credential that is unknown, expired or ended, a due
    last-use write, or any failure of the read (the server restarting, a slow answer, every
    loop connection busy: `LoopReadUnavailable`) goes to the worker thread, whose sign-in says
    why, writes, or fails exactly as it always has."""
    reader: LoopReader | None = getattr(request.app.state, "loop_reader", None)
    if reader is None:
        return None
    now = utcnow()
    try:
        if token.startswith(SESSION_PREFIX):
            found = await reader.fetch_one(_light_session_statement(), _digest(token))
            if found is None:
                return None
            *who, _auth_id, expires_at, last_used_at = found
            if expires_at <= now or _session_touch_due(last_used_at, now):
                return None
            scopes = SESSION_SCOPES
        elif token.startswith(PAT_PREFIX):
            found = await reader.fetch_one(_light_token_statement(), _digest(token))
            if found is None:
                return None
            *who, _token_id, token_scopes, expires_at, last_used_at = found
            if (expires_at is not None and expires_at <= now) or _token_touch_due(
                last_used_at, now
            ):
                return None
            scopes = frozenset(token_scopes)
        else:
            return None
    except LoopReadUnavailable:
        return None
    person = Person(*who, scopes=scopes)  # type: ignore[misc]
    return _answer_quickly(request, person, quick, *args)


def _answer_quickly(
    request: Request, person: Person, quick: Callable[..., T | None], *args: Any
) -> T | None:
    _require_scopes(request, person)
    request.state.user_id = str(person.id)
    return quick(person, *args)


def _digest(token: str) -> dict[str, str]:
    return {"digest": hash_token(token)}


def _as_person(
    request: Request,
    engine: Engine,
    factory: sessionmaker[Session],
    token: str,
    work: Callable[..., T],
    *args: Any,
) -> T:
    with autocommit_connection(engine) as connection:
        # On a plain connection: the light statement needs none of the ORM session's
        # machinery, which cost twice the statement itself.
        person, _touched = _authenticate(connection, token, light=True)
        connection.commit()  # the once-a-minute update of last use, if any
        assert isinstance(person, Person)
        _require_scopes(request, person)
        request.state.user_id = str(person.id)
        return work(partial(factory, bind=connection), person, *args)


def load_person(session: Session, person: Person) -> User:
    """The whole person, for a route that signed in by `as_person` and needs more than its
    counters (computing a report, a pull with changes). Deleted since sign-in: 401."""
    user = session.get(User, person.id)
    if user is None:
        raise account_gone()
    return user


async def get_account_principal(
    principal: Annotated[Principal, Depends(get_principal)],
) -> Principal:
    """Managing sessions, tokens and the password needs a signed-in device, not an API token."""
    principal.require(ACCOUNT)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
AccountPrincipal = Annotated[Principal, Depends(get_account_principal)]


async def get_current_user(principal: CurrentPrincipal) -> User:
    # async on purpose: it does no I/O, so it need not hop to a worker thread (each hop costs).
    return principal.user


CurrentUser = Annotated[User, Depends(get_current_user)]


class Versioned(Protocol):
    """A person's id and change counters: a `User`, or the `Person` read at sign-in."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def sync_version(self) -> int: ...
    @property
    def profile_version(self) -> int: ...


def person_etag(request: Request, user: Versioned, *extra: str) -> str:
    """The tag of this request's answer for this person (core/etag.py): it moves with their
    change numbers, the URL and anything else the answer depends on (`extra`)."""
    return versions_etag(request, str(user.id), (user.sync_version, user.profile_version), *extra)
