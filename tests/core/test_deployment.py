"""Deployment behind a proxy and with several processes: who the client is, and shared limits.

The proxy tests run the real `fortify serve` (uvicorn) on a free port, because believing
X-Forwarded-For is uvicorn's job (`forwarded_allow_ips`), not the app's.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fortify.core.config import Settings
from fortify.main import create_app

REDIS_URL = os.environ.get("FORTIFY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(database_url: str, folder: Path, trusted: str, log: Path | None = None) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "FORTIFY_PUBLIC_URL"} | {
        "FORTIFY_ENVIRONMENT": "test",
        "FORTIFY_DATABASE_URL": database_url,
        "FORTIFY_DATA_DIR": str(folder),
        "FORTIFY_SECRET_KEY": "test-secret-" + uuid.uuid4().hex,
        "FORTIFY_FRONTEND_DIST": str(folder / "no-frontend"),
        "FORTIFY_SIGN_IN_ATTEMPTS_PER_MINUTE": "1",  # 3 per address
        "FORTIFY_TRUSTED_PROXIES": trusted,
    }
    command = "from fortify.cli import app; app()"
    server = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--no-migrate", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb") if log else subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a loaded CI machine imports slowly
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(10)


# Started once for the module (a server takes seconds to start); the tests' attempts use
# emails and forwarded addresses of their own.
@pytest.fixture(scope="module")
def behind_trusted_proxy(
    database_url: str, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    yield from _serve(database_url, tmp_path_factory.mktemp("trusted"), "127.0.0.1")


@pytest.fixture(scope="module")
def behind_untrusted_proxy(
    database_url: str, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    # Not the address the test connects from.
    yield from _serve(database_url, tmp_path_factory.mktemp("untrusted"), "10.9.8.7")


def _bad_sign_ins(base: str, count: int) -> list[int]:
    """`count` wrong passwords for different emails, each from its own forwarded address."""
    statuses = []
    for n in range(count):
        response = httpx.post(
            f"{base}/api/v1/sessions",
            json={"email": f"nobody-{n}@example.com", "password": "x" * 12, "device_name": "d"},
            headers={"X-Forwarded-For": f"203.0.113.{n + 1}", "X-Forwarded-Proto": "https"},
        )
        statuses.append(response.status_code)
    return statuses


class TestServeFlags:
    def test_the_mailed_links_point_at_the_port_the_server_was_started_on(
        self, database_url: str, engine: Engine, tmp_path: Path
    ) -> None:
        # Found by a newcomer: `fortify serve --port 8765` mailed links to :8000 (the setting's
        # default) when FORTIFY_PUBLIC_URL was unset, so nobody could finish signing up.
        log = tmp_path / "server.log"
        for base in _serve(database_url, tmp_path, "127.0.0.1", log=log):
            email = f"port-{uuid.uuid4().hex[:8]}@example.com"
            body = {"email": email, "password": "violet kettle orbit", "display_name": "P"}
            assert httpx.post(f"{base}/api/v1/accounts", json=body).status_code == 202
            deadline = time.monotonic() + 30
            while f"{base}/verify#token=" not in log.read_text("utf-8", "replace"):
                assert time.monotonic() < deadline, log.read_text("utf-8", "replace")[-2000:]
                time.sleep(0.2)


class TestTrustedProxies:
    def test_behind_a_trusted_proxy_each_client_has_its_own_sign_in_limit(
        self, behind_trusted_proxy: str
    ) -> None:
        assert _bad_sign_ins(behind_trusted_proxy, 4) == [401] * 4

    def test_forwarded_headers_from_an_untrusted_peer_are_ignored(
        self, behind_untrusted_proxy: str
    ) -> None:
        # Every attempt counts against the peer's own address: 3 a minute, then 429.
        assert _bad_sign_ins(behind_untrusted_proxy, 4) == [401] * 3 + [429]

    def test_hsts_is_sent_behind_a_trusted_https_proxy_only(
        self, behind_trusted_proxy: str, behind_untrusted_proxy: str
    ) -> None:
        https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
        trusted = httpx.get(f"{behind_trusted_proxy}/healthz", headers=https)
        assert trusted.headers["strict-transport-security"].startswith("max-age=")
        untrusted = httpx.get(f"{behind_untrusted_proxy}/healthz", headers=https)
        assert "strict-transport-security" not in untrusted.headers


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    prefix = f"fortify-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(f"{prefix}*"):  # only this run's keys, never a flush
        client.delete(key)
    client.close()


def _instance(
    settings: Settings, engine: Engine, tmp_path: Path, **overrides: object
) -> TestClient:
    """One more app process's worth of state: its own app object and limiter."""
    changed = settings.model_copy(update={"sign_in_attempts_per_minute": 3, **overrides})
    return TestClient(create_app(changed, engine))


def _attempt(client: TestClient, email: str) -> int:
    body = {"email": email, "password": "wrong password", "device_name": "d"}
    response: httpx.Response = client.post("/api/v1/sessions", json=body)
    return response.status_code


class TestSharedLimits:
    def test_two_instances_share_one_sign_in_limit_through_redis(
        self, settings: Settings, engine: Engine, tmp_path: Path, redis_prefix: str
    ) -> None:
        shared = {"redis_url": REDIS_URL, "redis_prefix": redis_prefix}
        with (
            _instance(settings, engine, tmp_path, **shared) as first,
            _instance(settings, engine, tmp_path, **shared) as second,
        ):
            email = f"target-{uuid.uuid4().hex[:8]}@example.com"
            statuses = [_attempt(client, email) for client in (first, second, first, second)]
        assert statuses == [401, 401, 401, 429]

    def test_without_redis_each_instance_counts_alone(
        self, settings: Settings, engine: Engine, tmp_path: Path
    ) -> None:
        with (
            _instance(settings, engine, tmp_path) as first,
            _instance(settings, engine, tmp_path) as second,
        ):
            email = f"target-{uuid.uuid4().hex[:8]}@example.com"
            statuses = [_attempt(client, email) for client in (first, second, first, second)]
        assert statuses == [401] * 4

    def test_redis_down_is_a_503_not_a_500(
        self, settings: Settings, engine: Engine, tmp_path: Path
    ) -> None:
        nowhere = f"redis://127.0.0.1:{_free_port()}/0"
        with _instance(settings, engine, tmp_path, redis_url=nowhere) as client:
            response = client.post(
                "/api/v1/sessions",
                json={"email": "a@example.com", "password": "x" * 12, "device_name": "d"},
            )
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert int(response.headers["retry-after"]) > 0
