"""Settings, read once from the environment (prefix FORTIFY_) and `.env`.

The secret key is generated on first run and kept under the data directory so that a
developer never has to invent one, but a known placeholder is refused outside development:
a leaked default would let anyone mint valid tokens.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

KNOWN_DEFAULT_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "development"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FORTIFY_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Field(default=Path("var"), description="Where SQLite and generated keys live.")
    database_url: str = Field(default="", description="SQLAlchemy URL; empty = SQLite in data_dir.")
    secret_key: str = Field(default="", description="Empty = generated and kept in data_dir.")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    cors_origins: list[str] = Field(default_factory=list)
    session_lifetime_days: int = Field(default=30, ge=1, le=365)
    sign_in_attempts_per_minute: int = Field(default=10, ge=1)
    frontend_dist: Path = Field(default=Path("frontend/dist"))
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'fortify.db').as_posix()}"
        if not self.secret_key:
            self.secret_key = _stored_secret(self.data_dir)
        elif self.secret_key in KNOWN_DEFAULT_SECRETS and self.environment != "development":
            raise ValueError("FORTIFY_SECRET_KEY is a known default; set a random value")
        return self


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
