"""Passwords and bearer tokens.

Passwords are hashed with argon2id (argon2-cffi's defaults follow RFC 9106's second
recommendation). Bearer tokens are 256 random bits, so a fast hash is enough to make a stolen
database useless: we store only SHA-256 of the token and compare hashes. The prefix tells a
session token (`fts_`) from a personal access token (`ftp_`), and lets secret scanners spot them.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

SESSION_PREFIX = "fts_"
PAT_PREFIX = "ftp_"

_hasher = PasswordHasher()
# A hash of a random password, checked when the email is unknown so that sign-in takes the same
# time whether or not the account exists.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
