"""Sending mail: verification and password-reset links.

`FORTIFY_SMTP_URL` names the server: `smtp://` (plain, for a relay on the same host),
`smtp+starttls://` (STARTTLS, usually port 587) or `smtps://` (TLS from the first byte, port
465), with optional `user:password@`. With none (the embedded default), a mail is written to the
server log instead, so `make run` shows the link in its terminal; nobody else can read it.

The standard library's smtplib is enough: one short message per request, sent after the
response (a background task), so a slow mail server never delays an answer, and the time an
answer takes says nothing about whether a mail was sent.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol
from urllib.parse import unquote, urlsplit

log = logging.getLogger("fortify.mail")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


class LogMailer:
    """No mail server: the mail goes to the server log (the operator's terminal)."""

    def send(self, mail: Mail) -> None:
        log.warning(
            "No mail server is configured (FORTIFY_SMTP_URL); this mail was not sent:\n"
            "To: %s\nSubject: %s\n\n%s",
            mail.to,
            mail.subject,
            mail.text,
        )


class SmtpMailer:
    def __init__(self, url: str, sender: str, timeout_seconds: float = 15.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtp+starttls", "smtps") or not parts.hostname:
            raise ValueError("FORTIFY_SMTP_URL must be smtp://, smtp+starttls:// or smtps://HOST")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or {"smtp": 25, "smtp+starttls": 587, "smtps": 465}[parts.scheme]
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender
        self.timeout = timeout_seconds

    def message(self, mail: Mail) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = mail.to
        msg["Subject"] = mail.subject
        msg["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2].strip("> ") or None)
        msg.set_content(mail.text)
        return msg

    def send(self, mail: Mail) -> None:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.scheme == "smtps":
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with smtp:
            if self.scheme == "smtp+starttls":
                smtp.starttls(context=context)
            if self.user is not None:
                smtp.login(self.user, self.password or "")
            smtp.send_message(self.message(mail))


def make_mailer(smtp_url: str, sender: str) -> Mailer:
    return SmtpMailer(smtp_url, sender) if smtp_url else LogMailer()


def deliver(mailer: Mailer, mail: Mail) -> None:
    """Send, and log (without the body: it holds a link) when the server refuses: the request
    that asked for the mail has been answered already."""
    try:
        mailer.send(mail)
    except (OSError, smtplib.SMTPException) as exc:
        log.error("could not send a mail: %s", type(exc).__name__)
