"""Helpers for the benchmarks: a real uvicorn process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
#: The process id behind each running server's base URL (one uvicorn process per server when
#: workers=1), so a bench can read the CPU time the server itself spent.
SERVER_PIDS: dict[str, int] = {}


def create_person(database_url: str, email: str, password: str, name: str = "Bench") -> None:
    """A person made as the operator makes one (`fortify user create`): sign-up by the API
    confirms the address by a mailed link, which a benchmark cannot open."""
    from fortify.accounts.service import create_user
    from fortify.core.db import make_engine, session_factory, session_scope

    engine = make_engine(database_url)
    try:
        for session in session_scope(session_factory(engine)):
            create_user(session, email, password, name)
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def uvicorn_server(
    database_url: str,
    data_dir: Path,
    workers: int = 1,
    env: dict[str, str] | None = None,
    app: str = "fortify.main:create_app",
) -> Iterator[str]:
    """Serve `database_url` (SQLite or PostgreSQL, already migrated) with `workers` processes;
    `env` adds or overrides settings, `app` names another ASGI factory (the bare bench app)."""
    port = free_port()
    env = (
        os.environ
        | {
            "FORTIFY_DATABASE_URL": database_url,
            "FORTIFY_DATA_DIR": str(data_dir),
            "FORTIFY_LOG_LEVEL": "WARNING",
            "FORTIFY_RUN_WORKER": "false",  # benchmark the API alone
            "FORTIFY_SIGN_IN_ATTEMPTS_PER_MINUTE": "1000",
        }
        | (env or {})
    )
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    SERVER_PIDS[base] = process.pid
    try:
        deadline = time.monotonic() + 120  # an import alone takes seconds on a busy machine
        while time.monotonic() < deadline:
            try:
                if process.poll() is not None:
                    raise RuntimeError(f"the server exited with {process.returncode}")
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield base
    finally:
        SERVER_PIDS.pop(base, None)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # requests still queued for a connection: stop hard
            process.kill()
            process.wait(timeout=10)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), all its threads included."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]
