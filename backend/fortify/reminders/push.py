"""Web Push: the server's VAPID key, which endpoints we accept, and one send through pywebpush.

pywebpush does the protocol (RFC 8291 aes128gcm encryption, RFC 8292 VAPID); this module only
rounds off its sharp edges:

- its TTL defaults to 0, which tells the push service to drop the message when the phone is
  offline at that moment: we always pass a TTL;
- it has no timeout unless given one, so a stalled push service would hang the worker;
- it writes `aud` and `exp` into the claims dict it is given: we give it a fresh copy each time,
  so one endpoint's audience never leaks into the next send;
- requests follows redirects and reads proxy settings from the environment: our session does
  neither, so a push endpoint cannot bounce the worker to an internal address.

A subscription's endpoint comes from the browser, that is from the client: outside the test
environment it must be https on a known push service host (`FORTIFY_PUSH_ENDPOINT_HOSTS`),
never an IP address, so the server cannot be made to post to internal addresses.
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from pydantic_core import PydanticCustomError
from pywebpush import WebPushException, webpush

from fortify.core.config import Settings
from fortify.core.errors import InvalidInput
from fortify.core.urls import split_url

VAPID_KEY_FILE = "vapid_private.pem"
DEFAULT_TTL_SECONDS = 4 * 60 * 60  # a reminder older than this is no longer worth showing
TIMEOUT_SECONDS = 10.0

_keys: dict[tuple[str, str], Any] = {}
_keys_lock = threading.Lock()


def vapid_key(settings: Settings) -> Any:
    """The server's VAPID key pair: FORTIFY_VAPID_PRIVATE_KEY, else `data_dir/vapid_private.pem`
    (generated on first use; several processes starting at once agree on one file)."""
    cache_key = (settings.vapid_private_key, str(settings.data_dir.resolve()))
    with _keys_lock:
        if cache_key not in _keys:
            _keys[cache_key] = _load_vapid(settings)
        return _keys[cache_key]


def _load_vapid(settings: Settings) -> Any:
    configured = settings.vapid_private_key.strip()
    if configured:
        if "-----BEGIN" in configured:
            return Vapid.from_pem(configured.encode())
        return Vapid.from_string(configured)
    path = settings.data_dir / VAPID_KEY_FILE
    if not path.exists():
        _create_key_file(path)
    return Vapid.from_file(str(path))


def _create_key_file(path: Path) -> None:
    """Write a new key without ever exposing a half-written file: write a temporary file, then
    hard-link it into place, which fails if another process won the race (we then use theirs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    vapid = Vapid()
    vapid.generate_keys()
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(vapid.private_pem())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def public_key(settings: Settings) -> str:
    """The applicationServerKey: the uncompressed P-256 public point, base64url, no padding."""
    raw = vapid_key(settings).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


P256DH_BYTES = 65  # an uncompressed P-256 point: 0x04, then x and y (RFC 8291, section 3.1)
AUTH_BYTES = 16  # the browser's auth secret (RFC 8291, section 3.2)


def _b64url(value: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except ValueError:  # binascii.Error: a length no base64 text can have
        return None


def p256dh_problem(value: str) -> tuple[str, str] | None:
    """Why a subscription's `p256dh` cannot be encrypted to, as (rule, message), else None.
    The length and the alphabet are not enough: a message is encrypted to this point, and a
    point off the curve makes every send fail."""
    raw = _b64url(value)
    if raw is None or len(raw) != P256DH_BYTES or raw[0] != 0x04:
        return "p256_point", "must be an uncompressed P-256 point (65 bytes, base64url)"
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return "p256_point", "is not a point on the P-256 curve"
    return None


def auth_problem(value: str) -> tuple[str, str] | None:
    """Why a subscription's `auth` secret is unusable, as (rule, message), else None."""
    raw = _b64url(value)
    if raw is None or len(raw) != AUTH_BYTES:
        return "auth_secret", "must be a 16-byte secret (base64url)"
    return None


def keys_problem(subscription_info: dict[str, Any]) -> str | None:
    """Why a stored subscription's keys cannot encrypt a message (one stored before they were
    checked at registration), else None."""
    keys = subscription_info.get("keys") or {}
    for name, check in (("p256dh", p256dh_problem), ("auth", auth_problem)):
        problem = check(str(keys.get(name) or ""))
        if problem is not None:
            return f"keys.{name} {problem[1]}"
    return None


def check_endpoint(endpoint: str, settings: Settings) -> None:
    """Refuse an endpoint the server must not post to (raises InvalidInput naming `endpoint`)."""
    try:
        parts = split_url(endpoint)  # the schema checked it already; this is the same rule
    except PydanticCustomError as exc:
        raise _bad_endpoint(f"The endpoint {exc.message()}.", exc.type) from None
    host = (parts.hostname or "").lower()
    if settings.environment == "test":
        if parts.scheme not in ("http", "https"):
            raise _bad_endpoint("The endpoint must be an http(s) URL.", "https")
        return
    if parts.scheme != "https":
        raise _bad_endpoint("Push endpoints must use https.", "https")
    if parts.port not in (None, 443):
        raise _bad_endpoint("Push endpoints use the standard https port.", "port")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise _bad_endpoint("Push endpoints are named hosts, not IP addresses.", "host")
    if not any(_host_matches(host, allowed.lower()) for allowed in settings.push_endpoint_hosts):
        raise _bad_endpoint("The endpoint is not on a known push service.", "push_service")


def _host_matches(host: str, allowed: str) -> bool:
    if allowed.startswith("."):
        return host.endswith(allowed)
    return host == allowed


def _bad_endpoint(detail: str, rule: str) -> InvalidInput:
    return InvalidInput(detail, field="endpoint", rule=rule)


class _NoRedirects(requests.Session):
    """A push service answers; it never redirects. Following one could reach any address."""

    def __init__(self) -> None:
        super().__init__()
        self.trust_env = False  # no proxies or .netrc from the environment

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["allow_redirects"] = False
        return super().request(*args, **kwargs)


@dataclass(frozen=True)
class PushResult:
    """What one send did. `outcome`: delivered | gone (remove the subscription) |
    retry (429, 5xx, network) | rejected (another 4xx: this message will never be accepted) |
    unusable (the subscription's keys cannot encrypt a message: remove it; nothing was sent)."""

    outcome: str
    status: int | None
    detail: str = ""
    retry_after_seconds: float | None = None


_local = threading.local()


def _session() -> requests.Session:
    session: requests.Session | None = getattr(_local, "session", None)
    if session is None:
        session = _NoRedirects()
        _local.session = session
    return session


def send(
    subscription_info: dict[str, Any],
    payload: str,
    settings: Settings,
    *,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
    urgency: str = "high",
    topic: str | None = None,
) -> PushResult:
    """Encrypt and post one message; never raises for a push service's answer."""
    check_endpoint(subscription_info["endpoint"], settings)
    problem = keys_problem(subscription_info)
    if problem is not None:
        return PushResult("unusable", None, problem)
    headers: dict[str, str | int | float] = {"Urgency": urgency}
    if topic:
        headers["Topic"] = topic  # a newer message with the same topic replaces an unsent one
    try:
        response = webpush(
            subscription_info,
            data=payload,
            vapid_private_key=vapid_key(settings),
            vapid_claims={"sub": settings.vapid_subject},  # a fresh dict: pywebpush mutates it
            ttl=ttl_seconds,
            timeout=TIMEOUT_SECONDS,
            headers=headers,
            requests_session=_session(),
        )
    except WebPushException as exc:
        response = exc.response
        if response is None:
            return PushResult("retry", None, str(exc)[:300])
        return _classify(response)
    except requests.RequestException as exc:
        return PushResult("retry", None, f"{type(exc).__name__}: {exc}"[:300])
    assert isinstance(response, requests.Response)
    return _classify(response)


def _classify(response: requests.Response) -> PushResult:
    status = response.status_code
    detail = f"{status} {response.reason or ''}".strip()
    if status < 300:
        return PushResult("delivered", status, detail)
    if status in (404, 410):
        return PushResult("gone", status, detail)
    if status == 429 or status >= 500:
        return PushResult("retry", status, detail, _retry_after(response))
    return PushResult("rejected", status, detail)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
