"""Push subscriptions (reminders/subscriptions.py): a device's registration racing its own
sign-out (outside re-check N5). The request was let in while the device was signed in; by the
time it holds her lock the sign-out has committed. It must be the 401 an ended session gets,
and store nothing (a row naming the ended session broke its foreign key: a 500)."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from fortify.accounts.models import AuthSession, User
from fortify.core.clock import utcnow
from fortify.core.errors import Unauthorized
from fortify.reminders.models import PushSubscription
from fortify.reminders.schemas import PushSubscriptionCreate
from fortify.reminders.subscriptions import subscribe
from tests.factories import sign_up
from tests.reminders.push_peer import PushPeer


def _register(
    engine: Engine, user_id: uuid.UUID, body: PushSubscriptionCreate, **credential: uuid.UUID
) -> tuple[PushSubscription, bool]:
    """`subscribe` in a transaction of its own, as the request runs it once let in."""
    with Session(engine) as session, session.begin():
        user = session.get(User, user_id)
        assert user is not None
        sub, created = subscribe(session, user, body, utcnow(), **credential)
        session.expunge(sub)
        return sub, created


def _stored(engine: Engine, user_id: uuid.UUID) -> int | None:
    with Session(engine) as session:
        return session.scalar(select(func.count()).where(PushSubscription.user_id == user_id))


def _device(engine: Engine, user_id: uuid.UUID) -> uuid.UUID:
    """Her one signed-in device (the sign-up's)."""
    with Session(engine) as session:
        (device,) = session.scalars(select(AuthSession.id).where(AuthSession.user_id == user_id))
    return device


def test_a_registration_whose_device_signed_out_meanwhile_is_a_401_storing_nothing(
    client: TestClient, engine: Engine, peer: PushPeer
) -> None:
    person = sign_up(client)
    user_id = uuid.UUID(person.user_id)
    device = _device(engine, user_id)
    # The registration was authenticated as this device; its sign-out commits first.
    assert person.delete("/api/v1/sessions/current").status_code == 204
    body = PushSubscriptionCreate.model_validate(peer.subscribe().info())
    with pytest.raises(Unauthorized) as refused:
        _register(engine, user_id, body, session_id=device)
    assert refused.value.rule == "signed_out"
    assert _stored(engine, user_id) == 0


def test_a_registration_of_a_signed_in_device_names_it(
    client: TestClient, engine: Engine, peer: PushPeer
) -> None:
    """The same call with the device still signed in stores the row naming the device (so the
    refusal above is the sign-out's doing, not the call's)."""
    person = sign_up(client)
    user_id = uuid.UUID(person.user_id)
    device = _device(engine, user_id)
    body = PushSubscriptionCreate.model_validate(peer.subscribe().info())
    sub, created = _register(engine, user_id, body, session_id=device)
    assert created and sub.session_id == device


def test_a_registration_whose_token_was_revoked_meanwhile_is_a_401_storing_nothing(
    client: TestClient, engine: Engine, peer: PushPeer
) -> None:
    """The same race with an access token (an outside re-check: 1-3 of 10 registrations racing
    the token's revocation were a 500 on both databases)."""
    person = sign_up(client)
    made = person.post("/api/v1/tokens", {"name": "Shortcut", "scopes": ["read", "write"]})
    assert made.status_code == 201, made.text
    token_id = uuid.UUID(made.json()["id"])
    assert person.delete(f"/api/v1/tokens/{token_id}").status_code == 204
    body = PushSubscriptionCreate.model_validate(peer.subscribe().info())
    user_id = uuid.UUID(person.user_id)
    with pytest.raises(Unauthorized) as refused:
        _register(engine, user_id, body, token_id=token_id)
    assert refused.value.rule == "revoked"
    assert _stored(engine, user_id) == 0
