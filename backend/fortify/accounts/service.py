"""Accounts, sign-in sessions, personal access tokens and the profile.

Services only flush; the request's session dependency commits or rolls back.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Select, delete, literal, select, update
from sqlalchemy.orm import Session

from fortify.accounts import audit, passwords
from fortify.accounts.models import AccessToken, AuthSession, User
from fortify.accounts.schemas import AccountCreate, ProfileUpdate, TokenCreate
from fortify.core.db import utcnow
from fortify.core.errors import Conflict, InvalidInput, NotFound, Unauthorized
from fortify.core.ratelimit import SignInLimiter
from fortify.core.security import (
    PAT_PREFIX,
    SESSION_PREFIX,
    hash_password,
    hash_token,
    needs_rehash,
    new_token,
    verify_password,
)


def next_version(session: Session, user_id: uuid.UUID) -> int:
    """Take the person's next change number inside the current transaction.

    The UPDATE takes the user row's lock (PostgreSQL) or the database's write lock (SQLite), so
    two writes of one person are ordered and the later one always gets the larger number.
    """
    block = session.info.get(_VERSION_BLOCKS, {}).get(user_id)
    if block is not None and block[0] <= block[1]:
        block[0] += 1
        return int(block[0] - 1)
    stmt = (
        update(User)
        .where(User.id == user_id)
        .values(sync_version=User.sync_version + 1)
        .returning(User.sync_version)
        # "fetch" finds the loaded User by the returned key; the default ("evaluate") walks the
        # whole identity map on every call, which made a 500-write batch quadratic.
        .execution_options(synchronize_session="fetch")
    )
    version = session.execute(stmt).scalar_one()
    return int(version)


_VERSION_BLOCKS = "fortify.version_blocks"


def reserve_versions(session: Session, user_id: uuid.UUID, count: int) -> None:
    """Take `count` change numbers at once for a batch (a sync push): one UPDATE instead of one
    per write. The numbers are taken under the same user-row lock as `next_version`'s and that
    lock is held until commit, so ordering holds; numbers a rejected operation leaves unused are
    gaps, which a cursor does not mind."""
    if count <= 0:
        return
    stmt = (
        update(User)
        .where(User.id == user_id)
        .values(sync_version=User.sync_version + count)
        .returning(User.sync_version)
        .execution_options(synchronize_session="fetch")
    )
    last = int(session.execute(stmt).scalar_one())
    session.info.setdefault(_VERSION_BLOCKS, {})[user_id] = [last - count + 1, last]


def reserved_mark(session: Session, user_id: uuid.UUID) -> int | None:
    """The number `next_version` would hand out next from the reserved block (None: no block).
    With `rewind_versions`, lets a batch roll back some writes and redo them with the same
    numbers."""
    block = session.info.get(_VERSION_BLOCKS, {}).get(user_id)
    return None if block is None else int(block[0])


def rewind_versions(session: Session, user_id: uuid.UUID, mark: int | None) -> None:
    """Hand out the reserved numbers again from `mark` (from `reserved_mark`): the writes that
    took them were rolled back with a savepoint. Only the block moves; a number taken past the
    block's end was an UPDATE of the user row, rolled back with the same savepoint."""
    block = session.info.get(_VERSION_BLOCKS, {}).get(user_id)
    if block is not None and mark is not None:
        block[0] = mark


def release_versions(session: Session, user_id: uuid.UUID) -> None:
    """Stop drawing from a reserved block and give back the numbers it did not use.

    Safe because the block's lock is still held: nobody else can have taken a number since,
    so a batch that wrote nothing leaves the counter exactly where it was.
    """
    block = session.info.get(_VERSION_BLOCKS, {}).pop(user_id, None)
    if block is not None and block[0] <= block[1]:
        stmt = (
            update(User)
            .where(User.id == user_id)
            .values(sync_version=block[0] - 1)
            .execution_options(synchronize_session="fetch")
        )
        session.execute(stmt)


def create_account(session: Session, data: AccountCreate) -> User:
    email = data.email.lower()
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("An account with this email exists already.", field="email", rule="unique")
    user = User(
        email=email,
        password_hash=hash_password(data.password),
        display_name=data.display_name,
        target_overrides={},
    )
    session.add(user)
    session.flush()
    audit.record(session, user.id, "account_created")
    return user


def create_user(session: Session, email: str, password: str, display_name: str) -> User:
    return create_account(
        session, AccountCreate(email=email, password=password, display_name=display_name)
    )


def sign_in(
    session: Session,
    limiter: SignInLimiter,
    *,
    email: str,
    password: str,
    device_name: str,
    address: str,
    lifetime: dt.timedelta,
) -> tuple[AuthSession, str]:
    limiter.hit(email, address)
    user = session.scalar(select(User).where(User.email == email.lower()))
    if not verify_password(user.password_hash if user else None, password) or user is None:
        if user is not None:
            _record_failed_sign_in(session, user.id, address)
        raise Unauthorized("The email or the password is wrong.")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    token = new_token(SESSION_PREFIX)
    now = utcnow()
    auth = AuthSession(
        user_id=user.id,
        token_hash=hash_token(token),
        device_name=device_name,
        created_at=now,
        last_used_at=now,
        expires_at=now + lifetime,
    )
    session.add(auth)
    session.flush()
    audit.record(session, user.id, "signed_in", device=device_name, address=address)
    return auth, token


