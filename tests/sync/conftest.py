"""Sync fixtures: people, reference-client devices, and a real uvicorn server process.

`live_server` runs the app as its own process (`python -m uvicorn`) on a free 127.0.0.1 port,
on the suite's test database, so tests can use real threads and real crashes (SIGKILL).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fortify.accounts.service import create_user
from fortify.core.db import make_engine, session_factory, session_scope
from tests.conftest import clear_tables
from tests.factories import PASSWORD, Person, sign_up
from tests.sync.client import Device

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ann(client: TestClient) -> Person:
    return sign_up(client)


@pytest.fixture
def bob(client: TestClient) -> Person:
    return sign_up(client)


@pytest.fixture
def make_device(client: TestClient) -> Callable[[Person], Device]:
    def make(person: Person, **kwargs: Any) -> Device:
        return Device(client, person.token, **kwargs)

    return make


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """A uvicorn process serving the app; `kill()` is SIGKILL, `start()` starts it again."""

    database_url: str
    data_dir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = os.environ | {
            "FORTIFY_DATABASE_URL": self.database_url,
            "FORTIFY_ENVIRONMENT": "test",
            "FORTIFY_DATA_DIR": str(self.data_dir),
            "FORTIFY_SECRET_KEY": "live-server-" + uuid.uuid4().hex,
            "FORTIFY_FRONTEND_DIST": str(self.data_dir / "no-frontend"),
            "FORTIFY_SIGN_IN_ATTEMPTS_PER_MINUTE": "1000",
            "FORTIFY_LOG_LEVEL": "WARNING",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "fortify.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 120  # a busy machine (the suite in parallel) is slow
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("uvicorn did not answer within 120 s")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def sign_up(self) -> tuple[str, str]:
        """A new person on this server: (token, user id). Made as the operator would
        (`fortify user create`): this server's mail goes to its log, out of the test's reach."""
        email = f"live-{uuid.uuid4().hex[:8]}@example.com"
        engine = make_engine(self.database_url)
        try:
            for db in session_scope(session_factory(engine)):
                create_user(db, email, PASSWORD, "Live")
        finally:
            engine.dispose()
        with httpx.Client(base_url=self.url, timeout=30) as http:
            session = http.post("/api/v1/sessions", json={"email": email, "password": PASSWORD})
            assert session.status_code == 201, session.text
        return session.json()["token"], session.json()["user_id"]


@pytest.fixture
def live_server(database_url: str, engine: Engine, tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(database_url, tmp_path, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
        clear_tables(engine)


@pytest.fixture(scope="module")
def module_live_server(
    database_url: str, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One uvicorn process for all of a module's tests: starting one takes seconds on a busy
    machine. Only for tests that never kill or restart it (use `live_server` for those)."""
    server = LiveServer(database_url, tmp_path_factory.mktemp("live"), free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
        # What its background threads wrote after the last test's clear_tables goes too.
        clear_tables(engine)


@pytest.fixture
def shared_live_server(module_live_server: LiveServer, engine: Engine) -> Iterator[LiveServer]:
    """The module's server (`module_live_server`); each test signs up its own person and the
    tables are emptied after it, as `live_server` does."""
    yield module_live_server
    clear_tables(engine)
