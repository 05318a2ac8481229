"""Settings, read once from the environment (prefix FORTIFY_) and `.env`.

The secret key is generated on first run and kept under the data directory so that a
developer never has to invent one, but a known placeholder is refused outside development:
a leaked default would let anyone mint valid tokens.
"""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

KNOWN_DEFAULT_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "development"})
DEFAULT_VAPID_SUBJECT = "mailto:admin@localhost"
# What py_vapid accepts (and Apple's push service insists on): an email or a bare https origin.
_VAPID_SUBJECT = re.compile(
    r"^(mailto:[^@\s]+@(localhost|[\w-]+(\.[\w-]+)+)|https://[\w-]+(\.[\w-]+)+)$"
)
# The browsers' push services (FCM for Chrome/Edge/Android, Mozilla, Apple, Windows).
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    ".push.apple.com",
    ".notify.windows.com",
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FORTIFY_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Field(default=Path("var"), description="Where SQLite and generated keys live.")
    database_url: str = Field(default="", description="SQLAlchemy URL; empty = SQLite in data_dir.")
    secret_key: str = Field(default="", description="Empty = generated and kept in data_dir.")
    host: str = "127.0.0.1"
    trusted_proxies: str = Field(
        default="127.0.0.1",
        description="Addresses (comma-separated IPs or CIDRs, or *) whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed: the reverse proxy in front of the app. uvicorn's "
        "forwarded_allow_ips.",
    )
    redis_url: str = Field(
        default="",
        description="Redis shared by every process (rate limits, day-report cache), e.g. "
        "redis://127.0.0.1:6379/0; empty = each process keeps its own state.",
    )
    port: int = Field(default=8000, ge=1, le=65535)
    cors_origins: list[str] = Field(default_factory=list)
    session_lifetime_days: int = Field(default=30, ge=1, le=365)
    sign_in_attempts_per_minute: int = Field(default=10, ge=1)
    sign_ups_per_hour_per_address: int = Field(
        default=10, ge=1, description="Sign-ups (and password-reset requests) per client address."
    )
    sign_ups_per_minute: int = Field(
        default=30, ge=1, description="Sign-ups per minute from everybody together."
    )
    emails_per_hour_per_recipient: int = Field(
        default=5, ge=1, description="Sign-up and reset mails one address may receive per hour."
    )
    # Mail (docs/security.md, "Account lifecycle"): verification and password-reset links.
    smtp_url: str = Field(
        default="",
        description="smtp://[user:password@]host[:port] (plain), smtp+starttls://… (STARTTLS, "
        "port 587) or smtps://… (TLS, port 465); empty = write each mail to the server log.",
    )
    mail_from: str = Field(
        default="Fortify <fortify@localhost>", description="The From: of the mails Fortify sends."
    )
    public_url: str = Field(
        default="",
        description="The address people open Fortify at (https://fortify.example.org), used in "
        "emailed links; empty = http://HOST:PORT. Never taken from a request's Host header.",
    )
    frontend_dist: Path = Field(default=Path("frontend/dist"))
    log_level: str = "INFO"
    max_body_bytes: int = Field(default=4_194_304, ge=1024, description="JSON request bodies.")
    # A Fortify export is parsed whole (it is validated whole before anything is written), at
    # about 12-14 times its size in memory (a 63 MiB document: 0.8 GB). A very diligent logger
    # (30 entries a day, the demo's busy mode) makes about 14 KB a day (version 2, nulls left
    # out): 64 MiB holds 13 years of her, 32 MiB held 6.6 (docs/api.md).
    max_import_bytes: int = Field(
        default=67_108_864, ge=1024, description="The JSON export that POST /api/v1/import reads."
    )
    max_upload_bytes: int = Field(
        default=268_435_456, ge=1024, description="File uploads (Apple Health export.zip)."
    )
    apple_health_max_xml_bytes: int = Field(
        default=4 << 30, ge=1024, description="What an Apple Health export.xml may unpack to."
    )
    # Ten years of a smart scale, logged calcium and workouts is about 15,000 records Fortify
    # keeps (steps and heart beats are not kept, nor counted); an export of 40,000 made a 26 MB
    # FHIR Bundle that took minutes.
    apple_health_max_records: int = Field(
        default=20_000,
        ge=1,
        description="Records (workouts, calcium, vitamin D, body mass) one Apple Health import "
        "may bring; more is a 413.",
    )
    max_running_exports: int = Field(
        default=2,
        ge=1,
        description="Heavy jobs (exports, imports, care-team reports) one process runs at "
        "once; one per person.",
    )
    # Capacity (docs/scaling.md).
    redis_prefix: str = Field(
        default="fortify:",
        description="Prefix of every Redis key (rate limits, the day-report cache), "
        "when several apps share one Redis.",
    )
    report_cache_entries: int = Field(
        default=2048,
        ge=0,
        description="Day reports kept in memory per process (about 10 kB each); 0 = none.",
    )
    max_in_flight: int = Field(
        default=4,
        ge=1,
        le=1000,
        description="API requests one process works on at once; the rest wait their turn. "
        "A few per core: more only adds thread switches (docs/scaling.md).",
    )
    one_core_per_process: bool = Field(
        default=False,
        description="Keep each app process on a core of its own (core/cores.py): its event "
        "loop and worker threads stop handing the GIL across cores (docs/scaling.md). For a "
        "machine whose cores this app's processes have to themselves.",
    )
    # Reminders and Web Push (docs/reminders.md).
    run_worker: bool | None = Field(
        default=None,
        description="Run the reminder delivery worker inside `fortify serve`; "
        "empty = yes, except in the test environment.",
    )
    worker_interval_seconds: float = Field(default=5.0, gt=0, le=300)
    vapid_private_key: str = Field(
        default="", description="PEM or base64url; empty = generated and kept in data_dir."
    )
    vapid_subject: str = Field(
        default=DEFAULT_VAPID_SUBJECT,
        description="The push services' contact for this server: a mailto: or https: address.",
    )
    push_endpoint_hosts: list[str] = Field(
        default_factory=lambda: list(PUSH_SERVICE_HOSTS),
        description="Push service hosts a subscription may point at (a leading '.' = any "
        "subdomain); outside the test environment only these, over https.",
    )

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'fortify.db').as_posix()}"
        if not self.secret_key:
            self.secret_key = _stored_secret(self.data_dir)
        elif self.secret_key in KNOWN_DEFAULT_SECRETS and self.environment != "development":
            raise ValueError("FORTIFY_SECRET_KEY is a known default; set a random value")
        if not _VAPID_SUBJECT.match(self.vapid_subject):
            raise ValueError("FORTIFY_VAPID_SUBJECT must be a mailto: or https: address")
        if self.vapid_subject == DEFAULT_VAPID_SUBJECT and self.environment == "production":
            raise ValueError("FORTIFY_VAPID_SUBJECT is the default; set your own contact address")
        return self

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def worker_enabled(self) -> bool:
        return self.run_worker if self.run_worker is not None else self.environment != "test"


def _stored_secret(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
