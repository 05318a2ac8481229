"""Several processes, one truth: two app processes behind nginx, on one PostgreSQL and one Redis.

What one process remembers in memory (a sign-in limiter, a search index) must not make another
process answer differently, and work that any process may pick up (reminders) must be done once.
The module starts the production topology for real: two uvicorn processes, nginx (Debian's)
balancing between them round-robin, `fortify worker` processes for reminders, and the CLI for
a USDA import, all on the run's scratch PostgreSQL database and the machine's Redis (a random
database number, so parallel runs do not share counters).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, delete, select, update

from fortify.accounts import service as accounts
from fortify.catalog import service as catalog
from fortify.catalog.models import Food
from fortify.core.config import Settings
from fortify.core.db import session_factory, session_scope
from fortify.reminders import push
from fortify.reminders.models import Reminder, ReminderOccurrence
from tests.conftest import BACKEND, SHARED_DATA, clear_tables
from tests.factories import PASSWORD, meal
from tests.reminders.push_peer import PushPeer

ROOT = Path(__file__).resolve().parents[1]
EARLY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
APPS = 2

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.slow,
    pytest.mark.skipif(
        BACKEND != "postgresql",
        reason="PostgreSQL only: several processes on one database is the PostgreSQL setup",
    ),
]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _nginx() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        message = "nginx is not installed (Debian: apt-get install nginx; .ci/run does)"
        if os.environ.get("FORTIFY_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)  # CI: the multi-process tests are part of the run
        pytest.skip(message)
    return found


NGINX_CONF = """\
{user}daemon off;
worker_processes 1;
pid {home}/nginx.pid;
error_log {home}/error.log warn;
events {{ worker_connections 512; }}
http {{
    log_format upstreams '$upstream_addr $status $request_method $uri';
    access_log {home}/access.log upstreams;
    client_body_temp_path {home}/body;
    proxy_temp_path {home}/proxy;
    fastcgi_temp_path {home}/fastcgi;
    uwsgi_temp_path {home}/uwsgi;
    scgi_temp_path {home}/scgi;
    client_max_body_size 300m;
    upstream fortify {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://fortify;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


@dataclass
class Processes:
    proxy: str
    apps: list[str]
    env: dict[str, str]
    home: Path
    access_log: Path
    engine: Engine

    def upstreams(self) -> Counter[str]:
        """How many requests nginx sent to each app process so far."""
        lines = self.access_log.read_text().splitlines()
        return Counter(line.split()[0] for line in lines if line.split()[0] != "-")


def _wait_healthy(base: str, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + 180  # a start-up takes seconds; on a busy machine, more
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{base}: the process ended with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{base} did not become healthy")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def processes(
    engine: Engine, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Processes]:
    nginx = _nginx()
    home = tmp_path_factory.mktemp("processes")
    settings = Settings(
        environment="test",
        database_url=database_url,
        data_dir=home,
        secret_key="several-processes-" + uuid.uuid4().hex,
    )
    push.public_key(settings)  # the VAPID key, made once here and shared through data_dir
    env = os.environ | {
        "FORTIFY_DATABASE_URL": database_url,
        "FORTIFY_ENVIRONMENT": "test",
        "FORTIFY_DATA_DIR": str(home),
        "FORTIFY_SECRET_KEY": settings.secret_key,
        "FORTIFY_RUN_WORKER": "false",  # reminders: `fortify worker` processes, as in production
        "FORTIFY_WORKER_INTERVAL_SECONDS": "0.5",
        "FORTIFY_LOG_LEVEL": "WARNING",
        "FORTIFY_TRUSTED_PROXIES": "127.0.0.1",
    }
    if _redis_answers():
        env["FORTIFY_REDIS_URL"] = f"redis://127.0.0.1:6379/{random.randint(1, 15)}"
    ports = [_free_port() for _ in range(APPS)]
    apps = []
    for port in ports:
        command = [sys.executable, "-m", "uvicorn", "fortify.main:create_app", "--factory"]
        command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
        command += ["--no-access-log"]
        apps.append(subprocess.Popen(command, cwd=ROOT, env=env))
    proxy_port = _free_port()
    (home / "nginx").mkdir()
    conf = home / "nginx" / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            user="user root;\n" if os.geteuid() == 0 else "",
            home=home / "nginx",
            port=proxy_port,
            servers="\n".join(f"        server 127.0.0.1:{port};" for port in ports),
        )
    )
    proxy = subprocess.Popen(
        [nginx, "-p", str(home / "nginx"), "-c", str(conf), "-e", str(home / "nginx" / "error.log")]
    )
    try:
        for app, port in zip(apps, ports, strict=True):
            _wait_healthy(f"http://127.0.0.1:{port}", app)
        _wait_healthy(f"http://127.0.0.1:{proxy_port}", proxy)
        yield Processes(
            f"http://127.0.0.1:{proxy_port}",
            [f"http://127.0.0.1:{port}" for port in ports],
            env,
            home,
            home / "nginx" / "access.log",
            engine,
        )
    finally:
        for process in [proxy, *apps]:
            _stop(process)
        clear_tables(engine)


@dataclass
class Account:
    email: str
    token: str
    user_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def sign_up(base: str, engine: Engine) -> Account:
    """An account made as `fortify user create` makes one, then signed in over HTTP (what is
    tested here is the processes, not the sign-up flow)."""
    email = f"several-{uuid.uuid4().hex[:10]}@example.com"
    for session in session_scope(session_factory(engine)):
        user_id = str(accounts.create_user(session, email, PASSWORD, "Pat").id)
    signed_in = httpx.post(f"{base}/api/v1/sessions", json={"email": email, "password": PASSWORD})
    assert signed_in.status_code == 201, signed_in.text
    return Account(email, signed_in.json()["token"], user_id)


def call(
    base: str,
    account: Account,
    method: str,
    path: str,
    if_none_match: str | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """A request as the account (with an If-None-Match tag when given)."""
    headers = account.headers | ({"If-None-Match": if_none_match} if if_none_match else {})
    return httpx.request(method, f"{base}{path}", headers=headers, timeout=30, **kwargs)


class TestTheProxy:
    def test_it_spreads_requests_over_both_processes(self, processes: Processes) -> None:
        before = processes.upstreams()
        for _ in range(10):
            assert httpx.get(f"{processes.proxy}/healthz").status_code == 200
        sent = processes.upstreams() - before
        assert len(sent) == APPS
        assert all(n >= 3 for n in sent.values()), sent


class TestSignInLimits:
    def test_the_per_account_limit_holds_across_processes(self, processes: Processes) -> None:
        if "FORTIFY_REDIS_URL" not in processes.env:
            message = "Redis does not answer at 127.0.0.1:6379"
            if os.environ.get("FORTIFY_REQUIRE_POSTGRES") == "1":
                pytest.fail(message)
            pytest.skip(message)
        # Her sign-up's sign-in had the right password: it uses none of the limit's ten.
        account = sign_up(processes.proxy, processes.engine)
        limit = 10
        wrong = {"email": account.email, "password": "not the password at all"}
        answers = [
            httpx.post(f"{processes.proxy}/api/v1/sessions", json=wrong).status_code
            for _ in range(limit + 1)
        ]
        # Alternating between the two processes, the shared count runs out after ten.
        assert answers[:limit] == [401] * limit
        assert answers[-1] == 429, answers


class TestFoodSearch:
    def test_a_custom_food_made_on_one_process_is_found_on_the_other(
        self, processes: Processes
    ) -> None:
        first, second = processes.apps
        account = sign_up(processes.proxy, processes.engine)
        name = f"Quokka{uuid.uuid4().hex[:6]} porridge"
        word = name.split()[0].lower()

        def found(base: str) -> list[str]:
            response = call(base, account, "GET", "/api/v1/foods", params={"q": word})
            assert response.status_code == 200, response.text
            return [item["name"] for item in response.json()["items"]]

        assert found(second) == []  # the second process has indexed this person's foods
        created = call(first, account, "POST", "/api/v1/foods/custom", json={"name": name})
        assert created.status_code == 201, created.text
        assert found(second) == [name]
        assert found(processes.proxy) == [name]

    def test_a_usda_import_by_the_cli_reaches_both_processes_search(
        self, processes: Processes, tmp_path: Path
    ) -> None:
        account = sign_up(processes.proxy, processes.engine)
        ndb = f"9{random.randint(1000, 9999)}"
        word = f"zanzi{uuid.uuid4().hex[:6]}"
        _tiny_sr28(tmp_path, ndb, f"{word.capitalize()} fruit, raw")

        def found(base: str) -> list[str]:
            response = call(base, account, "GET", "/api/v1/foods", params={"q": word})
            assert response.status_code == 200, response.text
            return [item["name"] for item in response.json()["items"]]

        assert [found(base) for base in processes.apps] == [[], []]
        command = [sys.executable, "-c", "from fortify.cli import app; app()"]
        command += ["catalog", "import-usda", str(tmp_path)]
        result = subprocess.run(command, cwd=ROOT, env=processes.env, capture_output=True)
        assert result.returncode == 0, result.stderr
        try:
            deadline = time.monotonic() + catalog.INDEX_CHECK_SECONDS + 5
            while any(found(base) == [] for base in processes.apps):
                assert time.monotonic() < deadline, "an index never noticed the import"
                time.sleep(0.2)
            assert all(len(found(base)) == 1 for base in processes.apps)
        finally:
            for session in session_scope(session_factory(processes.engine)):
                session.execute(delete(Food).where(Food.source == "usda", Food.source_id == ndb))
                catalog.bump_catalog_version(session)


def _tiny_sr28(folder: Path, ndb: str, description: str) -> None:
    """One SR28 food: the shared food groups, one description row, its energy, no portions."""
    source = SHARED_DATA / "usda-sr"
    shutil.copy(source / "FD_GROUP.txt", folder / "FD_GROUP.txt")
    (folder / "FOOD_DES.txt").write_bytes(
        f"~{ndb}~^~0900~^~{description}~^~FRUIT~^~~^~~^~~^~~^0^~~^6.25^3.36^8.37^3.60\r\n".encode(
            "cp1252"
        )
    )
    (folder / "NUT_DATA.txt").write_bytes(
        f"~{ndb}~^~208~^52^1^^~4~^~NC~^^^^^^^^^^09/2015^\r\n".encode("cp1252")
    )
    (folder / "WEIGHT.txt").write_bytes(b"")


class TestSync:
    def test_a_push_to_one_process_is_pulled_from_the_other(self, processes: Processes) -> None:
        first, second = processes.apps
        account = sign_up(processes.proxy, processes.engine)
        meal_id = str(uuid.uuid4())
        op = {
            "op_id": str(uuid.uuid4()),
            "entity": "meals",
            "id": meal_id,
            "kind": "upsert",
            "base_version": None,
            "fields": meal(),
        }
        pushed = call(
            first,
            account,
            "POST",
            "/api/v1/sync/push",
            json={"device_id": "phone", "operations": [op]},
        )
        assert pushed.status_code == 200, pushed.text
        assert pushed.json()["results"][0]["status"] == "applied"
        pulled = call(second, account, "GET", "/api/v1/sync/pull")
        assert pulled.status_code == 200, pulled.text
        assert meal_id in [change["id"] for change in pulled.json()["changes"]]
        # And the pull from that cursor, on either process, has nothing new.
        cursor = pulled.json()["cursor"]
        for base in processes.apps:
            again = call(base, account, "GET", "/api/v1/sync/pull", params={"cursor": cursor})
            assert again.status_code == 200, again.text
            assert again.json()["changes"] == []


class TestDayReports:
    def test_a_write_on_one_process_is_in_the_next_report_of_the_other(
        self, processes: Processes
    ) -> None:
        first, second = processes.apps
        account = sign_up(processes.proxy, processes.engine)
        day = "2026-11-20"  # the factories' meals are eaten on that day
        path = f"/api/v1/days/{day}"
        before = [call(base, account, "GET", path) for base in processes.apps]
        assert [r.status_code for r in before] == [200, 200]
        tag = before[0].headers["ETag"]
        assert before[1].headers["ETag"] == tag  # the same answer, whichever process gives it
        assert call(second, account, "GET", path, if_none_match=tag).status_code == 304
        written = call(second, account, "POST", "/api/v1/meals", json=meal())
        assert written.status_code == 201, written.text
        # The first process kept nothing that the second's write made stale.
        after = call(first, account, "GET", path, if_none_match=tag)
        assert after.status_code == 200
        assert after.headers["ETag"] != tag
        calcium = after.json()["totals"]["calcium_mg"]
        assert calcium > before[0].json()["totals"]["calcium_mg"]
        again = call(second, account, "GET", path)
        assert again.json()["totals"]["calcium_mg"] == calcium


class TestReminders:
    def test_two_workers_deliver_each_reminder_exactly_once(self, processes: Processes) -> None:
        public_key = httpx.get(f"{processes.proxy}/api/v1/push/vapid-public-key").json()
        peer = PushPeer(public_key["public_key"]).start()
        workers: list[subprocess.Popen[bytes]] = []
        try:
            now = dt.datetime.now(dt.UTC)
            times = sorted({(now - dt.timedelta(minutes=m)).strftime("%H:%M") for m in (40, 20, 0)})
            expected = 0
            for _ in range(6):
                account = sign_up(processes.proxy, processes.engine)
                subscription = peer.subscribe().info()
                subscribed = call(
                    processes.proxy,
                    account,
                    "POST",
                    "/api/v1/push/subscriptions",
                    json=subscription,
                )
                assert subscribed.status_code in (200, 201), subscribed.text
                for time_ in times:
                    body = {"kind": "custom", "title": f"At {time_}", "times": [time_]}
                    created = call(processes.proxy, account, "POST", "/api/v1/reminders", json=body)
                    assert created.status_code == 201, created.text
                    expected += 1
            # Made "long ago", so the planner plans today's times that have just passed.
            with processes.engine.begin() as connection:
                connection.execute(update(Reminder).values(created_at=EARLY, updated_at=EARLY))
            command = [sys.executable, "-c", "from fortify.cli import app; app()", "worker"]
            workers = [subprocess.Popen(command, cwd=ROOT, env=processes.env) for _ in range(2)]
            deadline = time.monotonic() + 180
            while len(_delivered(peer)) < expected:
                assert time.monotonic() < deadline, f"{len(_delivered(peer))} of {expected}"
                assert all(w.poll() is None for w in workers)
                time.sleep(0.2)
            time.sleep(3)  # several more rounds of both workers: nothing is sent again
        finally:
            for worker in workers:
                _stop(worker)
            peer.stop()
        delivered = _delivered(peer)
        assert peer.errors == []
        assert len(delivered) == expected
        assert len(set(delivered)) == expected, Counter(delivered).most_common(3)
        with processes.engine.connect() as connection:
            statuses = Counter(
                connection.execute(
                    select(ReminderOccurrence.status).where(
                        ReminderOccurrence.due_at <= dt.datetime.now(dt.UTC)
                    )
                ).scalars()
            )
        assert statuses == Counter({"sent": expected})


def _delivered(peer: PushPeer) -> list[str]:
    return [occ["id"] for payload in peer.payloads() for occ in payload["occurrences"]]
