"""A demo person with 90 days of history, signed in through the API."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fortify.core.db import session_scope
from fortify.demo.service import create_demo_person
from tests.factories import PASSWORD, Person

DAYS = 90


def demo_person(
    app: FastAPI, client: TestClient, days: int = DAYS, seed: int = 7, **profile: object
) -> Person:
    """A person with `days` days of generated history ending yesterday, signed in."""
    email = f"demo-{uuid.uuid4().hex[:8]}@example.com"
    today = dt.date.today() - dt.timedelta(days=1)
    for session in session_scope(app.state.session_factory):
        user, _counts = create_demo_person(
            session, email=email, password=PASSWORD, days=days, today=today, seed=seed
        )
        for name, value in profile.items():
            setattr(user, name, value)
        user_id = str(user.id)
    signed_in = client.post(
        "/api/v1/sessions", json={"email": email, "password": PASSWORD, "device_name": "test"}
    )
    assert signed_in.status_code == 201, signed_in.text
    return Person(client, email, signed_in.json()["token"], user_id)


@pytest.fixture
def demo(app: FastAPI, client: TestClient) -> Person:
    return demo_person(app, client)
