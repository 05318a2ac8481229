"""The account lifecycle: sign-up by emailed link, forgotten passwords, and every credential
ending with the event that should end it (issue 13 §2, issue 14 §1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from fortify.accounts.models import AuditEvent, EmailLink, User
from fortify.core.config import Settings
from fortify.main import create_app
from fortify.reminders.models import CalendarFeed
from tests.conftest import clear_tables
from tests.factories import PASSWORD, Outbox, Person, sign_up
from tests.reminders.push_peer import browser_keys

NEW_PASSWORD = "violet kettle orbit"
SUBSCRIPTION = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/abc123",
    "keys": browser_keys(),
}


def outbox(client: TestClient) -> Outbox:
    return client.app.state.mailer  # type: ignore[attr-defined,no-any-return]


def ask(client: TestClient, email: str, password: str = PASSWORD, name: str = "Pat") -> Any:
    return client.post(
        "/api/v1/accounts", json={"email": email, "password": password, "display_name": name}
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/api/v1/sessions", json={"email": email, "password": password})


def comparable(response: Any) -> tuple[int, Any, dict[str, str]]:
    """What an outsider can read of an answer, less what differs on every request."""
    headers = {
        k: v for k, v in response.headers.items() if k not in ("x-request-id", "date", "server")
    }
    return response.status_code, response.json(), headers


def pat(person: Person, *scopes: str) -> str:
    created = person.post("/api/v1/tokens", {"name": "script", "scopes": list(scopes)})
    assert created.status_code == 201, created.text
    return str(created.json()["token"])


def calendar_link(person: Person) -> str:
    created = person.post("/api/v1/calendar-feeds", {"name": "Phone"})
    assert created.status_code == 201, created.text
    url: str = created.json()["url"]
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def limited(settings: Settings, engine: Engine) -> Iterator[FastAPI]:
    """An app with small sign-up limits: 3 an hour per address, 5 a minute for everybody,
    2 mails an hour per recipient."""
    small = settings.model_copy(
        update={
            "sign_ups_per_hour_per_address": 3,
            "sign_ups_per_minute": 5,
            "emails_per_hour_per_recipient": 2,
        }
    )
    application = create_app(small, engine)
    application.state.mailer = Outbox()
    yield application
    clear_tables(engine)


class TestSignUp:
    def test_the_link_creates_the_account_and_signs_the_device_in(self, client: TestClient) -> None:
        asked = ask(client, "ann@example.com")
        assert asked.status_code == 202
        assert asked.json()["status"] == "check_your_inbox"
        # Nothing exists before the link is opened: the password does not sign in yet.
        assert sign_in(client, "ann@example.com").status_code == 401
        [mail] = outbox(client).to("ann@example.com")
        assert "confirm" in mail.subject.lower()
        verified = client.post(
            "/api/v1/accounts/verify",
            json={
                "token": outbox(client).link("ann@example.com"),
                "password": PASSWORD,
                "device_name": "Pixel",
            },
        )
        assert verified.status_code == 201, verified.text
        session = verified.json()
        assert session["device_name"] == "Pixel"
        profile = client.get("/api/v1/profile", headers=bearer(session["token"]))
        assert profile.json()["email"] == "ann@example.com"
        assert sign_in(client, "ann@example.com").status_code == 201

    def test_answers_a_registered_email_exactly_as_a_new_one(self, client: TestClient) -> None:
        sign_up(client, "ann@example.com")
        registered = ask(client, "ann@example.com", "another good phrase", "Mallory")
        new = ask(client, "nobody@example.com", "another good phrase", "Mallory")
        assert comparable(registered) == comparable(new)
        assert registered.status_code == 202

    def test_a_registered_email_is_told_someone_tried_and_offered_a_reset(
        self, client: TestClient
    ) -> None:
        person = sign_up(client, "ann@example.com")
        ask(client, "ann@example.com", "another good phrase", "Mallory")
        mail = outbox(client).to("ann@example.com")[-1]
        assert "tried to create" in mail.subject
        assert "/signin" in mail.text
        token = outbox(client).link("ann@example.com", "reset")
        # Nothing changed: her password still works, Mallory's does not.
        assert sign_in(client, person.email).status_code == 201
        assert sign_in(client, person.email, "another good phrase").status_code == 401
        reset = client.post(
            "/api/v1/password/reset", json={"token": token, "new_password": NEW_PASSWORD}
        )
        assert reset.status_code == 201

    def test_an_unconfirmed_sign_up_and_a_wrong_password_read_the_same(
        self, client: TestClient
    ) -> None:
        sign_up(client, "ann@example.com")
        ask(client, "bob@example.com")
        wrong = sign_in(client, "ann@example.com", "not her password")
        unconfirmed = sign_in(client, "bob@example.com")
        assert wrong.json()["detail"] == unconfirmed.json()["detail"]
        assert wrong.status_code == unconfirmed.status_code == 401

    def test_a_link_works_once(self, client: TestClient) -> None:
        ask(client, "ann@example.com")
        body = {"token": outbox(client).link("ann@example.com"), "password": PASSWORD}
        assert client.post("/api/v1/accounts/verify", json=body).status_code == 201
        again = client.post("/api/v1/accounts/verify", json=body)
        assert again.status_code == 422
        assert again.json()["errors"][0]["field"] == "token"

    def test_the_page_checks_the_link_as_it_opens_without_its_password(
        self, client: TestClient, engine: Engine
    ) -> None:
        check = "/api/v1/accounts/verify/check"
        ask(client, "ann@example.com")
        first = outbox(client).link("ann@example.com")
        assert client.post(check, json={"token": first}).status_code == 204
        assert client.post(check, json={"token": first}).status_code == 204  # nothing used up
        # A newer sign-up of the address voids the older link; a reset link is no sign-up link.
        ask(client, "ann@example.com")
        newest = outbox(client).link("ann@example.com")
        sign_up(client, "bob@example.com")
        client.post("/api/v1/password/forgot", json={"email": "bob@example.com"})
        reset = outbox(client).link("bob@example.com", "reset")
        for dead in (first, reset, "x" * 43):
            refused = client.post(check, json={"token": dead})
            assert refused.status_code == 422
            assert refused.json()["errors"][0]["field"] == "token"
            assert refused.json()["errors"][0]["rule"] == "valid_link"
        # The same answer for a link that never existed as for a replaced one: nothing about
        # the address or its account is told.
        never = client.post(check, json={"token": "y" * 43}).json()
        replaced = client.post(check, json={"token": first}).json()
        assert never == replaced
        assert client.post(check, json={"token": newest}).status_code == 204
        assert verify(client, newest).status_code == 201
        assert client.post(check, json={"token": newest}).status_code == 422  # used

    def test_a_link_expires(self, client: TestClient, engine: Engine) -> None:
        ask(client, "ann@example.com")
        with engine.begin() as connection:
            connection.execute(
                update(EmailLink).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(1))
            )
        body = {"token": outbox(client).link("ann@example.com"), "password": PASSWORD}
        assert client.post("/api/v1/accounts/verify", json=body).status_code == 422

    def test_is_limited_per_client_address(self, limited: FastAPI) -> None:
        with TestClient(limited, client=("203.0.113.7", 5000)) as client:
            answers = [ask(client, f"p{i}@example.com").status_code for i in range(4)]
        assert answers == [202, 202, 202, 429]
        with TestClient(limited, client=("203.0.113.8", 5000)) as other:
            assert ask(other, "q@example.com").status_code == 202

    def test_is_limited_for_everybody(self, limited: FastAPI) -> None:
        answers = []
        for i in range(7):
            with TestClient(limited, client=(f"198.51.100.{i}", 5000)) as client:
                answers.append(ask(client, f"p{i}@example.com").status_code)
        assert answers[:5] == [202] * 5
        assert answers[5:] == [429, 429]

    def test_mails_to_one_address_are_capped_without_a_different_answer(
        self, limited: FastAPI
    ) -> None:
        for i in range(3):
            with TestClient(limited, client=(f"192.0.2.{i}", 5000)) as client:
                assert ask(client, "ann@example.com").status_code == 202
        assert len(limited.state.mailer.to("ann@example.com")) == 2


ATTACKER_PASSWORD = "attacker chosen phrase"


def verify(client: TestClient, token: str, password: str = PASSWORD) -> Any:
    return client.post("/api/v1/accounts/verify", json={"token": token, "password": password})


class TestSignUpPreHijacking:
    """Anyone can sign up with any address, choosing the password: the account is only ever
    created with a password the person opening the link knows (an outside probe, F00)."""

    def test_a_link_opened_with_another_password_is_refused_and_creates_nothing(
        self, client: TestClient, engine: Engine
    ) -> None:
        # Mallory signs up with Ann's address; Ann signs up too, then opens Mallory's mail.
        ask(client, "ann@example.com", ATTACKER_PASSWORD, "Ann")
        attackers = outbox(client).link("ann@example.com")
        ask(client, "ann@example.com", PASSWORD, "Ann")
        refused = verify(client, attackers, PASSWORD)
        assert refused.status_code == 422
        # Her newer sign-up voided his link; his password would be refused on it anyway.
        assert refused.json()["errors"][0]["field"] == "token"
        with engine.connect() as connection:
            assert connection.scalar(select(User.id)) is None
        assert sign_in(client, "ann@example.com", ATTACKER_PASSWORD).status_code == 401
        # Her own link makes her account, with her password.
        assert verify(client, outbox(client).link("ann@example.com")).status_code == 201
        assert sign_in(client, "ann@example.com", ATTACKER_PASSWORD).status_code == 401
        assert sign_in(client, "ann@example.com").status_code == 201

    def test_an_unsolicited_link_opened_with_her_password_is_refused_in_words(
        self, client: TestClient, engine: Engine
    ) -> None:
        ask(client, "ann@example.com", ATTACKER_PASSWORD, "Ann")
        refused = verify(client, outbox(client).link("ann@example.com"), PASSWORD)
        assert refused.status_code == 422
        assert refused.json()["errors"][0] == {
            "field": "password",
            "rule": "matches",
            "detail": "This isn't the password chosen when this sign-up was made. If you didn't "
            "sign up, ignore the mail; otherwise sign up again.",
        }
        with engine.connect() as connection:
            assert connection.scalar(select(User.id)) is None

    def test_a_wrong_password_leaves_the_link_working(self, client: TestClient) -> None:
        ask(client, "ann@example.com")
        token = outbox(client).link("ann@example.com")
        assert verify(client, token, "a typo in it").status_code == 422
        assert verify(client, token).status_code == 201

    def test_a_password_is_required(self, client: TestClient) -> None:
        ask(client, "ann@example.com")
        token = outbox(client).link("ann@example.com")
        missing = client.post("/api/v1/accounts/verify", json={"token": token})
        assert missing.status_code == 422
        assert missing.json()["errors"][0]["field"] == "password"

    def test_a_newer_sign_up_voids_the_older_link(self, client: TestClient) -> None:
        ask(client, "ann@example.com")
        older = outbox(client).link("ann@example.com")
        ask(client, "ann@example.com")
        void = verify(client, older)
        assert void.status_code == 422
        assert void.json()["errors"][0]["field"] == "token"
        assert verify(client, outbox(client).link("ann@example.com")).status_code == 201

    def test_wrong_passwords_count_against_the_sign_in_attempts(
        self, client: TestClient, settings: Settings
    ) -> None:
        ask(client, "ann@example.com")
        token = outbox(client).link("ann@example.com")
        answers = [
            verify(client, token, f"guess number {i}").status_code
            for i in range(settings.sign_in_attempts_per_minute + 1)
        ]
        assert answers[-1] == 429
        assert set(answers[:-1]) == {422}
        assert sign_in(client, "ann@example.com").status_code == 429

    def test_a_wrong_password_is_logged_for_the_operator(
        self, client: TestClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        ask(client, "ann@example.com")
        with caplog.at_level("WARNING", logger="fortify.accounts"):
            verify(client, outbox(client).link("ann@example.com"), "a typo in it")
        assert [r.getMessage() for r in caplog.records if r.name == "fortify.accounts"] == [
            "sign_up_password_failed"
        ]


class TestForgottenPassword:
    def test_too_many_requests_say_how_long_to_wait_in_the_header_and_in_words(
        self, limited: FastAPI
    ) -> None:
        with TestClient(limited, client=("203.0.113.9", 5000)) as client:
            answers = [
                client.post("/api/v1/password/forgot", json={"email": f"p{i}@example.com"})
                for i in range(4)
            ]
        assert [a.status_code for a in answers] == [202, 202, 202, 429]
        refused = answers[-1]
        wait_seconds = int(refused.headers["retry-after"])
        assert 3500 < wait_seconds <= 3600  # the address's hourly window
        # The words the app shows: rounded up, so waiting as long as it says is enough.
        assert refused.json()["detail"].endswith("Try again in 1 hour.")
        assert refused.json()["errors"][0]["detail"] == refused.json()["detail"]

    def test_answers_the_same_for_a_registered_and_an_unknown_email(
        self, client: TestClient
    ) -> None:
        sign_up(client, "ann@example.com")
        known = client.post("/api/v1/password/forgot", json={"email": "ann@example.com"})
        unknown = client.post("/api/v1/password/forgot", json={"email": "who@example.com"})
        assert comparable(known) == comparable(unknown)
        assert known.status_code == 202
        assert len(outbox(client).to("ann@example.com")) == 2  # verification, then reset
        assert outbox(client).to("who@example.com") == []

    def test_the_link_sets_the_password_and_ends_every_credential(self, client: TestClient) -> None:
        person = sign_up(client, "ann@example.com")
        token = pat(person, "read", "write")
        feed = calendar_link(person)
        assert client.get(feed).status_code == 200
        client.post("/api/v1/password/forgot", json={"email": "ANN@example.com"})
        link = outbox(client).link("ann@example.com", "reset")
        reset = client.post(
            "/api/v1/password/reset",
            json={"token": link, "new_password": NEW_PASSWORD, "device_name": "Laptop"},
        )
        assert reset.status_code == 201, reset.text
        assert client.get("/api/v1/profile", headers=bearer(reset.json()["token"])).is_success
        assert person.get("/api/v1/profile").status_code == 401
        assert client.get("/api/v1/meals", headers=bearer(token)).status_code == 401
        assert client.get(feed).status_code == 404
        assert sign_in(client, person.email).status_code == 401
        assert sign_in(client, person.email, NEW_PASSWORD).status_code == 201

    def test_the_link_works_once_and_for_an_hour(self, client: TestClient, engine: Engine) -> None:
        sign_up(client, "ann@example.com")
        client.post("/api/v1/password/forgot", json={"email": "ann@example.com"})
        link = outbox(client).link("ann@example.com", "reset")
        body = {"token": link, "new_password": NEW_PASSWORD}
        assert client.post("/api/v1/password/reset", json=body).status_code == 201
        assert client.post("/api/v1/password/reset", json=body).status_code == 422
        client.post("/api/v1/password/forgot", json={"email": "ann@example.com"})
        with engine.connect() as connection:
            link_row = connection.execute(
                select(EmailLink.created_at, EmailLink.expires_at).where(
                    EmailLink.purpose == "reset", EmailLink.used_at.is_(None)
                )
            ).one()
        assert link_row.expires_at - link_row.created_at == dt.timedelta(hours=1)
        with engine.begin() as connection:
            connection.execute(
                update(EmailLink).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(1))
            )
        late = {"token": outbox(client).link("ann@example.com", "reset"), "new_password": "x" * 12}
        assert client.post("/api/v1/password/reset", json=late).status_code == 422

    def test_the_page_checks_the_link_as_it_opens_without_using_it(
        self, client: TestClient, engine: Engine
    ) -> None:
        sign_up(client, "ann@example.com")
        # A sign-up link is not a reset link.
        verify = outbox(client).link("ann@example.com", "verify")
        client.post("/api/v1/password/forgot", json={"email": "ann@example.com"})
        link = outbox(client).link("ann@example.com", "reset")
        check = "/api/v1/password/reset/check"
        assert client.post(check, json={"token": link}).status_code == 204
        assert client.post(check, json={"token": link}).status_code == 204  # nothing used up
        for bad in (verify, "x" * 43):
            refused = client.post(check, json={"token": bad})
            assert refused.status_code == 422
            assert refused.json()["errors"][0] == {
                "field": "token",
                "rule": "valid_link",
                "detail": "This link has expired or was used already. Ask for a new one.",
            }
        body = {"token": link, "new_password": NEW_PASSWORD}
        assert client.post("/api/v1/password/reset", json=body).status_code == 201
        assert client.post(check, json={"token": link}).status_code == 422  # used
        client.post("/api/v1/password/forgot", json={"email": "ann@example.com"})
        late = outbox(client).link("ann@example.com", "reset")
        with engine.begin() as connection:
            connection.execute(
                update(EmailLink).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(1))
            )
        assert client.post(check, json={"token": late}).status_code == 422  # expired

    def test_a_weak_new_password_is_refused_and_the_link_stays_usable(
        self, client: TestClient
    ) -> None:
        sign_up(client, "ann@example.com")
        client.post("/api/v1/password/forgot", json={"email": "ann@example.com"})
        link = outbox(client).link("ann@example.com", "reset")
        weak = client.post(
            "/api/v1/password/reset", json={"token": link, "new_password": "ann@example.com"}
        )
        assert weak.status_code == 422
        assert weak.json()["errors"][0]["rule"] == "strength"
        ok = client.post(
            "/api/v1/password/reset", json={"token": link, "new_password": NEW_PASSWORD}
        )
        assert ok.status_code == 201


class TestCredentialsEndWithThePassword:
    def test_a_change_ends_other_sessions_tokens_and_calendar_links_not_this_device(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        other = sign_in(client, person.email).json()["token"]
        token = pat(person, "read")
        feed = calendar_link(person)
        changed = person.post(
            "/api/v1/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert changed.status_code == 204
        assert person.get("/api/v1/profile").status_code == 200
        assert client.get("/api/v1/profile", headers=bearer(other)).status_code == 401
        assert client.get("/api/v1/meals", headers=bearer(token)).status_code == 401
        assert client.get(feed).status_code == 404

    def test_an_operator_reset_ends_tokens_and_calendar_links(
        self, client: TestClient, app: FastAPI
    ) -> None:
        from fortify.accounts import service
        from fortify.core.db import session_scope

        person = sign_up(client)
        token = pat(person, "read")
        feed = calendar_link(person)
        for session in session_scope(app.state.session_factory):
            service.reset_password(session, person.email, NEW_PASSWORD)
        assert person.get("/api/v1/profile").status_code == 401
        assert client.get("/api/v1/meals", headers=bearer(token)).status_code == 401
        assert client.get(feed).status_code == 404


class TestEndedSessionsSayWhy:
    def reason(self, response: Any) -> str:
        assert response.status_code == 401
        return str(response.json()["errors"][0]["rule"])

    def test_each_way_a_session_ends_is_named(self, client: TestClient) -> None:
        person = sign_up(client)
        phone = sign_in(client, person.email).json()
        laptop = sign_in(client, person.email).json()["token"]
        person.delete(f"/api/v1/sessions/{phone['id']}")
        assert self.reason(client.get("/api/v1/meals", headers=bearer(phone["token"]))) == (
            "revoked"
        )
        person.post(
            "/api/v1/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert self.reason(client.get("/api/v1/meals", headers=bearer(laptop))) == (
            "password_changed"
        )
        person.delete("/api/v1/sessions/current")
        assert self.reason(person.get("/api/v1/meals")) == "signed_out"

    def test_the_frequent_answers_end_with_the_session_at_once(self, client: TestClient) -> None:
        # The pull with nothing new and the unchanged day report are answered from the light
        # sign-in (accounts.deps.get_person) and the report cache: an ended session must still
        # get nothing from them, the very next request, even with a current cursor and tag.
        person = sign_up(client)
        laptop = bearer(sign_in(client, person.email).json()["token"])
        cursor = client.get("/api/v1/sync/pull", headers=laptop).json()["cursor"]
        day = "/api/v1/days/2026-01-05"
        tag = client.get(day, headers=laptop).headers["etag"]
        pull = f"/api/v1/sync/pull?cursor={cursor}"
        assert client.get(pull, headers=laptop).json()["changes"] == []
        assert client.get(day, headers=laptop | {"If-None-Match": tag}).status_code == 304
        person.post(
            "/api/v1/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert self.reason(client.get(pull, headers=laptop)) == "password_changed"
        assert self.reason(client.get(day, headers=laptop)) == "password_changed"
        assert self.reason(client.get(day, headers=laptop | {"If-None-Match": tag})) == (
            "password_changed"
        )

    def test_a_write_only_token_reads_neither_the_feed_nor_a_report(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        writer = bearer(pat(person, "write"))
        for path in ("/api/v1/sync/pull", "/api/v1/days/2026-01-05"):
            refused = client.get(path, headers=writer)
            assert refused.status_code == 403, path
            assert refused.json()["errors"][0]["rule"] == "read"
        revoked = bearer(pat(person, "read"))
        assert client.get("/api/v1/sync/pull", headers=revoked).status_code == 200
        tokens = person.get("/api/v1/tokens").json()
        token_id = next(t["id"] for t in tokens if t["scopes"] == ["read"])
        assert person.delete(f"/api/v1/tokens/{token_id}").status_code == 204
        assert client.get("/api/v1/sync/pull", headers=revoked).status_code == 401

    def test_after_deletion_her_other_devices_learn_the_account_is_gone(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        phone = sign_in(client, person.email).json()["token"]
        assert person.post("/api/v1/account/delete", {"password": PASSWORD}).status_code == 204
        assert self.reason(client.get("/api/v1/sync/pull", headers=bearer(phone))) == (
            "account_deleted"
        )

    def test_a_phone_signed_out_earlier_learns_the_account_is_gone(
        self, client: TestClient, engine: Engine
    ) -> None:
        """Issue #14: her password changed on phone B, phone A still holds her data under
        'Please sign in again'; she then deletes the account on B. A must hear it is deleted."""
        from fortify.accounts.models import EndedCredential

        person = sign_up(client)
        phone_a = sign_in(client, person.email).json()["token"]
        revoked = sign_in(client, person.email).json()
        token = person.post("/api/v1/tokens", json={"name": "Shortcut", "scopes": ["read"]})
        person.delete(f"/api/v1/sessions/{revoked['id']}")
        person.post(
            "/api/v1/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert self.reason(client.get("/api/v1/meals", headers=bearer(phone_a))) == (
            "password_changed"
        )
        assert self.reason(client.get("/api/v1/meals", headers=bearer(revoked["token"]))) == (
            "revoked"
        )
        deleted = person.post("/api/v1/account/delete", {"password": NEW_PASSWORD})
        assert deleted.status_code == 204
        for gone in (phone_a, revoked["token"], token.json()["token"], person.token):
            assert self.reason(client.get("/api/v1/sync/pull", headers=bearer(gone))) == (
                "account_deleted"
            )
        # What outlives the account names no one: hashes, reasons and times.
        with engine.connect() as connection:
            rows = connection.execute(select(EndedCredential.user_id)).scalars().all()
        assert len(rows) == 4
        assert set(rows) == {None}

    def test_an_expired_session_says_so(self, client: TestClient, engine: Engine) -> None:
        from fortify.accounts.models import AuthSession

        person = sign_up(client)
        with engine.begin() as connection:
            connection.execute(
                update(AuthSession).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(1))
            )
        assert self.reason(person.get("/api/v1/meals")) == "expired"


class TestTokensEndWhatTheyMade:
    def test_revoking_a_token_ends_the_push_subscriptions_it_registered(
        self, client: TestClient
    ) -> None:
        person = sign_up(client)
        created = person.post("/api/v1/tokens", {"name": "s", "scopes": ["read", "write"]}).json()
        made = client.post(
            "/api/v1/push/subscriptions", headers=bearer(created["token"]), json=SUBSCRIPTION
        )
        assert made.status_code == 201, made.text
        assert len(person.get("/api/v1/push/subscriptions").json()) == 1
        assert person.delete(f"/api/v1/tokens/{created['id']}").status_code == 204
        assert person.get("/api/v1/push/subscriptions").json() == []
        gone = client.get("/api/v1/meals", headers=bearer(created["token"]))
        assert gone.json()["errors"][0]["rule"] == "revoked"
        # Said of the token, not of a device (an outside probe, session 10).
        assert gone.json()["detail"] == (
            "This access token was revoked. Make a new access token to go on."
        )


class TestCalendarLinks:
    def test_a_token_cannot_make_one(self, client: TestClient) -> None:
        person = sign_up(client)
        token = pat(person, "read", "write")
        made = client.post("/api/v1/calendar-feeds", headers=bearer(token), json={"name": "x"})
        assert made.status_code == 403

    def test_a_link_lives_a_year_unless_renewed(self, client: TestClient, engine: Engine) -> None:
        person = sign_up(client)
        feed = calendar_link(person)
        [listed] = person.get("/api/v1/calendar-feeds").json()
        created = dt.datetime.fromisoformat(listed["created_at"])
        expires = dt.datetime.fromisoformat(listed["expires_at"])
        assert expires - created == dt.timedelta(days=365)
        with engine.begin() as connection:
            connection.execute(
                update(CalendarFeed).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(1))
            )
        assert client.get(feed).status_code == 404
        renewed = person.post(f"/api/v1/calendar-feeds/{listed['id']}/renew")
        assert renewed.status_code == 200
        assert client.get(feed).status_code == 200


class TestPasswordChecksAreThrottledAndAudited:
    @pytest.mark.parametrize(
        ("path", "field", "action"),
        [
            ("/api/v1/password", "current_password", "password_change_failed"),
            ("/api/v1/account/delete", "password", "account_deletion_failed"),
        ],
    )
    def test_wrong_passwords_meet_a_429_and_each_is_audited(
        self, client: TestClient, engine: Engine, path: str, field: str, action: str
    ) -> None:
        # Opening the link with her password was an attempt too, a right one: not counted.
        person = sign_up(client)
        extra = {"new_password": NEW_PASSWORD} if field == "current_password" else {}
        answers = [
            person.post(path, {field: "not my password"} | extra).status_code for _ in range(12)
        ]
        assert answers[:10] == [422] * 10
        assert answers[10:] == [429, 429]
        with engine.connect() as connection:
            failed = connection.scalars(
                select(AuditEvent.action).where(AuditEvent.action == action)
            ).all()
        assert len(failed) == 10
        # The right password is throttled too while the window is full: no oracle.
        assert person.post(path, {field: PASSWORD} | extra).status_code == 429


class TestWeakPasswords:
    @pytest.mark.parametrize(
        "password",
        ["aaaaaaaaaa", "0000000000", "fortify2026", "ann.lee@example.com", "Ann Leeworth"],
    )
    def test_sign_up_refuses_them_by_strength_with_her_words_as_context(
        self, client: TestClient, password: str
    ) -> None:
        refused = ask(client, "ann.lee@example.com", password, "Ann Leeworth")
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        [error] = refused.json()["errors"]
        assert error["field"] == "password"
        assert error["rule"] in ("strength", "not_common")
        assert "guess" in error["detail"]

    def test_a_change_refuses_her_own_name(self, client: TestClient) -> None:
        person = sign_up(client)
        refused = person.post(
            "/api/v1/password", {"current_password": PASSWORD, "new_password": person.email}
        )
        assert refused.status_code == 422
        assert refused.json()["errors"][0] == {
            "field": "new_password",
            "rule": "strength",
            "detail": refused.json()["errors"][0]["detail"],
        }


class TestLookAlikeEmails:
    def test_case_and_width_variants_are_one_account(self, client: TestClient) -> None:
        sign_up(client, "alice@example.com")
        assert ask(client, "ＡＬＩＣＥ@example.com").status_code == 202  # noqa: RUF001
        assert len(outbox(client).to("alice@example.com")) == 2  # "someone tried"
        assert sign_in(client, "Alice@Example.COM").status_code == 201

    @pytest.mark.parametrize(
        ("email", "reason"),
        [
            ("аlice@example.com", "alphabets"),  # noqa: RUF001
            ("alice@exаmple.com", "alphabets"),  # noqa: RUF001  (a Cyrillic letter in the domain)
            ("ALİCE@example.com", "accent"),
        ],
    )
    def test_mixed_scripts_are_refused_with_a_reason(
        self, client: TestClient, email: str, reason: str
    ) -> None:
        refused = ask(client, email)
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "email"
        assert refused.json()["errors"][0]["rule"] == "single_script"
        assert reason in refused.json()["errors"][0]["detail"]

    @pytest.mark.parametrize("email", ["josé@example.com", "иван@example.com", "иван@пример.com"])
    def test_one_script_names_are_welcome(self, client: TestClient, email: str) -> None:
        assert ask(client, email).status_code == 202

    def test_the_migration_normalises_as_the_app_does(self) -> None:
        import importlib

        from fortify.accounts import emails

        migration = importlib.import_module(
            "migrations.versions.20261202_193e9ac98619_account_lifecycle"
        )
        for email in ["Alice@Example.com", "ＡＬＩＣＥ@example.com", "STRASSE@x.de"]:  # noqa: RUF001
            assert migration._normalise(email) == emails.normalise(email)


def test_stored_users_have_normalised_emails(client: TestClient, engine: Engine) -> None:
    sign_up(client, "Bea@Example.com")
    with engine.connect() as connection:
        assert connection.scalars(select(User.email)).all() == ["bea@example.com"]


class TestMailsSayOnlyOurWords:
    """Anyone can make Fortify mail any address by signing it up: that mail must not carry
    words of the sender's choosing (an outside probe, F6)."""

    def test_the_sign_up_mail_does_not_echo_the_name_typed_at_sign_up(
        self, client: TestClient
    ) -> None:
        # One line (a name with line breaks is refused, single_line), but still a stranger's.
        bait = "Your bank URGENT verify at http://evil.example/login"
        assert ask(client, "someone-else@example.com", name=bait).status_code == 202
        (mail,) = outbox(client).to("someone-else@example.com")
        assert "evil.example" not in mail.text
        assert "bank" not in mail.text
        assert mail.text.startswith("Hello,\n\n")

    def test_mails_to_a_confirmed_address_greet_on_one_line_whatever_the_stored_name(
        self, app: FastAPI, client: TestClient, engine: Engine
    ) -> None:
        person = sign_up(client)
        # A name stored before names were single-line.
        with engine.begin() as connection:
            connection.execute(
                update(User).where(User.email == person.email).values(display_name="Pat\n\nX")
            )
        assert client.post("/api/v1/password/forgot", json={"email": person.email}).status_code
        assert ask(client, person.email).status_code == 202
        reset, tried = outbox(client).to(person.email)[-2:]
        for mail in (reset, tried):
            assert mail.text.startswith("Hello Pat X,\n\n"), mail.text
