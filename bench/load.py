"""Load bench: 200 phones against a real uvicorn, with capacity, a no-op ceiling and a fault run.

A simulated phone does what the app does: one of a sync push of three new records (meals and
doses), a sync pull from its own cursor, a day report for a recent day, or a food search; then
the person reads the screen for a while (`--think`, 2 to 8 s by default) before the next one.
Phones start at random moments within the first think time and share people four to one (a
person with four devices). Latencies of this paced run are the ones the target (p99 under
200 ms on PostgreSQL with 2 workers) is about.

Each configuration then measures capacity: the same phones with no think time for a shorter run
(a closed loop of 200 requests always in flight: throughput at saturation, and the queueing
latency that goes with it). The same server then answers `/healthz` under that concurrency: that
no-op ceiling is what the machine, uvicorn and this driver can do at all, and capacity's ratio
to it is our overhead.

    .venv/bin/python bench/load.py                       # SQLite 1 worker, PostgreSQL 1 and 2
    .venv/bin/python bench/load.py --phones 50 --seconds 20 --only sqlite
    .venv/bin/python bench/load.py --fault               # also: restart PostgreSQL mid-load

The fault run serves from a private PostgreSQL server of its own (bench/_pg.py: restarting the
machine's shared one would cut off everyone else), restarts it in fast mode a third of the way
into a paced run, then checks that every write the server acknowledged (`applied` in a push
answer) is in the database. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from _pg import PrivateCluster, private_cluster
from _server import create_person, percentile, uvicorn_server
from sqlalchemy import bindparam, create_engine, text
from sync import ops, scratch_database

from fortify.core import migrations

PASSWORD = "load bench password"
SEARCHES = ["milk", "sardines", "kale", "yoghurt", "almonds", "salmon", "tofu", "broccoli"]
TODAY = dt.date.today()


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    acknowledged: list[tuple[str, str]] = field(default_factory=list)  # (entity, id)
    error_times: list[float] = field(default_factory=list)  # time.monotonic() of each error
    # Pushes told to wait (429: another device of the same person was pushing; the app sends
    # them again after Retry-After): not errors, but counted.
    waited: int = 0

    def record(self, kind: str, seconds: float, ok: bool) -> None:
        self.latencies.setdefault(kind, []).append(seconds * 1000)
        if not ok:
            self.errors[kind] = self.errors.get(kind, 0) + 1
            self.error_times.append(time.monotonic())

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


@dataclass
class Phone:
    token: str
    device: str
    cursor: str | None = None


def _meal_op() -> tuple[str, dict[str, Any]]:
    at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=random.randint(0, 60 * 24 * 7))
    fields = {
        "eaten_at": at.isoformat(),
        "name": "Lunch",
        "items": [{"food_name": "Sardines", "grams": 90, "nutrients": {"calcium_mg": 340}}],
    }
    return "meals", fields


def _dose_op() -> tuple[str, dict[str, Any]]:
    at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=random.randint(0, 60 * 24 * 7))
    fields = {
        "taken_at": at.isoformat(),
        "units": 1,
        "kind": "supplement",
        "nutrients": {"calcium_mg": 400},
    }
    return "doses", fields


async def _timed(stats: Stats, kind: str, call: Any) -> httpx.Response | None:
    start = time.perf_counter()
    try:
        response: httpx.Response = await call
    except httpx.HTTPError:
        stats.record(kind, time.perf_counter() - start, ok=False)
        return None
    if kind == "push" and response.status_code == 429:
        stats.waited += 1
    ok = response.status_code < 400 or (kind == "push" and response.status_code == 429)
    stats.record(kind, time.perf_counter() - start, ok=ok)
    return response


async def _phone_loop(
    http: httpx.AsyncClient, phone: Phone, until: float, stats: Stats, think: tuple[float, float]
) -> None:
    headers = {"Authorization": f"Bearer {phone.token}"}
    if think[1] > 0:
        await asyncio.sleep(random.uniform(0, think[1]))
    while time.monotonic() < until:
        pick = random.random()
        if pick < 0.30:
            operations = ops([random.choice((_meal_op, _dose_op))() for _ in range(3)])
            body = {"device_id": phone.device, "operations": operations}
            response = await _timed(
                stats, "push", http.post("/api/v1/sync/push", json=body, headers=headers)
            )
            if response is not None and response.status_code == 200:
                by_op = {op["op_id"]: op for op in operations}
                for result in response.json()["results"]:
                    if result["status"] == "applied":
                        op = by_op[result["op_id"]]
                        stats.acknowledged.append((op["entity"], op["id"]))
        elif pick < 0.55:
            params = {"cursor": phone.cursor} if phone.cursor else {}
            response = await _timed(
                stats, "pull", http.get("/api/v1/sync/pull", params=params, headers=headers)
            )
            if response is not None and response.status_code == 200:
                phone.cursor = response.json()["cursor"]
        elif pick < 0.80:
            day = TODAY - dt.timedelta(days=random.randint(0, 29))
            await _timed(stats, "day", http.get(f"/api/v1/days/{day}", headers=headers))
        else:
            query = {"q": random.choice(SEARCHES)}
            await _timed(stats, "search", http.get("/api/v1/foods", params=query, headers=headers))
        if think[1] > 0:
            await asyncio.sleep(min(random.uniform(*think), max(0.0, until - time.monotonic())))


async def _noop_loop(http: httpx.AsyncClient, until: float, stats: Stats) -> None:
    while time.monotonic() < until:
        await _timed(stats, "healthz", http.get("/healthz"))


async def _sign_up(
    http: httpx.AsyncClient, n: int, gate: asyncio.Semaphore, database_url: str
) -> str:
    email = f"load-{n}-{uuid.uuid4().hex[:6]}@example.com"
    async with gate:
        await asyncio.to_thread(create_person, database_url, email, PASSWORD, "L")
        session = await http.post(
            "/api/v1/sessions", json={"email": email, "password": PASSWORD, "device_name": "load"}
        )
        session.raise_for_status()
    return str(session.json()["token"])


@dataclass
class Outcome:
    paced: Stats
    paced_seconds: float
    saturated: Stats
    saturated_seconds: float
    ceiling: Stats
    ceiling_seconds: float
    restarted_at: float | None = None  # fault run: when PostgreSQL answered again


async def _fleet_run(
    fleet: list[Phone], http: httpx.AsyncClient, seconds: float, think: tuple[float, float]
) -> tuple[Stats, float]:
    stats = Stats()
    start = time.monotonic()
    until = start + seconds
    await asyncio.gather(*(_phone_loop(http, phone, until, stats, think) for phone in fleet))
    return stats, time.monotonic() - start


async def _run(
    base: str, args: argparse.Namespace, fault: PrivateCluster | None, database_url: str
) -> Outcome:
    phones, seconds = args.phones, args.seconds
    limits = httpx.Limits(max_connections=phones, max_keepalive_connections=phones)
    timeout = httpx.Timeout(30.0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as http:
        people = max(1, phones // 4)
        gate = asyncio.Semaphore(8)
        tokens = await asyncio.gather(
            *(_sign_up(http, n, gate, database_url) for n in range(people))
        )
        fleet = [Phone(tokens[n % people], f"phone-{n}") for n in range(phones)]
        restart = None
        if fault is not None:
            restart = asyncio.get_running_loop().run_in_executor(
                None, _restart_after, fault, seconds / 3
            )
        paced, paced_seconds = await _fleet_run(fleet, http, seconds, args.think)
        back_at = None
        if restart is not None:
            back_at = await restart
        saturated, saturated_seconds = Stats(), 0.0
        if fault is None and args.capacity_seconds > 0:
            saturated, saturated_seconds = await _fleet_run(
                fleet, http, args.capacity_seconds, (0.0, 0.0)
            )
        ceiling = Stats()
        noop_seconds = min(seconds, 10.0)
        noop_start = time.monotonic()
        noop_until = noop_start + noop_seconds
        await asyncio.gather(*(_noop_loop(http, noop_until, ceiling) for _ in range(phones)))
        noop_elapsed = time.monotonic() - noop_start
    return Outcome(
        paced, paced_seconds, saturated, saturated_seconds, ceiling, noop_elapsed, back_at
    )


def _restart_after(cluster: PrivateCluster, delay: float) -> float:
    """Restart PostgreSQL after `delay` s; returns when (time.monotonic()) it answered again."""
    time.sleep(delay)
    cluster.restart()
    return time.monotonic()


def _missing(database_url: str, acknowledged: list[tuple[str, str]]) -> int:
    engine = create_engine(database_url)
    missing = 0
    try:
        with engine.connect() as connection:
            for entity in {e for e, _ in acknowledged}:
                ids = [i for e, i in acknowledged if e == entity]
                found: set[str] = set()
                for start in range(0, len(ids), 1000):
                    chunk = ids[start : start + 1000]
                    query = text(f"SELECT CAST(id AS TEXT) FROM {entity} WHERE id IN :ids")
                    rows = connection.execute(
                        query.bindparams(bindparam("ids", expanding=True)),
                        {"ids": [uuid.UUID(i) for i in chunk]},
                    ).scalars()
                    found.update(str(r).replace("-", "") for r in rows)
                missing += sum(1 for i in ids if i.replace("-", "") not in found)
    finally:
        engine.dispose()
    return missing


def _figures(stats: Stats, elapsed: float) -> str:
    every = [x for v in stats.latencies.values() for x in v]
    if not every:
        return "no requests"
    return " | ".join(
        [
            f"{stats.total / elapsed:,.0f} req/s",
            f"p50 {percentile(every, 50):.1f} ms",
            f"p95 {percentile(every, 95):.1f} ms",
            f"p99 {percentile(every, 99):.1f} ms",
            f"errors {stats.error_count}/{stats.total}",
            f"pushes told to wait {stats.waited}",
        ]
    )


def _by_kind(stats: Stats) -> str:
    return ", ".join(
        f"{k} p99 {percentile(v, 99):.0f} ms ({len(v)})" for k, v in sorted(stats.latencies.items())
    )


def _report(label: str, outcome: Outcome, think: tuple[float, float]) -> str:
    lines = [
        f"{label}, think {think[0]:g}-{think[1]:g} s: "
        + _figures(outcome.paced, outcome.paced_seconds),
        f"    by kind: {_by_kind(outcome.paced)}",
    ]
    noop_rps = outcome.ceiling.total / outcome.ceiling_seconds
    if outcome.saturated.total:
        capacity = outcome.saturated.total / outcome.saturated_seconds
        lines.append(
            f"    capacity (no think time, {outcome.saturated_seconds:.0f} s): "
            + _figures(outcome.saturated, outcome.saturated_seconds)
        )
        lines.append(
            f"    ceiling /healthz {noop_rps:,.0f} req/s; "
            f"capacity = {capacity / noop_rps:.0%} of it"
        )
    else:
        lines.append(f"    ceiling /healthz {noop_rps:,.0f} req/s")
    return "\n".join(lines)


def run_config(backend: str, workers: int, args: argparse.Namespace) -> str:
    with scratch_database(backend) as url, tempfile.TemporaryDirectory() as home:
        migrations.upgrade(url)
        with uvicorn_server(url, Path(home), workers=workers) as base:
            outcome = asyncio.run(_run(base, args, None, url))
    label = f"{backend}, {workers} worker{'s' if workers > 1 else ''}, {args.phones} phones"
    return _report(label, outcome, args.think)


def run_fault(args: argparse.Namespace) -> str:
    with private_cluster() as cluster, tempfile.TemporaryDirectory() as home:
        migrations.upgrade(cluster.url)
        with uvicorn_server(cluster.url, Path(home), workers=1) as base:
            outcome = asyncio.run(_run(base, args, cluster, cluster.url))
        stats = outcome.paced
        missing = _missing(cluster.url, stats.acknowledged)
    label = f"postgresql, 1 worker, {args.phones} phones"
    back = outcome.restarted_at or 0.0
    late = [t - back for t in stats.error_times if t > back]
    recovery = (
        f"{len(late)} error(s) after PostgreSQL was back, the last {max(late):.1f} s after"
        if late
        else "no error once PostgreSQL was back"
    )
    return (
        f"FAULT (PostgreSQL restarted at {args.seconds / 3:.0f} s) "
        f"{_report(label, outcome, args.think)}\n"
        f"    recovery: {recovery}; errors while it restarted: "
        f"{len(stats.error_times) - len(late)}\n"
        f"    acknowledged writes: {len(stats.acknowledged)}, missing afterwards: {missing}"
    )


def _think(text: str) -> tuple[float, float]:
    low, _, high = text.partition(",")
    bounds = (float(low), float(high or low))
    if not 0 <= bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError("MIN,MAX with 0 <= MIN <= MAX")
    return bounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--think",
        type=_think,
        default=(2.0, 8.0),
        help="seconds a phone waits between actions, MIN,MAX (default 2,8; 0,0 = no pause)",
    )
    parser.add_argument(
        "--capacity-seconds", type=float, default=20.0, help="no-think-time run (0 to skip)"
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument("--fault", action="store_true", help="also restart PostgreSQL mid-load")
    args = parser.parse_args()
    os.environ.setdefault("FORTIFY_SECRET_KEY", "load-bench-" + uuid.uuid4().hex)
    os.environ["FORTIFY_RUN_WORKER"] = "false"
    print(
        f"load: {args.phones} phones for {args.seconds:.0f} s per configuration, each pausing "
        f"{args.think[0]:g}-{args.think[1]:g} s between actions (loopback)"
    )
    configs = [("sqlite", 1), ("postgresql", 1), ("postgresql", 2)]
    for backend, workers in configs:
        if args.only and backend != args.only:
            continue
        print(run_config(backend, workers, args), flush=True)
    if args.fault and args.only != "sqlite":
        print(run_fault(args), flush=True)


if __name__ == "__main__":
    main()
