"""The signed-in principal: who is asking, with which scopes (the authentication dependencies).

Every route that reads or writes a person's data depends on `CurrentUser` (or `CurrentPrincipal`,
`AccountPrincipal`). The bearer token is looked up here, once per request, in the request's own
session (`core.deps.SessionDep`), and the `read`/`write` scopes are enforced here for every
route, so none can forget them. It lives in accounts, not core, because it reads accounts'
tables: core knows no domain (tests/test_layers.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, NoReturn

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fortify.accounts.models import AccessToken, AuthSession, EndedCredential, User
from fortify.core.clock import utcnow
from fortify.core.deps import SessionDep
from fortify.core.errors import Forbidden, Unauthorized
from fortify.core.etag import versions_etag
from fortify.core.security import PAT_PREFIX, SESSION_PREFIX, hash_token

READ, WRITE, ACCOUNT = "read", "write", "account"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Writes whose answers carry stored data the caller did not send: a PATCH answers with the
# whole record; the sync protocol's answers carry the server's versions of records. They need
# `read` as well, so a write-only token (a Shortcut that logs doses) can never read the record.
READING_METHODS = frozenset({"PATCH"})
READING_PREFIXES = ("/api/v1/sync/",)
ENDED = {
    "signed_out": "This device was signed out.",
    "revoked": "This device was signed out from another device.",
    "expired": "The session has expired.",
    "password_changed": "The password was changed.",
    "account_deleted": "This account was deleted.",
}


_bearer = HTTPBearer(auto_error=False, description="A session token or a personal access token.")


@dataclass(frozen=True)
class Principal:
    user: User
    scopes: frozenset[str]
    session_id: object | None = None
    token_id: object | None = None

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise Forbidden(f"This token lacks the '{scope}' scope.", field="scope", rule=scope)


def _authenticate(session: Session, token: str) -> Principal:
    now = utcnow()
    digest = hash_token(token)
    if token.startswith(SESSION_PREFIX):
        # One query for the session and its person: this runs on every request. Only the person
        # is loaded as an ORM object (routes read and change it); the session's three columns
        # come as plain values.
        found = session.execute(
            select(User, AuthSession.id, AuthSession.expires_at, AuthSession.last_used_at)
            .join(AuthSession, AuthSession.user_id == User.id)
            .where(AuthSession.token_hash == digest)
        ).first()
        if found is None or found.expires_at <= now:
            _ended(session, token, "expired" if found is not None else None)
        user, auth_id, _expires_at, last_used_at = found
        # Avoid a write on every request: refresh last use at most once a minute.
        if now - last_used_at > dt.timedelta(minutes=1):
            session.execute(
                update(AuthSession).where(AuthSession.id == auth_id).values(last_used_at=now)
            )
        return Principal(user, frozenset({READ, WRITE, ACCOUNT}), session_id=auth_id)
    if token.startswith(PAT_PREFIX):
        pat = session.scalar(select(AccessToken).where(AccessToken.token_hash == digest))
        if pat is None or (pat.expires_at is not None and pat.expires_at <= now):
            _ended(session, token, "expired" if pat is not None else None, what="access token")
        if pat.last_used_at is None or now - pat.last_used_at > dt.timedelta(minutes=1):
            pat.last_used_at = now
        owner = session.get(User, pat.user_id)
        assert owner is not None
        return Principal(owner, frozenset(pat.scopes), token_id=pat.id)
    raise Unauthorized("The bearer token is not valid.")


def _ended(session: Session, token: str, reason: str | None, what: str = "session") -> NoReturn:
    """401, saying why when the server knows (errors[0].rule: signed_out, revoked, expired,
    password_changed, account_deleted), so the app can ask to sign in again, or clear its data
    when the account is gone."""
    reason = reason or session.scalar(
        select(EndedCredential.reason).where(EndedCredential.token_hash == hash_token(token))
    )
    if reason is None:
        raise Unauthorized(f"The {what} is not valid; sign in again.")
    raise Unauthorized(
        f"{ENDED.get(reason, 'The ' + what + ' has ended.')} Please sign in again.",
        field="authorization",
        rule=reason,
        headers={"WWW-Authenticate": "Bearer"},
    )


def get_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise Unauthorized(
            "Sign in first: send 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    principal = _authenticate(session, credentials.credentials)
    # Enforced here, once, so no route can forget it: reading needs `read`, writing `write`
    # (neither implies the other), and a write that answers with stored data needs both.
    if request.method in SAFE_METHODS:
        principal.require(READ)
    else:
        principal.require(WRITE)
        if request.method in READING_METHODS or request.url.path.startswith(READING_PREFIXES):
            principal.require(READ)
    request.state.user_id = str(principal.user.id)
    return principal


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


def person_etag(request: Request, user: User, *extra: str) -> str:
    """The tag of this request's answer for this person (core/etag.py): it moves with their
    change numbers, the URL and anything else the answer depends on (`extra`)."""
    return versions_etag(request, str(user.id), (user.sync_version, user.profile_version), *extra)
