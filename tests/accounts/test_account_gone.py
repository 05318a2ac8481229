"""A write whose account is deleted after it signed in (an outside probe, F8).

The probe raced writes from one device against the deletion from another: some writes had
signed in before the deletion committed and wrote after it, and answered 500 (NoResultFound in
`take_versions`, an ORM UPDATE of the vanished user row). Here the race is staged, not hoped
for: the real authentication dependency signs the request in, then the account is deleted and
committed on a connection of its own, then the route runs. Every write must answer the 401 a
request signed in after the deletion gets (rule `account_deleted`), and leave no row behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from fortify.accounts import service as accounts
from fortify.accounts.deps import Principal, _bearer, get_principal
from fortify.accounts.models import User
from fortify.core.deps import SessionDep
from fortify.core.errors import Unauthorized
from fortify.portability import service as portability
from tests.factories import PASSWORD, Person, at, meal, regimen, sign_up
from tests.portability.test_deletion import _rows_naming


def _delete_account(engine: Engine, user_id: str) -> None:
    """The other device's deletion, committed on its own connection."""
    with Session(engine) as other:
        user = other.get(User, uuid.UUID(user_id))
        assert user is not None
        portability.delete_account(other, user, PASSWORD)
        other.commit()


def _deleted_after_sign_in(app: FastAPI, engine: Engine, person: Person) -> None:
    """From now on, each request of `person` is signed in by the real dependency and then
    finds its account deleted (once: the first request deletes it)."""

    def signed_in_then_deleted(
        request: Request,
        session: SessionDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        principal = get_principal(request, session, credentials)
        with Session(engine) as look:
            if look.get(User, uuid.UUID(person.user_id)) is None:
                return principal
        _delete_account(engine, person.user_id)
        return principal

    app.dependency_overrides[get_principal] = signed_in_then_deleted


def _push_one_meal(person: Person) -> Any:
    op = {
        "op_id": str(uuid.uuid4()),
        "entity": "meals",
        "id": str(uuid.uuid4()),
        "kind": "upsert",
        "fields": meal(),
    }
    return person.post("/api/v1/sync/push", json={"device_id": "phone", "operations": [op]})


WRITES: dict[str, Callable[[Person], Any]] = {
    "sync push": _push_one_meal,
    "POST /meals": lambda p: p.post("/api/v1/meals", json=meal()),
    "PATCH /profile": lambda p: p.patch("/api/v1/profile", json={"display_name": "zz"}),
    "POST /regimen": lambda p: p.post("/api/v1/regimen", json=regimen()),
    "POST /measurements": lambda p: p.post(
        "/api/v1/measurements", json={"measured_at": at(), "weight_kg": 61}
    ),
    "POST /reminders": lambda p: p.post(
        "/api/v1/reminders", json={"kind": "custom", "title": "Pill", "times": ["08:00"]}
    ),
    # No change number taken: met by the net in main.py (a foreign key, no row matched).
    "POST /tokens": lambda p: p.post("/api/v1/tokens", json={"name": "w", "scopes": ["write"]}),
    "POST /calendar-feeds": lambda p: p.post("/api/v1/calendar-feeds", json={}),
    "POST /password": lambda p: p.post(
        "/api/v1/password",
        json={"current_password": PASSWORD, "new_password": "violet kettle orbit"},
    ),
}


class TestWriteRacingDeletion:
    @pytest.mark.parametrize("write", list(WRITES))
    def test_a_write_signed_in_before_the_deletion_is_a_401_and_writes_nothing(
        self, app: FastAPI, client: TestClient, engine: Engine, write: str
    ) -> None:
        person = sign_up(client)
        _deleted_after_sign_in(app, engine, person)

        response = WRITES[write](person)

        assert response.status_code == 401, response.text
        assert response.headers["content-type"] == "application/problem+json"
        error = response.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("authorization", "account_deleted")
        assert _rows_naming(engine, person.user_id) == {}

    def test_an_existing_record_changed_after_the_deletion_is_a_401(
        self, app: FastAPI, client: TestClient, engine: Engine
    ) -> None:
        person = sign_up(client)
        created = person.post("/api/v1/meals", json=meal())
        assert created.status_code == 201
        _deleted_after_sign_in(app, engine, person)

        response = person.put(f"/api/v1/meals/{created.json()['id']}", json=meal(name="Later"))

        assert response.status_code == 401, response.text
        assert response.json()["errors"][0]["rule"] == "account_deleted"
        assert _rows_naming(engine, person.user_id) == {}

    def test_the_same_answer_as_a_request_signed_in_after_the_deletion(
        self, app: FastAPI, client: TestClient, engine: Engine
    ) -> None:
        person = sign_up(client)
        _deleted_after_sign_in(app, engine, person)
        racing = person.post("/api/v1/meals", json=meal())
        app.dependency_overrides.clear()

        after = person.post("/api/v1/meals", json=meal())

        assert racing.status_code == after.status_code == 401
        assert racing.json()["errors"] == after.json()["errors"]


class TestChangeNumbersOfAVanishedPerson:
    """The services, called with a person whose account is gone (an import, the demo)."""

    def test_taking_change_numbers_is_the_401(self, client: TestClient, engine: Engine) -> None:
        person = sign_up(client)
        _delete_account(engine, person.user_id)
        with Session(engine) as session:
            for take in (
                lambda: accounts.take_versions(session, uuid.UUID(person.user_id), 5),
                lambda: accounts.next_version(session, uuid.UUID(person.user_id)),
                lambda: accounts.lock_changes(session, uuid.UUID(person.user_id)),
            ):
                with pytest.raises(Unauthorized) as raised:
                    take()
                assert raised.value.rule == "account_deleted"
                session.rollback()


def _oat_bake(person: Person) -> str:
    food = {"name": "Oat bake", "nutrients_per_100g": {"calcium_mg": 120}}
    made = person.post("/api/v1/foods/custom", json=food)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _meal_of(food_id: str) -> dict[str, Any]:
    item = {"food_id": food_id, "food_name": "Oat bake", "grams": 100, "nutrients": {}}
    return meal() | {"items": [item]}


#: Requests whose answer, for a person deleted after they signed in, was not the 401: each
#: names something that went with the account (a 404, a 422), or read an account no longer
#: there (a 200 with an empty export, an empty FHIR body). `made` is what exists before.
ANSWERS: dict[str, tuple[Callable[[Person], Any], Callable[[Person, Any], Any]]] = {
    "a reminder of hers (404)": (
        lambda p: p.post(
            "/api/v1/reminders", json={"kind": "custom", "title": "Pill", "times": ["08:00"]}
        ).json()["id"],
        lambda p, made: p.patch(f"/api/v1/reminders/{made}", json={"title": "Later"}),
    ),
    "a conflict of hers (404)": (
        lambda p: str(uuid.uuid4()),
        lambda p, made: p.post(f"/api/v1/sync/conflicts/{made}/dismiss"),
    ),
    "a meal of her own food (422)": (
        _oat_bake,
        lambda p, made: p.post("/api/v1/meals", json=_meal_of(made)),
    ),
    "her own food (404)": (
        _oat_bake,
        lambda p, made: p.get(f"/api/v1/foods/custom/{made}"),
    ),
    "the JSON export": (lambda p: None, lambda p, made: p.get("/api/v1/export")),
    "the CSV export": (lambda p: None, lambda p, made: p.get("/api/v1/export/csv")),
    "the FHIR export": (lambda p: None, lambda p, made: p.get("/api/v1/export/fhir")),
}


class TestEveryAnswerForAGoneAccount:
    """One answer for a person deleted mid-request, whatever the route: the 401 (main.py,
    `_install_account_gone_handler`), never a refusal that blames the request for naming what
    went with her account, nor an empty export."""

    @pytest.mark.parametrize("case", list(ANSWERS))
    def test_is_the_401_account_deleted(
        self, app: FastAPI, client: TestClient, engine: Engine, case: str
    ) -> None:
        make, ask = ANSWERS[case]
        person = sign_up(client)
        made = make(person)
        _deleted_after_sign_in(app, engine, person)

        response = ask(person, made)

        assert response.status_code == 401, response.text
        assert response.headers["content-type"] == "application/problem+json"
        error = response.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("authorization", "account_deleted")

    def test_the_same_refusals_stand_for_a_person_still_there(self, client: TestClient) -> None:
        person = sign_up(client)
        missing = str(uuid.uuid4())
        assert person.post(f"/api/v1/sync/conflicts/{missing}/dismiss").status_code == 404
        assert person.post("/api/v1/meals", json=_meal_of(missing)).status_code == 422