def list_sessions(session: Session, user: User) -> list[AuthSession]:
    stmt = (
        select(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.expires_at > utcnow())
        .order_by(AuthSession.created_at.desc())
    )
    return list(session.scalars(stmt))


def end_session(session: Session, user: User, session_id: uuid.UUID) -> None:
    result = session.execute(
        delete(AuthSession).where(AuthSession.id == session_id, AuthSession.user_id == user.id)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound("No such session.")
    audit.record(session, user.id, "session_ended")


def change_password(
    session: Session, user: User, current: str, new: str, keep_session: object | None
) -> None:
    if not verify_password(user.password_hash, current):
        raise InvalidInput(
            "The current password is wrong.", field="current_password", rule="matches"
        )
    user.password_hash = hash_password(new)
    audit.record(session, user.id, "password_changed")
    # A changed password must lock out whoever knew the old one.
    session.execute(
        delete(AuthSession).where(AuthSession.user_id == user.id, AuthSession.id != keep_session)
    )
    session.flush()


def reset_password(session: Session, email: str, new: str) -> User:
    user = session.scalar(select(User).where(User.email == email.lower()))
    if user is None:
        raise NotFound("No account with this email.", field="email", rule="exists")
    # The API's schemas check the policy for sign-up and change; a reset (the CLI) checks here.
    if len(new) < passwords.MIN_LENGTH:
        raise InvalidInput(
            f"needs at least {passwords.MIN_LENGTH} characters", field="password", rule="min_length"
        )
    if passwords.is_common(new):
        raise InvalidInput(passwords.COMMON_DETAIL, field="password", rule=passwords.NOT_COMMON)
    user.password_hash = hash_password(new)
    audit.record(session, user.id, "password_reset")
    session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
    session.flush()
    return user


def create_token(session: Session, user: User, data: TokenCreate) -> tuple[AccessToken, str]:
    token = new_token(PAT_PREFIX)
    expires = utcnow() + dt.timedelta(days=data.expires_in_days) if data.expires_in_days else None
    pat = AccessToken(
        user_id=user.id,
        token_hash=hash_token(token),
        name=data.name,
        scopes=sorted(set(data.scopes)),
        created_at=utcnow(),
        expires_at=expires,
    )
    session.add(pat)
    session.flush()
    audit.record(session, user.id, "token_created", name=data.name, scopes=" ".join(pat.scopes))
    return pat, token


def list_tokens(session: Session, user: User) -> list[AccessToken]:
    stmt = (
        select(AccessToken)
        .where(AccessToken.user_id == user.id)
        .order_by(AccessToken.created_at.desc())
    )
    return list(session.scalars(stmt))


def revoke_token(session: Session, user: User, token_id: uuid.UUID) -> None:
    result = session.execute(
        delete(AccessToken).where(AccessToken.id == token_id, AccessToken.user_id == user.id)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound("No such token.")
    audit.record(session, user.id, "token_revoked")


def update_profile(session: Session, user: User, data: ProfileUpdate) -> User:
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    for field in (
        "display_name",
        "time_zone",
        "unit_system",
        "cleared_for_high_impact",
        "on_anticoagulant",
        "osteoporosis",
        "target_overrides",  # null was stored and then failed the read model: a 500 (fuzzing)
    ):
        if field in changes and changes[field] is None:
            raise InvalidInput(f"{field} cannot be null.", field=field, rule="not_null")
    for field, value in changes.items():
        setattr(user, field, value)
    if changes:
        session.flush()
        user.profile_version = next_version(session, user.id)
        session.expire(user, ["sync_version"])
    session.flush()
    return user


def lock_changes(session: Session, user_id: uuid.UUID) -> None:
    """Take the person's write lock now, before reading anything a write will depend on.

    A no-op UPDATE of the user row: on PostgreSQL it holds the row lock that `next_version`
    would take later; on SQLite it opens the write transaction. Two sync pushes of one person
    therefore run one after the other, and the second sees everything the first committed.
    """
    session.execute(update(User).where(User.id == user_id).values(sync_version=User.sync_version))


def current_version(session: Session, user_id: uuid.UUID) -> int:
    """The person's latest change number (committed, as this transaction sees it)."""
    return int(session.scalar(select(User.sync_version).where(User.id == user_id)) or 0)


PROFILE_FIELDS: tuple[str, ...] = tuple(ProfileUpdate.model_fields)


def profile_fields(user: User) -> dict[str, Any]:
    """The profile as a JSON-ready dict of `ProfileUpdate` fields (sync records, conflicts)."""
    out: dict[str, Any] = {}
    for name in PROFILE_FIELDS:
        value = getattr(user, name)
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def profile_change_keys(user_id: uuid.UUID, after: int) -> Select[int, str, uuid.UUID]:
    """(version, "profile", id) when the profile was written after change number `after`."""
    return select(
        User.profile_version.label("version"),
        literal("profile").label("entity"),
        User.id.label("id"),
    ).where(User.id == user_id, User.profile_version > after)


def _record_failed_sign_in(session: Session, user_id: uuid.UUID, address: str) -> None:
    """Kept even though the request fails: the rollback of the failed request must not erase
    the evidence, so it is written in its own short transaction."""
    bind = session.get_bind()
    with Session(bind) as own:
        audit.record(own, user_id, "sign_in_failed", address=address)
        own.commit()
