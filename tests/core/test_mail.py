"""Mail goes through a real SMTP conversation (aiosmtpd on a free local port), and with no mail
server the link is written to the server log."""

from __future__ import annotations

import email
import logging
import re
import socket
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fortify.core.config import Settings
from fortify.core.mail import LogMailer, Mail, SmtpMailer, make_mailer
from fortify.main import create_app
from tests.conftest import clear_tables
from tests.factories import PASSWORD

_LINK = re.compile(r"(https?://\S+?)/(verify|reset)#token=(\S+)")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def link(self, to: str) -> tuple[str, str, str]:
        for message in reversed(self.messages):
            if message["To"] == to:
                match = _LINK.search(message.get_payload(decode=True).decode())  # type: ignore[union-attr]
                assert match, message.get_payload()
                return match.group(1), match.group(2), match.group(3)
        raise AssertionError(f"no mail to {to}")


@pytest.fixture
def mail_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The app's loggers do not propagate (core/logging.py): listen on the mail logger itself."""
    logger = logging.getLogger("fortify.mail")
    logger.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class TestSmtp:
    def test_sign_up_and_reset_links_arrive_by_smtp_and_work(
        self, settings: Settings, engine: Engine, smtp: tuple[Inbox, int]
    ) -> None:
        inbox, port = smtp
        configured = settings.model_copy(
            update={
                "smtp_url": f"smtp://127.0.0.1:{port}",
                "mail_from": "Fortify <care@fortify.example>",
                "public_url": "https://fortify.example",
            }
        )
        app = create_app(configured, engine)
        try:
            with TestClient(app) as client:
                asked = client.post(
                    "/api/v1/accounts",
                    json={"email": "ann@example.com", "password": PASSWORD, "display_name": "Ann"},
                )
                assert asked.status_code == 202
                [message] = inbox.messages
                assert message["From"] == "Fortify <care@fortify.example>"
                base, kind, token = inbox.link("ann@example.com")
                # The link is built from the configured address, never from the Host header.
                assert (base, kind) == ("https://fortify.example", "verify")
                verified = client.post(
                    "/api/v1/accounts/verify", json={"token": token, "password": PASSWORD}
                )
                assert verified.status_code == 201, verified.text

                client.post("/api/v1/password/forgot", json={"email": "ann@example.com"})
                _base, kind, token = inbox.link("ann@example.com")
                assert kind == "reset"
                reset = client.post(
                    "/api/v1/password/reset",
                    json={"token": token, "new_password": "violet kettle orbit"},
                )
                assert reset.status_code == 201, reset.text
        finally:
            clear_tables(engine)

    def test_a_refusing_server_does_not_fail_the_request(
        self, settings: Settings, engine: Engine, mail_log: pytest.LogCaptureFixture
    ) -> None:
        caplog = mail_log
        dead = settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{free_port()}"})
        app = create_app(dead, engine)
        try:
            with TestClient(app) as client:
                asked = client.post(
                    "/api/v1/accounts",
                    json={"email": "ann@example.com", "password": PASSWORD, "display_name": "Ann"},
                )
            assert asked.status_code == 202
            assert any("could not send" in r.getMessage() for r in caplog.records)
            assert not any("#token=" in r.getMessage() for r in caplog.records)
        finally:
            clear_tables(engine)

    @pytest.mark.parametrize(
        ("url", "port"),
        [("smtp://mail", 25), ("smtp+starttls://u:p%40ss@mail", 587), ("smtps://mail", 465)],
    )
    def test_urls_name_the_transport(self, url: str, port: int) -> None:
        mailer = make_mailer(url, "a@b.example")
        assert isinstance(mailer, SmtpMailer)
        assert (mailer.host, mailer.port) == ("mail", port)
        if "u:" in url:
            assert (mailer.user, mailer.password) == ("u", "p@ss")

    def test_a_bad_url_is_refused(self) -> None:
        with pytest.raises(ValueError, match="FORTIFY_SMTP_URL"):
            make_mailer("http://mail", "a@b.example")


class TestNoMailServer:
    def test_the_link_goes_to_the_server_log(
        self, settings: Settings, engine: Engine, mail_log: pytest.LogCaptureFixture
    ) -> None:
        caplog = mail_log
        app = create_app(settings, engine)
        assert isinstance(app.state.mailer, LogMailer)
        try:
            with TestClient(app) as client:
                client.post(
                    "/api/v1/accounts",
                    json={"email": "ann@example.com", "password": PASSWORD, "display_name": "Ann"},
                )
                logged = "\n".join(r.getMessage() for r in caplog.records)
                token = re.search(r"/verify#token=(\S+)", logged)
                assert token, logged
                assert client.post(
                    "/api/v1/accounts/verify", json={"token": token.group(1), "password": PASSWORD}
                ).is_success
        finally:
            clear_tables(engine)

    def test_log_mailer_names_the_recipient(self, mail_log: pytest.LogCaptureFixture) -> None:
        LogMailer().send(Mail(to="a@example.com", subject="Hi", text="body"))
        assert "To: a@example.com" in mail_log.text
