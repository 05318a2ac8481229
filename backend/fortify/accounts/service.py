"""Accounts, sign-in sessions, personal access tokens and the profile.

Services only flush; the request's session dependency commits or rolls back.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    bindparam,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from fortify.accounts import audit, emails, importlock, passwords
from fortify.accounts.models import AccessToken, AuthSession, EmailLink, EndedCredential, User
from fortify.accounts.schemas import AccountCreate, ProfileUpdate, TokenCreate
from fortify.core import limits
from fortify.core.clock import utcnow
from fortify.core.errors import Conflict, InvalidInput, NotFound, Unauthorized
from fortify.core.mail import Mail
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

_log = logging.getLogger("fortify.accounts")


def account_gone() -> Unauthorized:
    """The 401 for a person whose account was deleted after this request signed in: the same
    answer the authentication dependency gives once the deletion has committed (`deps`), so a
    phone retrying its outbox learns to clear its data, whichever instant it asked in."""
    return Unauthorized(
        "This account was deleted. Please sign in again.",
        field="authorization",
        rule="account_deleted",
        headers={"WWW-Authenticate": "Bearer"},
    )


def confirm_account(session: Session, user_id: uuid.UUID) -> None:
    """401 (`account_gone`) when her account was deleted since the request signed in: for an
    answer that would otherwise blame the request (a record not found, because it went with
    the account)."""
    if session.scalar(select(User.id).where(User.id == user_id)) is None:
        raise account_gone()


def account_exists(engine: Engine, user_id: uuid.UUID) -> bool:
    """Whether the account is there now, read on a connection of its own (the request's
    session has rolled back): for the answer to a write that failed on a row that vanished."""
    with engine.connect() as connection:
        return connection.scalar(select(User.id).where(User.id == user_id)) is not None


# Every write of a person takes one of her change numbers, by an UPDATE of her row: that is
# where a request learns that her account was deleted after it signed in (an outside probe, F8:
# writes racing a deletion were 500s). The UPDATE runs before anything the request has pending
# is flushed (`no_autoflush`): her row is locked, or found gone (401, nothing written), before
# any row of hers is written (an ORM UPDATE of a row deleted with her account would otherwise
# fail first, as a 500).


def next_version(session: Session, user_id: uuid.UUID) -> int:
    """Take the person's next change number inside the current transaction.

    The UPDATE takes the user row's lock (PostgreSQL) or the database's write lock (SQLite), so
    two writes of one person are ordered and the later one always gets the larger number. Her
    account deleted since the request signed in: 401 (`account_gone`).
    """
    block = session.info.get(_VERSION_BLOCKS, {}).get(user_id)
    if block is not None and block[0] <= block[1]:
        block[0] += 1
        return int(block[0] - 1)
    return take_versions(session, user_id, 1)


def _taken(session: Session, user_id: uuid.UUID, version: int | None) -> int:
    """The number an UPDATE of her counter returned; none: her import holds the account (503),
    or she is gone (the 401 `account_gone`)."""
    if version is None:
        importlock.refuse_if_held(session, user_id)
        raise account_gone()
    return int(version)


_VERSION_BLOCKS = "fortify.version_blocks"


def reserve_versions(session: Session, user_id: uuid.UUID, count: int) -> None:
    """Take `count` change numbers at once for a batch (a sync push): one UPDATE instead of one
    per write. The numbers are taken under the same user-row lock as `next_version`'s and that
    lock is held until commit, so ordering holds; numbers a rejected operation leaves unused are
    gaps, which a cursor does not mind."""
    if count <= 0:
        return
    first = take_versions(session, user_id, count)
    session.info.setdefault(_VERSION_BLOCKS, {})[user_id] = [first, first + count - 1]


def take_versions(session: Session, user_id: uuid.UUID, count: int) -> int:
    """Take `count` consecutive change numbers in one UPDATE (as `next_version` takes one) and
    return the first: for rows inserted together (an import, the demo history). Her account
    deleted since the request signed in: 401 (`account_gone`)."""
    stmt = (
        update(User)
        .where(User.id == user_id, importlock.writable(session, user_id))
        .values(sync_version=User.sync_version + count)
        .returning(User.sync_version)
        # "fetch" finds the loaded User by the returned key; the default ("evaluate") walks the
        # whole identity map on every call, which made a 500-write batch quadratic.
        .execution_options(synchronize_session="fetch")
    )
    with session.no_autoflush:
        last = _taken(session, user_id, session.execute(stmt).scalar_one_or_none())
    return last - count + 1


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
    """Create an account at once (the operator's `fortify user create`, the demo). People
    signing up through the API confirm their address first (`request_sign_up`)."""
    if session.scalar(select(User.id).where(User.email == data.email)) is not None:
        raise Conflict("An account with this email exists already.", field="email", rule="unique")
    return _new_user(session, data.email, hash_password(data.password), data.display_name)


def _new_user(session: Session, email: str, password_hash: str, display_name: str) -> User:
    # The profile is written at creation (change number 1), so a new phone's first pull carries
    # it, with its created_at: the phone's first day is then the server's (days.first_day),
    # even before she ever saves her profile.
    user = User(
        email=email,
        password_hash=password_hash,
        display_name=display_name,
        target_overrides={},
        sync_version=1,
        profile_version=1,
    )
    session.add(user)
    session.flush()
    audit.record(session, user.id, "account_created")
    return user


def create_user(session: Session, email: str, password: str, display_name: str) -> User:
    return create_account(
        session, AccountCreate(email=email, password=password, display_name=display_name)
    )


def get_person(session: Session, user_id: uuid.UUID) -> User | None:
    """The person with this id (None: no such account, or it was deleted)."""
    return session.get(User, user_id)


def person_statement(columns: Sequence[str], *extra: ColumnElement[Any]) -> Select[Any]:
    """One statement reading these columns of the person `:user_id`, as plain values (loading
    the whole person as an ORM object cost more than a day report's own statements), and the
    caller's `extra` columns (scalar subqueries over her other rows, bound by the same
    `:user_id`): one round trip where there were two. For a caller that builds it once."""
    return select(*(getattr(User, c) for c in columns), *extra).where(
        User.id == bindparam("user_id")
    )


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == emails.normalise(email)))


# --- sign-up, verification and password reset by emailed link ------------------------------
#
# Sign-up answers the same for a new and a registered address (202 "check your inbox"): being
# registered here says that someone takes a cancer medicine. A new address gets a link that
# creates the account when opened (with the password and name chosen at sign-up, kept hashed
# on the link); a registered one gets a mail saying someone tried to sign up, with a link to
# reset the password. Both paths hash the password, so they also take the same time. Links are
# single-use; a reset link lives an hour, a sign-up link a day.

VERIFY, RESET = "verify", "reset"
VERIFY_LIFETIME = dt.timedelta(hours=24)
RESET_LIFETIME = dt.timedelta(hours=1)
_LINK_PREFIX = {VERIFY: "ftv_", RESET: "ftr_"}
_LINK_PATH = {VERIFY: "/verify", RESET: "/reset"}


def _link(base_url: str, purpose: str, token: str) -> str:
    # The token travels in the fragment: browsers never send it to a server or in a Referer.
    return f"{base_url}{_LINK_PATH[purpose]}#token={token}"


def _new_link(
    session: Session,
    purpose: str,
    email: str,
    *,
    user_id: uuid.UUID | None = None,
    password_hash: str | None = None,
    display_name: str | None = None,
) -> str:
    token = new_token(_LINK_PREFIX[purpose])
    now = utcnow()
    lifetime = VERIFY_LIFETIME if purpose == VERIFY else RESET_LIFETIME
    session.add(
        EmailLink(
            purpose=purpose,
            token_hash=hash_token(token),
            email=email,
            user_id=user_id,
            password_hash=password_hash,
            display_name=display_name,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return token


def _greeting(user: User) -> str:
    """The greeting, her name on its one line whatever the stored name holds: names are
    single-line since F6 (an outside probe), but one stored before must not start a paragraph
    of its own. Only mails to an account's confirmed address greet by name: it is her own."""
    return f"Hello {' '.join(user.display_name.split())},"


def _reset_mail(user: User, base_url: str, token: str, *, tried_sign_up: bool) -> Mail:
    link = _link(base_url, RESET, token)
    if tried_sign_up:
        return Mail(
            to=user.email,
            subject="Someone tried to create a Fortify account with your address",
            text=(
                f"{_greeting(user)}\n\n"
                "Someone (perhaps you) tried to create a Fortify account with this email "
                "address, but you have an account already, so nothing was changed.\n\n"
                f"To sign in, open Fortify at {base_url}/signin\n\n"
                "If you forgot your password, choose a new one here (the link works once, "
                f"for one hour):\n{link}\n\n"
                "If it was not you, you can ignore this mail.\n"
            ),
        )
    return Mail(
        to=user.email,
        subject="Choose a new Fortify password",
        text=(
            f"{_greeting(user)}\n\n"
            "Open this link to choose a new password (it works once, for one hour):\n"
            f"{link}\n\n"
            "Choosing a new password signs you out on every device and ends your access tokens "
            "and calendar links.\n\n"
            "If you did not ask for this, you can ignore this mail: your password stays as it "
            "is.\n"
        ),
    )


def request_sign_up(session: Session, data: AccountCreate, base_url: str) -> Mail:
    password_hash = hash_password(data.password)  # on both paths: same work, same time
    user = find_user(session, data.email)
    if user is not None:
        token = _new_link(session, RESET, user.email, user_id=user.id)
        return _reset_mail(user, base_url, token, tried_sign_up=True)
    # Only the newest sign-up of an address can be confirmed: an older link (perhaps made by
    # someone else with a password of theirs, an outside probe, F00) stops working.
    session.execute(
        delete(EmailLink).where(
            EmailLink.purpose == VERIFY,
            EmailLink.email == data.email,
            EmailLink.used_at.is_(None),
        )
    )
    token = _new_link(
        session,
        VERIFY,
        data.email,
        password_hash=password_hash,
        display_name=data.display_name,
    )
    # No name in this mail: the address is not confirmed yet, so whoever typed the name may
    # not be whoever reads the mail, and Fortify would be mailing a stranger's words to any
    # address (an outside probe, F6).
    return Mail(
        to=data.email,
        subject="Confirm your email to finish creating your Fortify account",
        text=(
            "Hello,\n\n"
            "Open this link to confirm your email address and start using Fortify "
            f"(it works once, for 24 hours):\n{_link(base_url, VERIFY, token)}\n\n"
            "You will be asked for the password you chose when you signed up.\n\n"
            "If you did not sign up, you can ignore this mail: no account is created.\n"
        ),
    )


def verification_link(session: Session, email: str, base_url: str) -> str:
    """A fresh link for the newest sign-up of `email` still waiting (`fortify user verify-link`):
    its old link stops working."""
    pending = session.scalar(
        select(EmailLink)
        .where(
            EmailLink.purpose == VERIFY,
            EmailLink.email == emails.normalise(email),
            EmailLink.used_at.is_(None),
        )
        .order_by(EmailLink.created_at.desc())
        .limit(1)
    )
    if pending is None:
        raise NotFound("No sign-up is waiting for this email.", field="email", rule="exists")
    token = new_token(_LINK_PREFIX[VERIFY])
    pending.token_hash = hash_token(token)
    pending.expires_at = utcnow() + VERIFY_LIFETIME
    session.flush()
    return _link(base_url, VERIFY, token)


def request_password_reset(session: Session, email: str, base_url: str) -> Mail | None:
    """The mail to send, or None for an address with no account (the caller answers the same)."""
    user = find_user(session, email)
    if user is None:
        return None
    token = _new_link(session, RESET, user.email, user_id=user.id)
    return _reset_mail(user, base_url, token, tried_sign_up=False)


def reset_link(session: Session, email: str, base_url: str) -> str:
    """A reset link for the operator to hand over (`fortify user reset-link`)."""
    user = find_user(session, email)
    if user is None:
        raise NotFound("No account with this email.", field="email", rule="exists")
    return _link(base_url, RESET, _new_link(session, RESET, user.email, user_id=user.id))


_BAD_LINK = "This link has expired or was used already. Ask for a new one."


def check_reset_link(session: Session, token: str) -> None:
    """Whether a reset link can still be used, without using it: the landing page asks when it
    opens, so a used or expired link is said before she types a new password."""
    _live_link(session, RESET, token)


def check_sign_up_link(session: Session, token: str) -> None:
    """Whether a sign-up link can still be used, without using it and without its password:
    the landing page asks when it opens, so a used, expired or replaced link (a newer sign-up
    of the address voids it) is said before she types her password (the newcomer walk, issue
    #14). It says nothing of the account: only whether this unguessable token is live, which
    its holder learns anyway by trying it."""
    _live_link(session, VERIFY, token)


def _live_link(session: Session, purpose: str, token: str) -> EmailLink:
    """The link of this token, not used and not expired (422 naming `token` otherwise)."""
    link = session.scalar(
        select(EmailLink).where(
            EmailLink.token_hash == hash_token(token), EmailLink.purpose == purpose
        )
    )
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        raise InvalidInput(_BAD_LINK, field="token", rule="valid_link")
    return link


def _use_link(session: Session, purpose: str, token: str) -> EmailLink:
    """Mark the link used, once: of two requests racing with one link, one wins."""
    now = utcnow()
    link = _live_link(session, purpose, token)
    claimed = session.execute(
        update(EmailLink)
        .where(EmailLink.id == link.id, EmailLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidInput(_BAD_LINK, field="token", rule="valid_link")
    session.refresh(link)
    return link


_NOT_THE_SIGN_UP_PASSWORD = (
    "This isn't the password chosen when this sign-up was made. If you didn't sign up, ignore "
    "the mail; otherwise sign up again."
)


def verify_email(
    session: Session,
    limiter: SignInLimiter,
    token: str,
    password: str,
    *,
    device_name: str,
    address: str,
    lifetime: dt.timedelta,
) -> tuple[AuthSession, str]:
    """Open a sign-up link with the password chosen at sign-up: the account is created and this
    device signed in.

    The password is asked because whoever signs up chooses it, and anyone can sign up with any
    address: without it, a person opening a mail that someone else's sign-up sent her would
    create her account with a password he knows (account pre-hijacking, an outside probe,
    F00). A wrong one is throttled with the address's sign-in attempts and does not use the
    link up. There is no account to audit it in yet, so it goes to the operator's log.
    """
    pending = _live_link(session, VERIFY, token)
    limiter.hit(pending.email, address)
    if not verify_password(pending.password_hash, password):
        _log.warning(
            "sign_up_password_failed", extra={"fields": {"link": str(pending.id), "ip": address}}
        )
        raise InvalidInput(_NOT_THE_SIGN_UP_PASSWORD, field="password", rule="matches")
    limiter.succeeded(pending.email, address)  # the limit is on wrong passwords only (F4)
    link = _use_link(session, VERIFY, token)
    if find_user(session, link.email) is not None:
        raise Conflict(
            "This address has an account already: sign in, or reset your password.",
            field="token",
            rule="unique",
        )
    assert link.password_hash is not None and link.display_name is not None
    user = _new_user(session, link.email, link.password_hash, link.display_name)
    # Other sign-ups of the same address waiting: this one won.
    session.execute(
        delete(EmailLink).where(
            EmailLink.purpose == VERIFY, EmailLink.email == link.email, EmailLink.id != link.id
        )
    )
    return _open_session(session, user, device_name, address, lifetime)


def reset_by_link(
    session: Session,
    token: str,
    new: str,
    *,
    device_name: str,
    address: str,
    lifetime: dt.timedelta,
) -> tuple[AuthSession, str]:
    """Open a reset link: the new password replaces the old, every credential of the account
    ends (sessions, access tokens, calendar links, other reset links) and this device signs in."""
    link = _use_link(session, RESET, token)
    user = session.get(User, link.user_id) if link.user_id else None
    if user is None:
        raise InvalidInput(_BAD_LINK, field="token", rule="valid_link")
    hold_account(session, user)
    _check_strength(user, new, field="new_password")
    user.password_hash = hash_password(new)
    end_credentials(session, user, "password_changed")
    audit.record(session, user.id, "password_reset", via="email link", address=address)
    return _open_session(session, user, device_name, address, lifetime)


# --- credentials ---------------------------------------------------------------------------

# How long a token's end is remembered: longer than any session lives (365 days at most).
ENDED_KEPT = dt.timedelta(days=400)
ACCOUNT_DELETED = "account_deleted"


def hold_person(session: Session, user_id: uuid.UUID) -> None:
    """Take the person's row lock (PostgreSQL) or the one writer (SQLite) now, before a count
    and the insert it allows, or a check of her credential and the row that names it: two such
    requests of hers then run one after the other (outside probe N1, N2, N5: ten creates at once
    passed a cap, and two registrations of one push endpoint at once were a 500)."""
    held = session.execute(
        update(User).where(User.id == user_id).values(sync_version=User.sync_version)
    )
    if not held.rowcount:  # type: ignore[attr-defined]
        raise account_gone()


def require_live_device(
    session: Session, session_id: object | None, token_id: object | None = None
) -> None:
    """After `hold_person`: the signed-in device or the access token this request came with
    still exists (a sign-out or a revocation may have committed since the request was let in:
    a row naming the ended credential would break its foreign key, a 500 an outside re-check
    found for tokens). The 401 an ended credential gets."""
    ended = (
        (
            AuthSession,
            session_id,
            "This device was signed out. Please sign in again.",
            "signed_out",
        ),
        (
            AccessToken,
            token_id,
            "This access token was revoked (or ended by a password change). Make a new one.",
            "revoked",
        ),
    )
    for model, credential_id, words, rule in ended:
        if isinstance(credential_id, uuid.UUID) and (
            session.scalar(select(model.id).where(model.id == credential_id)) is None
        ):
            raise Unauthorized(
                words,
                field="authorization",
                rule=rule,
                headers={"WWW-Authenticate": "Bearer"},
            )


def hold_account(session: Session, user: User) -> None:
    """Take the person's row lock before changing how she signs in, then read her row again.

    Two password changes, two revocations of one token or a reset racing a change then run one
    after the other, and the second sees what the first did, as a retry made later would: the
    old password is no longer current, the token is gone (probe-attack F0b, F0c). Without it
    both wrote, the last password silently won, and on PostgreSQL the second insert of an
    ended credential was an IntegrityError (a 500).
    """
    hold_person(session, user.id)
    session.refresh(user)


def still_current(session: Session, user: User, *, field: str) -> None:
    """After `check_password`: hold her row, and refuse if the password checked is no longer
    hers (another device changed it meanwhile), as a later retry would hear."""
    checked = user.password_hash
    hold_account(session, user)
    if user.password_hash != checked:
        raise InvalidInput("The password is wrong.", field=field, rule="matches")


def _remember_ended(session: Session, user: User, token_hashes: list[str], reason: str) -> None:
    now = utcnow()
    session.execute(delete(EndedCredential).where(EndedCredential.ended_at < now - ENDED_KEPT))
    gone = reason == ACCOUNT_DELETED
    if gone:
        # Every device of hers signed out earlier (a password change, a revocation) may still
        # hold her data: it learns the account is gone too. And the record forgets whose it was.
        session.execute(
            update(EndedCredential)
            .where(EndedCredential.user_id == user.id)
            .values(reason=reason, user_id=None)
        )
    known = set(
        session.scalars(
            select(EndedCredential.token_hash).where(EndedCredential.token_hash.in_(token_hashes))
        )
    )
    session.add_all(
        EndedCredential(
            token_hash=h, reason=reason, ended_at=now, user_id=None if gone else user.id
        )
        for h in token_hashes
        if h not in known
    )
    session.flush()


def end_credentials(
    session: Session, user: User, reason: str, keep_session: object | None = None
) -> None:
    """End every way into the account but `keep_session`: signed-in devices, personal access
    tokens (and the push subscriptions they registered), calendar links and reset links.

    A password change or reset calls this: whoever knew the old password may have made any of
    them. Account deletion calls it so that her other devices learn why they were signed out.
    """
    from fortify.reminders import service as reminders  # reminders imports accounts

    sessions = select(AuthSession.token_hash).where(
        AuthSession.user_id == user.id, AuthSession.id != keep_session
    )
    tokens = select(AccessToken.token_hash).where(AccessToken.user_id == user.id)
    _remember_ended(session, user, [*session.scalars(sessions), *session.scalars(tokens)], reason)
    session.execute(
        delete(AuthSession).where(AuthSession.user_id == user.id, AuthSession.id != keep_session)
    )
    session.execute(delete(AccessToken).where(AccessToken.user_id == user.id))
    session.execute(
        delete(EmailLink).where(EmailLink.user_id == user.id, EmailLink.used_at.is_(None))
    )
    reminders.revoke_all_feeds(session, user, utcnow())
    session.flush()


def _open_session(
    session: Session, user: User, device_name: str, address: str, lifetime: dt.timedelta
) -> tuple[AuthSession, str]:
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
    user = find_user(session, email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        if user is not None:
            _record_in_own_transaction(session, user.id, "sign_in_failed", address=address)
        # The same words for an unknown address, a wrong password and a sign-up whose link was
        # not opened yet: any difference would tell an outsider who is registered.
        raise Unauthorized(
            "The email or the password is wrong (or the email is not confirmed yet: "
            "open the link we sent you)."
        )
    # Only wrong passwords count: a success counted would tell the next caller (an outsider
    # guessing hers) that she signed in within the minute (issue #13, F4).
    limiter.succeeded(email, address)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return _open_session(session, user, device_name, address, lifetime)


def session_owner(session: Session, auth: AuthSession) -> User:
    """The person a sign-in session belongs to."""
    user = session.get(User, auth.user_id)
    assert user is not None
    return user


def list_sessions(session: Session, user: User) -> list[AuthSession]:
    stmt = (
        select(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.expires_at > utcnow())
        .order_by(AuthSession.created_at.desc())
    )
    return list(session.scalars(stmt))


def end_session(
    session: Session, user: User, session_id: uuid.UUID, reason: str = "revoked"
) -> None:
    """Sign a device out (its push subscriptions go with it: the foreign key cascades)."""
    hold_account(session, user)
    token_hash = session.scalar(
        select(AuthSession.token_hash).where(
            AuthSession.id == session_id, AuthSession.user_id == user.id
        )
    )
    if token_hash is None:
        raise NotFound("No such session.")
    _remember_ended(session, user, [token_hash], reason)
    session.execute(delete(AuthSession).where(AuthSession.id == session_id))
    audit.record(session, user.id, "session_ended")


def check_password(
    session: Session,
    limiter: SignInLimiter,
    user: User,
    password: str,
    *,
    address: str,
    field: str,
    failed: audit.Action,
) -> None:
    """The person's password, asked again before a change or a deletion: throttled with the
    sign-in attempts of the account (a stolen session must not become a password oracle) and
    each wrong answer audited, like a failed sign-in."""
    limiter.hit(user.email, address)
    if not verify_password(user.password_hash, password):
        _record_in_own_transaction(session, user.id, failed, address=address)
        raise InvalidInput("The password is wrong.", field=field, rule="matches")
    limiter.succeeded(user.email, address)


def _check_strength(user: User, new: str, *, field: str) -> None:
    if len(new) < passwords.MIN_LENGTH:
        raise InvalidInput(
            f"needs at least {passwords.MIN_LENGTH} characters", field=field, rule="min_length"
        )
    refused = passwords.problem(new, passwords.context_words(user.email, user.display_name))
    if refused is not None:
        raise InvalidInput(refused[1], field=field, rule=refused[0])


def change_password(
    session: Session,
    limiter: SignInLimiter,
    user: User,
    current: str,
    new: str,
    *,
    keep_session: object | None,
    address: str,
) -> None:
    check_password(
        session,
        limiter,
        user,
        current,
        address=address,
        field="current_password",
        failed="password_change_failed",
    )
    _check_strength(user, new, field="new_password")
    new_hash = hash_password(new)  # the slow work before the lock: SQLite has one writer
    still_current(session, user, field="current_password")
    user.password_hash = new_hash
    audit.record(session, user.id, "password_changed")
    # A changed password must lock out whoever knew the old one, whatever they made with it.
    end_credentials(session, user, "password_changed", keep_session=keep_session)


def reset_password(session: Session, email: str, new: str) -> User:
    """The operator's reset (`fortify user reset-password`): ends every credential."""
    user = find_user(session, email)
    if user is None:
        raise NotFound("No account with this email.", field="email", rule="exists")
    hold_account(session, user)
    _check_strength(user, new, field="password")
    user.password_hash = hash_password(new)
    audit.record(session, user.id, "password_reset", via="command line")
    end_credentials(session, user, "password_changed")
    return user


def create_token(session: Session, user: User, data: TokenCreate) -> tuple[AccessToken, str]:
    hold_person(session, user.id)  # the count and the insert it allows, one request at a time
    live = select(func.count()).where(
        AccessToken.user_id == user.id,
        or_(AccessToken.expires_at.is_(None), AccessToken.expires_at > utcnow()),
    )
    limits.refuse_past(
        session.scalar(live) or 0,
        limits.MAX_ACCESS_TOKENS,
        "access tokens",
        "Revoke a token you no longer use (Settings, Access tokens), then make this one.",
    )
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
    """Revoke a token and what it made: the push subscriptions it registered go with it (the
    foreign key cascades). Calendar links cannot be made with a token (a signed-in device only)."""
    hold_account(session, user)
    token_hash = session.scalar(
        select(AccessToken.token_hash).where(
            AccessToken.id == token_id, AccessToken.user_id == user.id
        )
    )
    if token_hash is None:
        raise NotFound("No such token.")
    _remember_ended(session, user, [token_hash], "revoked")
    session.execute(delete(AccessToken).where(AccessToken.id == token_id))
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
    if changes:
        # Her lock first (or 401 if her account was deleted meanwhile), then her row: an ORM
        # UPDATE of a row deleted since sign-in fails as a 500 (F8).
        version = next_version(session, user.id)
        for field, value in changes.items():
            setattr(user, field, value)
        user.profile_version = version
        session.flush()
        session.expire(user, ["sync_version"])
    return user


def lock_changes(session: Session, user_id: uuid.UUID) -> None:
    """Take the person's write lock now, before reading anything a write will depend on.

    A no-op UPDATE of the user row: on PostgreSQL it holds the row lock that `next_version`
    would take later; on SQLite it opens the write transaction. Two sync pushes of one person
    therefore run one after the other, and the second sees everything the first committed.
    """
    locked = session.execute(
        update(User)
        .where(User.id == user_id, importlock.writable(session, user_id))
        .values(sync_version=User.sync_version)
    )
    if not locked.rowcount:  # type: ignore[attr-defined]
        importlock.refuse_if_held(session, user_id)
        raise account_gone()


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


def _record_in_own_transaction(
    session: Session, user_id: uuid.UUID, action: audit.Action, **detail: str
) -> None:
    """Kept even though the request fails: the rollback of the failed request must not erase
    the evidence, so it is written in its own short transaction."""
    bind = session.get_bind()
    with Session(bind) as own:
        audit.record(own, user_id, action, **detail)
        own.commit()


def live_credentials(
    session: Session,
    session_ids: Collection[uuid.UUID],
    token_ids: Collection[uuid.UUID],
    now: dt.datetime,
) -> set[uuid.UUID]:
    """Which of these signed-in sessions and access tokens are live at `now` (neither ended nor
    expired): what a push subscription registered by one of them needs to be sent to."""
    live: set[uuid.UUID] = set()
    if session_ids:
        live.update(
            session.scalars(
                select(AuthSession.id).where(
                    AuthSession.id.in_(list(session_ids)), AuthSession.expires_at > now
                )
            )
        )
    if token_ids:
        live.update(
            session.scalars(
                select(AccessToken.id).where(
                    AccessToken.id.in_(list(token_ids)),
                    or_(AccessToken.expires_at.is_(None), AccessToken.expires_at > now),
                )
            )
        )
    return live
