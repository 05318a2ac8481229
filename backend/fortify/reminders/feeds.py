"""Calendar feeds: secret links to a person's reminders as iCalendar."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fortify.accounts import audit
from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core import limits
from fortify.core.db import utcnow
from fortify.core.errors import NotFound
from fortify.core.security import hash_token
from fortify.reminders.models import (
    CalendarFeed,
)

# --- calendar feeds --------------------------------------------------------------------------

FEED_PREFIX = "fcal_"


FEED_LIFETIME = dt.timedelta(days=365)


def create_feed(session: Session, user: User, name: str) -> tuple[CalendarFeed, str]:
    accounts.hold_person(session, user.id)  # the count and the insert it allows, one at a time
    now = utcnow()
    live = select(func.count()).where(
        CalendarFeed.user_id == user.id,
        CalendarFeed.revoked_at.is_(None),
        CalendarFeed.expires_at > now,
    )
    limits.refuse_past(
        session.scalar(live) or 0,
        limits.MAX_CALENDAR_LINKS,
        "calendar links",
        "Revoke a link no calendar uses any more (Settings, Calendar), then make this one.",
    )
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed(
        user_id=user.id,
        secret_hash=hash_token(secret),
        name=name,
        created_at=now,
        expires_at=now + FEED_LIFETIME,
    )
    session.add(feed)
    session.flush()
    # The link is a credential to the person's schedule, so it is logged like a token.
    audit.record(session, user.id, "calendar_link_created", name=name)
    return feed, secret


def list_feeds(session: Session, user: User) -> list[CalendarFeed]:
    return list(
        session.scalars(
            select(CalendarFeed)
            .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
            .order_by(CalendarFeed.created_at)
        )
    )


def renew_feed(session: Session, user: User, feed_id: uuid.UUID, now: dt.datetime) -> CalendarFeed:
    """Another year for a link (also one that expired: the same URL works again)."""
    feed = session.get(CalendarFeed, feed_id)
    if feed is None or feed.user_id != user.id or feed.revoked_at is not None:
        raise NotFound("No calendar feed with this id.")
    feed.expires_at = now + FEED_LIFETIME
    audit.record(session, user.id, "calendar_link_renewed", name=feed.name)
    session.flush()
    return feed


def revoke_all_feeds(session: Session, user: User, now: dt.datetime) -> None:
    """Every live link of the person stops working (a password change or reset)."""
    session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def revoke_feed(session: Session, user: User, feed_id: uuid.UUID, now: dt.datetime) -> None:
    feed = session.get(CalendarFeed, feed_id)
    if feed is None or feed.user_id != user.id or feed.revoked_at is not None:
        raise NotFound("No calendar feed with this id.")
    feed.revoked_at = now
    audit.record(session, user.id, "calendar_link_revoked", name=feed.name)
    session.flush()


def feed_owner(session: Session, secret: str, now: dt.datetime) -> User:
    """The person whose live feed this secret opens; NotFound for anything else."""
    feed = session.scalar(
        select(CalendarFeed).where(CalendarFeed.secret_hash == hash_token(secret))
    )
    if feed is None or feed.revoked_at is not None or feed.expires_at <= now:
        raise NotFound("No calendar feed at this address.")
    if feed.last_used_at is None or now - feed.last_used_at > dt.timedelta(minutes=10):
        feed.last_used_at = now
    user = accounts.get_person(session, feed.user_id)
    if user is None:  # deleted since the feed was read: the feed went with it
        raise NotFound("No calendar feed at this address.")
    return user
