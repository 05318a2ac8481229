"""Planner bench: what the reminder planner costs per minute, and what it costs the requests.

1. **CPU per minute.** On a private PostgreSQL server (bench/_pg.py, so that its backends' CPU
   is ours alone to count), N people (1,000 and 10,000 by default) each get two medicines (08:00;
   08:00 and 20:00) and a third of them a custom reminder, in four time zones. The first round
   plans everyone (what happens once, after an upgrade); then 30 minutes are simulated with no
   changes (each round is one minute later on the planner's clock, which is what the worker
   sees) and then 30 minutes with 1 % of people editing a reminder each minute. Reported per
   minute: the planner process's CPU, the PostgreSQL backends' CPU, and wall time. Target: with
   10,000 people and no changes, < 0.5 s of CPU a minute (planner + database).
2. **Requests during planning.** A uvicorn process serves the same database while a paced
   client (`--rate` requests a second, day reports and reminder lists of one person) measures
   p50/p99, first with no planner, then while a planner process plans a simulated minute, with
   1 % of people editing a reminder, every second: sixty times the pace of a real worker, so
   that every part of the run overlaps planning. Target: p99 within 20 % of the p99 without.

    .venv/bin/python bench/planner.py [--people 1000 10000] [--rate 40] [--seconds 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import PrivateCluster, private_cluster
from _server import percentile, uvicorn_server
from sqlalchemy import Engine, create_engine, insert, select, text, update

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core import migrations
from fortify.core.config import Settings
from fortify.core.db import make_engine, session_factory, session_scope
from fortify.entries.models import RegimenItem
from fortify.reminders.models import Reminder
from fortify.reminders.worker import Worker

ZONES = ("Europe/London", "America/New_York", "UTC", "Asia/Tokyo")
EARLY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PASSWORD = "planner bench password"


def seed(url: str, people: int) -> list[uuid.UUID]:
    """People written directly (signing up 10,000 through the API would take minutes)."""
    users: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    reminders: list[dict[str, Any]] = []
    ids = []
    for n in range(people):
        user_id = uuid.uuid4()
        ids.append(user_id)
        users.append(
            {
                "id": user_id,
                "email": f"planner-{n}@example.com",
                "password_hash": "x",
                "display_name": f"P{n}",
                "time_zone": ZONES[n % len(ZONES)],
                "sync_version": 3,
                "target_overrides": {},
                "profile_version": 0,
                "cleared_for_high_impact": False,
                "on_anticoagulant": False,
                "osteoporosis": False,
                "unit_system": "metric",
                "created_at": EARLY,
                "updated_at": EARLY,
            }
        )
        for version, (name, times) in enumerate(
            (("Anastrozole 1 mg", ["08:00"]), ("Calcium 600 mg", ["08:00", "20:00"])), start=1
        ):
            items.append(
                {
                    "user_id": user_id,
                    "id": uuid.uuid4(),
                    "name": name,
                    "kind": "medicine",
                    "form": "anastrozole",
                    "nutrients_per_unit": {},
                    "servings_per_unit": {},
                    "default_units": 1.0,
                    "schedule_times": times,
                    "prescribed_daily": True,
                    "active": True,
                    "version": version,
                    "created_at": EARLY,
                    "updated_at": EARLY,
                }
            )
        if n % 3 == 0:
            reminders.append(_custom_reminder(user_id, version=3))
    engine = create_engine(url)
    with engine.begin() as connection:
        for table, rows in ((User, users), (RegimenItem, items), (Reminder, reminders)):
            for start in range(0, len(rows), 5000):
                connection.execute(insert(table), rows[start : start + 5000])
    engine.dispose()
    return ids


def _custom_reminder(user_id: uuid.UUID, version: int) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "id": uuid.uuid4(),
        "kind": "custom",
        "title": "Stretch",
        "times": ["18:30"],
        "enabled": True,
        "version": version,
        "created_at": EARLY,
        "updated_at": EARLY,
    }


def _ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):  # it ended meanwhile
        return 0
    return int(fields[11]) + int(fields[12])


def database_cpu_seconds(cluster: PrivateCluster) -> float:
    """CPU used so far by the private server's processes (the postmaster and its children)."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    pids = [postmaster]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if ppid == postmaster:
                pids.append(int(entry.name))
    return sum(_ticks(pid) for pid in pids) / os.sysconf("SC_CLK_TCK")


def _worker(url: str, home: Path) -> Worker:
    settings = Settings(environment="test", database_url=url, data_dir=home, secret_key="b" * 40)
    return Worker(session_factory(make_engine(url)), settings)


