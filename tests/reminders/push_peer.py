"""A real local Web Push peer: an HTTP server on 127.0.0.1 that accepts push messages the way a
push service does, and checks them the way a browser would.

For each POST to one of its subscription endpoints it verifies the VAPID JWT (RFC 8292: ES256
signature against the `k=` key, which must be the server's applicationServerKey; `aud` the
endpoint's origin; `exp` in the future and at most 24 h away; `sub` a mailto: or https:
address), requires a TTL above 0 and an Urgency, and decrypts the aes128gcm body (RFC 8291)
with the subscription's private key and auth secret using `http_ece`. Tests script the answer
per endpoint (201, or 410/429/500…) and read what was delivered.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64url(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).decode().rstrip("=")


def browser_keys() -> dict[str, str]:
    """A browser's subscription keys nobody listens with: a fresh P-256 public point and a
    16-byte auth secret, as `PushSubscription.toJSON()` gives them (base64url)."""
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"p256dh": b64url(point), "auth": b64url(secrets.token_bytes(16))}


@dataclass
class PeerSubscription:
    """What a browser keeps for one subscription: the key pair and the auth secret."""

    token: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    endpoint: str

    def info(self) -> dict[str, Any]:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)},
        }


@dataclass
class Delivery:
    token: str
    payload: dict[str, Any]
    headers: dict[str, str]
    claims: dict[str, Any]
    at: float


@dataclass
class PushPeer:
    vapid_public_key: str  # the server's applicationServerKey, base64url
    delay_seconds: float = 0.0
    deliveries: list[Delivery] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)  # (token, status) answered
    errors: list[str] = field(default_factory=list)  # protocol violations found
    subscriptions: dict[str, PeerSubscription] = field(default_factory=dict)
    script: dict[str, deque[tuple[int, dict[str, str]]]] = field(
        default_factory=lambda: defaultdict(deque)
    )
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def origin(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> PushPeer:
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                peer._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def subscribe(self) -> PeerSubscription:
        token = secrets.token_urlsafe(12)
        sub = PeerSubscription(
            token,
            ec.generate_private_key(ec.SECP256R1()),
            secrets.token_bytes(16),
            f"{self.origin}/push/{token}",
        )
        self.subscriptions[token] = sub
        return sub

    def answer(self, sub: PeerSubscription, *statuses: int, **headers: str) -> None:
        """The next answers for this endpoint (then 201 again)."""
        for status in statuses:
            self.script[sub.token].append((status, dict(headers)))

    def payloads(self, sub: PeerSubscription | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [d.payload for d in self.deliveries if sub is None or d.token == sub.token]

    # --- the push service's side -------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        token = request.path.rsplit("/", 1)[-1]
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        sub = self.subscriptions.get(token)
        if sub is None or not request.path.startswith("/push/"):
            self._reply(request, 404)
            return
        try:
            claims = self._check_vapid(request.headers.get("Authorization", ""))
            ttl = int(request.headers.get("TTL", "0"))
            if ttl <= 0:
                raise ValueError(f"TTL must be above 0, got {ttl}")
            if request.headers.get("Urgency") not in ("very-low", "low", "normal", "high"):
                raise ValueError("no valid Urgency header")
            if request.headers.get("Content-Encoding") != "aes128gcm":
                raise ValueError("Content-Encoding must be aes128gcm")
            plain = http_ece.decrypt(
                body, private_key=sub.private_key, auth_secret=sub.auth, version="aes128gcm"
            )
            payload = json.loads(plain)
        except (ValueError, InvalidSignature, KeyError) as exc:
            with self.lock:
                self.errors.append(f"{type(exc).__name__}: {exc}")
            self._reply(request, 403)
            return
        with self.lock:
            scripted = self.script[token].popleft() if self.script[token] else (201, {})
            status, headers = scripted
            if status == 201:
                self.deliveries.append(
                    Delivery(
                        token,
                        payload,
                        {k.lower(): v for k, v in request.headers.items()},
                        claims,
                        time.time(),
                    )
                )
            else:
                self.refused.append((token, status))
        self._reply(request, status, headers)

    def _check_vapid(self, authorization: str) -> dict[str, Any]:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"Authorization scheme must be vapid, got {scheme!r}")
        parts = dict(p.strip().split("=", 1) for p in params.split(","))
        if parts["k"].rstrip("=") != self.vapid_public_key:
            raise ValueError("k is not the server's applicationServerKey")
        header_b64, claims_b64, signature_b64 = parts["t"].split(".")
        header = json.loads(b64url_decode(header_b64))
        if header.get("alg") != "ES256":
            raise ValueError(f"alg must be ES256, got {header.get('alg')}")
        signature = b64url_decode(signature_b64)
        if len(signature) != 64:
            raise ValueError("an ES256 signature is 64 bytes (r || s)")
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        public = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), b64url_decode(parts["k"])
        )
        public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        claims: dict[str, Any] = json.loads(b64url_decode(claims_b64))
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud must be {self.origin}, got {claims.get('aud')}")
        now = time.time()
        if not now < int(claims["exp"]) <= now + 24 * 3600:
            raise ValueError("exp must be in the future and within 24 hours")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
            raise ValueError("sub must be a mailto: or https: address")
        return claims

    @staticmethod
    def _reply(
        request: BaseHTTPRequestHandler, status: int, headers: dict[str, str] | None = None
    ) -> None:
        request.send_response(status)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.send_header("Content-Length", "0")
        request.end_headers()
