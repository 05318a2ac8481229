"""Web Push subscriptions: one row per (person, browser endpoint), ended with the credential
that registered it."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core import limits
from fortify.core.errors import NotFound
from fortify.reminders import schemas
from fortify.reminders.models import (
    PushSubscription,
)

# --- push subscriptions ----------------------------------------------------------------------


def subscribe(
    session: Session,
    user: User,
    data: schemas.PushSubscriptionCreate,
    now: dt.datetime,
    *,
    session_id: object | None = None,
    token_id: object | None = None,
) -> tuple[PushSubscription, bool]:
    """Store a browser's subscription; the same endpoint again updates it (returns created).

    A subscription belongs to the person who registered it and to the credential that did
    (`session_id` or `token_id`): signing that device out, or revoking the token, ends it, which
    is what stops a shared browser from getting the previous person's reminders. The same
    endpoint posted by someone else is their own row; a row never moves between people (that
    would let anyone silence another person's medicine reminders by posting her endpoint).

    Her lock first: the same endpoint posted twice at once is one row, the cap is counted with
    nothing of hers racing it, and a sign-out of this device (or a revocation of this token) that
    committed meanwhile is a 401, not a row naming the ended credential.
    """
    accounts.hold_person(session, user.id)
    accounts.require_live_device(session, session_id, token_id)
    sub = session.scalar(
        select(PushSubscription).where(
            PushSubscription.user_id == user.id, PushSubscription.endpoint == data.endpoint
        )
    )
    created = sub is None
    if sub is None:
        held = select(func.count()).where(PushSubscription.user_id == user.id)
        limits.refuse_past(
            session.scalar(held) or 0,
            limits.MAX_PUSH_SUBSCRIPTIONS,
            "devices getting reminders",
            "Turn reminders off on a device you no longer use (Settings, Reminders), then "
            "turn them on here.",
        )
        sub = PushSubscription(user_id=user.id, endpoint=data.endpoint, created_at=now)
        session.add(sub)
    sub.session_id = session_id if isinstance(session_id, uuid.UUID) else None
    sub.token_id = token_id if isinstance(token_id, uuid.UUID) else None
    sub.p256dh = data.keys.p256dh
    sub.auth = data.keys.auth
    sub.device_name = data.device_name
    sub.failures = 0
    session.flush()
    return sub, created


def list_subscriptions(session: Session, user: User) -> list[PushSubscription]:
    return list(
        session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == user.id)
            .order_by(PushSubscription.created_at)
        )
    )


def unsubscribe(session: Session, user: User, subscription_id: uuid.UUID) -> None:
    sub = session.get(PushSubscription, subscription_id)
    if sub is None or sub.user_id != user.id:
        raise NotFound("No push subscription with this id.")
    session.delete(sub)
    session.flush()