def _edit_reminders(engine: Engine, people: list[uuid.UUID], now: dt.datetime) -> None:
    """What a person editing a reminder leaves behind: a new row version, a new counter."""
    with engine.begin() as connection:
        for user_id in people:
            version = connection.execute(
                update(User)
                .where(User.id == user_id)
                .values(sync_version=User.sync_version + 1)
                .returning(User.sync_version)
            ).scalar_one()
            row = _custom_reminder(user_id, version) | {"created_at": now, "updated_at": now}
            connection.execute(insert(Reminder), [row])


def cpu_per_minute(cluster: PrivateCluster, people: int, home: Path) -> tuple[str, float]:
    url = cluster.url
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrations.upgrade(url)
    started = time.perf_counter()
    ids = seed(url, people)
    seeded = time.perf_counter() - started
    worker = _worker(url, home)
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)

    def measure(minutes: int, changes_per_minute: int) -> tuple[float, float, float, int]:
        nonlocal now
        rng = random.Random(minutes + changes_per_minute)
        edits = create_engine(url)
        cpu = db = wall = 0.0
        planned = 0
        for _ in range(minutes):
            now += dt.timedelta(minutes=1)
            if changes_per_minute:
                _edit_reminders(edits, rng.sample(ids, changes_per_minute), now)
            db0, cpu0, wall0 = (
                database_cpu_seconds(cluster),
                time.process_time(),
                time.perf_counter(),
            )
            round_ = worker.plan_round(now)
            cpu += time.process_time() - cpu0
            wall += time.perf_counter() - wall0
            db += database_cpu_seconds(cluster) - db0
            planned += round_.replanned + round_.extended
        edits.dispose()
        return cpu / minutes, db / minutes, wall / minutes, planned

    first_cpu, first_db, first_wall, first_planned = measure(1, 0)
    quiet_cpu, quiet_db, quiet_wall, quiet_planned = measure(30, 0)
    busy = max(1, people // 100)
    busy_cpu, busy_db, busy_wall, busy_planned = measure(30, busy)
    worker.factory.kw["bind"].dispose()
    quiet_total = quiet_cpu + quiet_db
    lines = [
        f"{people:,} people (seeded in {seeded:.1f} s), PostgreSQL (private server)",
        f"  first round, everyone planned ({first_planned:,} people): planner CPU "
        f"{first_cpu:.2f} s, database CPU {first_db:.2f} s, wall {first_wall:.2f} s "
        f"({1000 * (first_cpu + first_db) / max(first_planned, 1):.2f} ms CPU a person)",
        f"  a minute with no changes (mean of 30; {quiet_planned / 30:.1f} plans extended a "
        f"minute): planner CPU {quiet_cpu * 1000:.1f} ms, database CPU {quiet_db * 1000:.1f} ms, "
        f"wall {quiet_wall * 1000:.1f} ms — total CPU {quiet_total:.3f} s/min",
        f"  a minute with {busy} reminder edits (mean of 30; {busy_planned / 30:.1f} people "
        f"planned a minute): planner CPU {busy_cpu * 1000:.1f} ms, database CPU "
        f"{busy_db * 1000:.1f} ms, wall {busy_wall * 1000:.1f} ms",
    ]
    return "\n".join(lines), quiet_total


# --- requests during planning ----------------------------------------------------------------


Timed = tuple[float, float]  # time.monotonic() at the start and the end (system-wide clock)


def _paced(base: str, token: str, rate: float, seconds: float) -> list[Timed]:
    """`rate` requests a second for `seconds`, from 4 threads: when each started and ended."""
    today = dt.date.today().isoformat()
    paths = [f"/api/v1/days/{today}", "/api/v1/reminders"]
    spans: list[Timed] = []
    lock = threading.Lock()
    threads = 4
    interval = threads / rate
    deadline = time.monotonic() + seconds

    def run(offset: float) -> None:
        with httpx.Client(base_url=base, timeout=10) as http:
            http.headers["Authorization"] = f"Bearer {token}"
            at = time.monotonic() + offset
            n = 0
            while at < deadline:
                time.sleep(max(0.0, at - time.monotonic()))
                started = time.monotonic()
                response = http.get(paths[n % len(paths)])
                ended = time.monotonic()
                assert response.status_code == 200, response.text
                with lock:
                    spans.append((started, ended))
                at += interval
                n += 1

    workers = [threading.Thread(target=run, args=(n * interval / threads,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return spans


def _plan_continuously(url: str, home: str, every: float, stop: Any, rounds: Any) -> None:
    """A planner process: a simulated minute every `every` seconds (60 times the real pace at
    1 s), 1 % of people editing a reminder before each, at `fortify worker`'s CPU priority. Puts
    each round's span on `rounds`."""
    os.nice(10)  # as `fortify worker` does by default
    worker = _worker(url, Path(home))
    edits = create_engine(url)
    with edits.connect() as connection:
        ids = list(connection.execute(select(User.id)).scalars())
    rng = random.Random(3)
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) + dt.timedelta(hours=1)
    worker.plan_round(now)  # catch up the hour first, before the measured part
    rounds.put(None)
    while not stop.wait(every):
        now += dt.timedelta(minutes=1)
        _edit_reminders(edits, rng.sample(ids, max(1, len(ids) // 100)), now)
        started = time.monotonic()
        worker.plan_round(now)
        rounds.put((started, time.monotonic()))
    edits.dispose()
    rounds.put(None)  # the last one


def _ms(spans: list[Timed]) -> list[float]:
    return [(end - start) * 1000 for start, end in spans]


def requests_during_planning(
    cluster: PrivateCluster, home: Path, rate: float, seconds: float, plan_every: float
) -> tuple[str, float]:
    url = cluster.url
    with uvicorn_server(url, home) as base:
        email = "planner-requests@example.com"
        for session in session_scope(session_factory(make_engine(url))):
            accounts.create_user(session, email, PASSWORD, "Bench")  # as `fortify user create`
        with httpx.Client(base_url=base, timeout=10) as http:
            token = http.post("/api/v1/sessions", json={"email": email, "password": PASSWORD})
            assert token.status_code == 201, token.text
            token_value = str(token.json()["token"])
        _paced(base, token_value, rate, 3)  # warm up
        alone = _ms(_paced(base, token_value, rate, seconds))
        context = multiprocessing.get_context("spawn")
        stop = context.Event()
        queue = context.Queue()
        planner = context.Process(
            target=_plan_continuously, args=(url, str(home), plan_every, stop, queue)
        )
        planner.start()
        queue.get(timeout=600)  # its first round catches up an hour
        spans = _paced(base, token_value, rate, seconds)
        stop.set()
        rounds: list[Timed] = []
        while (item := queue.get(timeout=120)) is not None:
            rounds.append(item)
        planner.join(timeout=60)
    overlapping = [span for span in spans if any(s < span[1] and span[0] < e for s, e in rounds)]
    apart = [span for span in spans if span not in overlapping]
    during, between = _ms(overlapping), _ms(apart)
    round_ms = [1000 * (e - s) for s, e in rounds]
    p99_alone = percentile(alone, 99)
    p99_during, p99_between = percentile(during or [0.0], 99), percentile(between, 99)
    ratio = p99_during / p99_between
    lines = [
        f"paced {rate:.0f} requests/s for {seconds:.0f} s (day report and reminder list, one "
        "server process)",
        f"  no planner process: p50 {percentile(alone, 50):.1f} ms, p99 {p99_alone:.1f} ms "
        f"({len(alone)} requests)",
        f"  a planner process planning a simulated minute (1 % of people editing a reminder) "
        f"every {plan_every:g} s: {len(rounds)} rounds, median {percentile(round_ms, 50):.0f} ms",
        f"    requests overlapping a round: p50 {percentile(during or [0.0], 50):.1f} ms, "
        f"p99 {p99_during:.1f} ms ({len(during)} requests)",
        f"    requests between rounds: p50 {percentile(between, 50):.1f} ms, "
        f"p99 {p99_between:.1f} ms ({len(between)} requests)",
        f"  p99 during a round / between rounds: {ratio:.2f} (target ≤ 1.20: "
        f"{'met' if ratio <= 1.2 else 'NOT met'})",
    ]
    return "\n".join(lines), ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rate", type=float, default=40.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--plan-every", type=float, default=1.0, help="real seconds per simulated planner minute"
    )
    args = parser.parse_args()
    print(f"load average at the start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with private_cluster() as cluster, tempfile.TemporaryDirectory() as home:
        quiet = {}
        for people in args.people:
            text_, quiet[people] = cpu_per_minute(cluster, people, Path(home))
            print(text_, flush=True)
        largest = max(args.people)
        verdict = "met" if quiet[largest] < 0.5 else "NOT met"
        print(
            f"target: CPU a minute with {largest:,} people and no changes < 0.5 s: "
            f"{quiet[largest]:.3f} s ({verdict})",
            flush=True,
        )
        text_, _ratio = requests_during_planning(
            cluster, Path(home), args.rate, args.seconds, args.plan_every
        )
        print(text_, flush=True)
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
