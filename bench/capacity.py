"""Capacity bench: requests per second by route with wrk, beside `/healthz` and a bare app.

The Python load driver's own ceiling (a few hundred requests a second) hid the server's, so
this bench drives the server with wrk (Debian's `wrk`: C, an event loop per thread, Lua for the
requests): each route gets its own run of `--seconds` with `--connections` open connections,
and every figure is printed beside the same server's `/healthz` and a bare FastAPI app measured
in the same run, with its ratio to `/healthz`. The machine may be busy with other work: ratios
taken within one run hold up far better than absolute figures, and the load average is printed
at the start and the end.

Routes (each person signed in with their own token; the Lua picks one per request):

- pull, nothing new: `GET /sync/pull?cursor=<the person's latest>`;
- day report, unchanged: the same day again (served from the report cache);
- day report, 304: the same with `If-None-Match` (what the PWA sends);
- day report, fresh: a random day of the last year on a server with the cache off;
- food search: a random common word;
- route mix: 55 % pull, 25 % day report (a day of the last week), 10 % search, 10 % push of a
  new dose (which moves the person's version, so later reports are computed afresh); a push
  refused with 429 `one_push_at_a_time` (the same person pushing from two connections at once,
  refused by design: the app sends it again after Retry-After) is counted under "waited", and
  only other answers >= 400 and socket errors under "errors", with their statuses;
- through nginx: the route mix with 1 app process behind the proxy, then 2.

    .venv/bin/python bench/capacity.py [--seconds 10] [--postgres] [--no-proxy]

The paced 200-phone run (errors, p99) is bench/load.py's; docs/scaling.md turns these figures
into people per core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import SERVER_PIDS, cpu_seconds, free_port, uvicorn_server
from sync import scratch_database

from fortify.core import migrations
from fortify.core.db import make_engine, session_factory, session_scope
from fortify.demo.service import create_demo_person

PASSWORD = "capacity bench password"
TODAY = dt.date.today()
SEARCHES = ["milk", "sardines", "kale", "yoghurt", "almonds", "salmon", "tofu", "broccoli"]
# Issue 17's targets, as a share of the same server's /healthz.
TARGETS = {"pull": 0.50, "day_cached": 0.25, "day_fresh": 0.05, "search": 0.15}


@dataclass
class Person:
    token: str
    cursor: str
    etag: str


@dataclass
class Result:
    label: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int  # real failures: answers >= 400 and socket errors, pushes told to wait aside
    requests: int
    cpu_s: float  # the app processes' CPU time during the run
    waited: int = 0  # pushes told to wait (429 `one_push_at_a_time`): by design, not errors
    statuses: dict[int, int] = field(default_factory=dict)  # the failed answers by status

    @property
    def per_core(self) -> float:
        """Requests per second one core would serve: robust to other work on the machine."""
        return self.requests / self.cpu_s if self.cpu_s else 0.0


def keep_to_one_core(pid: int, cpu: int) -> None:
    """Keep every thread of process `pid` (and so each thread it starts later) on core `cpu`."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.sched_setaffinity(int(task.name), {cpu})


def pin(args: argparse.Namespace, pids: list[int]) -> None:
    """With --one-core-per-process, app process i keeps to core i (mod the cores)."""
    if args.one_core_per_process:
        cores = sorted(os.sched_getaffinity(0))
        for i, pid in enumerate(pids):
            keep_to_one_core(pid, cores[i % len(cores)])


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def seed(database_url: str, people: int, days: int) -> list[str]:
    factory = session_factory(make_engine(database_url, pooled=False))
    emails = []
    for n in range(people):
        email = f"capacity-{n}@example.com"
        for session in session_scope(factory):
            create_demo_person(
                session, email=email, password=PASSWORD, days=days, today=TODAY, seed=n
            )
        emails.append(email)
    return emails


def sign_in(base: str, emails: list[str]) -> list[Person]:
    people = []
    day = TODAY - dt.timedelta(days=1)
    with httpx.Client(base_url=base, timeout=30) as client:
        for email in emails:
            answer = client.post("/api/v1/sessions", json={"email": email, "password": PASSWORD})
            answer.raise_for_status()
            headers = {"Authorization": f"Bearer {answer.json()['token']}"}
            cursor = None
            while True:
                page = client.get(
                    "/api/v1/sync/pull",
                    params={"cursor": cursor} if cursor else {},
                    headers=headers,
                )
                page.raise_for_status()
                cursor = page.json()["cursor"]
                if not page.json()["has_more"]:
                    break
            report = client.get(f"/api/v1/days/{day}", headers=headers)  # warms the cache
            report.raise_for_status()
            people.append(Person(answer.json()["token"], cursor, report.headers["etag"]))
    return people


LUA = """
local people = {PEOPLE}
local searches = {SEARCHES}
local route = "{ROUTE}"
local today = {TODAY}  -- days since the epoch
local threads = {}
-- Per thread (read back in done()): pushes told to wait, and the other answers >= 400 by
-- status (the real failures).
waited = 0
failed = {}

function setup(thread)
  thread:set("seed", #threads)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(seed * 7919 + 17)
end

local function day_string(back)
  return os.date("!%Y-%m-%d", (today - back) * 86400)
end

local function hex(n)
  local out = {}
  for i = 1, n do out[i] = string.format("%x", math.random(0, 15)) end
  return table.concat(out)
end

local function uuid4()
  return hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-8" .. hex(3) .. "-" .. hex(12)
end

local function pull(p, h)
  return wrk.format("GET", "/api/v1/sync/pull?cursor=" .. p.cursor, h)
end

local function push(p, h)
  h["Content-Type"] = "application/json"
  local id = uuid4()
  local taken = day_string(1) .. "T08:00:00+00:00"
  local body = '{"device_id":"wrk","operations":[{"op_id":"' .. id .. '","entity":"doses",'
    .. '"id":"' .. id .. '","kind":"upsert","fields":{"taken_at":"' .. taken .. '",'
    .. '"kind":"supplement","form":"calcium_citrate","units":1,'
    .. '"nutrients":{"calcium_mg":400},"servings":{}}}]}'
  return wrk.format("POST", "/api/v1/sync/push", h, body)
end

function request()
  local p = people[math.random(#people)]
  local h = { Authorization = "Bearer " .. p.token }
  if route == "healthz" then
    return wrk.format("GET", "/healthz")
  elseif route == "pull" then
    return pull(p, h)
  elseif route == "day_cached" then
    return wrk.format("GET", "/api/v1/days/" .. day_string(1), h)
  elseif route == "day_304" then
    h["If-None-Match"] = p.etag
    return wrk.format("GET", "/api/v1/days/" .. day_string(1), h)
  elseif route == "day_fresh" then
    return wrk.format("GET", "/api/v1/days/" .. day_string(math.random(1, 365)), h)
  elseif route == "search" then
    return wrk.format("GET", "/api/v1/foods?q=" .. searches[math.random(#searches)], h)
  else  -- the route mix
    local roll = math.random(100)
    if roll <= 55 then
      return pull(p, h)
    elseif roll <= 80 then
      return wrk.format("GET", "/api/v1/days/" .. day_string(math.random(1, 7)), h)
    elseif roll <= 90 then
      return wrk.format("GET", "/api/v1/foods?q=" .. searches[math.random(#searches)], h)
    else
      return push(p, h)
    end
  end
end

-- wrk counts every answer >= 400 as an error; a push refused with 429 `one_push_at_a_time`
-- (the same person pushing twice at once, which the server refuses by design and the app sends
-- again after Retry-After) is counted apart, as bench/load.py does.
function response(status, headers, body)
  if status == 429 and body:find("one_push_at_a_time", 1, true) then
    waited = waited + 1
  elseif status >= 400 then
    failed[status] = (failed[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local told_to_wait, failures, statuses = 0, e.connect + e.read + e.write + e.timeout, {}
  for _, thread in ipairs(threads) do
    told_to_wait = told_to_wait + thread:get("waited")
    for status, n in pairs(thread:get("failed")) do
      failures = failures + n
      statuses[status] = (statuses[status] or 0) + n
    end
  end
  for status, n in pairs(statuses) do
    io.write(string.format("STATUS %d %d\\n", status, n))
  end
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), failures, told_to_wait))
end
"""


def lua(route: str, people: list[Person]) -> str:
    rows = ",".join(
        f"{{token={json.dumps(p.token)},cursor={json.dumps(p.cursor)},etag={json.dumps(p.etag)}}}"
        for p in people
    )
    return (
        LUA.replace("{PEOPLE}", "{" + rows + "}")
        .replace("{SEARCHES}", "{" + ",".join(json.dumps(s) for s in SEARCHES) + "}")
        .replace("{ROUTE}", route)
        .replace("{TODAY}", str((TODAY - dt.date(1970, 1, 1)).days))
    )


def wrk(
    base: str,
    route: str,
    label: str,
    people: list[Person],
    args: argparse.Namespace,
    pids: list[int] | None = None,
) -> Result:
    """One wrk run; `pids` are the app processes behind `base` (default: its own server)."""
    pids = pids if pids is not None else [SERVER_PIDS[base]]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua(route, people))
    try:
        command = [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.seconds}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            base,
        ]
        cpu_before = sum(cpu_seconds(pid) for pid in pids)
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
    finally:
        os.unlink(script.name)
    lines = output.splitlines()
    line = next(x for x in lines if x.startswith("RESULT "))
    requests, duration_us, p50_us, p99_us, errors, waited = (int(x) for x in line.split()[1:])
    statuses = dict(
        (int(x.split()[1]), int(x.split()[2])) for x in lines if x.startswith("STATUS ")
    )
    return Result(
        label,
        requests / (duration_us / 1e6),
        p50_us / 1000,
        p99_us / 1000,
        errors,
        requests,
        cpu,
        waited,
        statuses,
    )


@contextmanager
def nginx(upstreams: list[str]) -> Iterator[str]:
    """nginx on a free port in front of `upstreams` (keep-alive to each, round robin)."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="fortify-nginx-"))
    servers = "\n".join(f"    server {u.removeprefix('http://')};" for u in upstreams)
    (folder / "nginx.conf").write_text(
        textwrap.dedent(
            """\
            worker_processes 1;
            daemon off;
            pid {folder}/nginx.pid;
            error_log {folder}/error.log warn;
            events {{ worker_connections 4096; }}
            http {{
              access_log off;
              client_body_temp_path {folder}/body;
              proxy_temp_path {folder}/proxy;
              fastcgi_temp_path {folder}/fastcgi;
              uwsgi_temp_path {folder}/uwsgi;
              scgi_temp_path {folder}/scgi;
              upstream fortify {{
            {servers}
                keepalive 64;
              }}
              server {{
                listen 127.0.0.1:{port};
                location / {{
                  proxy_pass http://fortify;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $host;
                }}
              }}
            }}
            """
        ).format(folder=folder, servers=servers, port=port)
    )
    process = subprocess.Popen(["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf")])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def table(results: list[Result], ceiling: Result) -> list[str]:
    """Each route beside /healthz: by wall-clock throughput (what wrk saw, which other work on
    the machine disturbs) and by the server's CPU time per request (which it barely does); the
    targets are judged on the second."""
    lines = [
        f"  {'route':<36} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'waited':>6} "
        f"{'÷healthz':>8} {'CPU ms':>7} {'per core':>8} {'÷healthz':>8}  target (CPU ratio)",
    ]
    for r in results:
        target = TARGETS.get(r.label.split(" ")[0])
        wall = r.requests_per_s / ceiling.requests_per_s if ceiling.requests_per_s else 0.0
        cpu = r.per_core / ceiling.per_core if ceiling.per_core else 0.0
        verdict = ""
        if target is not None:
            verdict = f"≥ {target:.0%}: {'met' if cpu >= target else 'NOT met'}"
        cpu_ms = 1000 * r.cpu_s / r.requests if r.requests else 0.0
        lines.append(
            f"  {r.label:<36} {r.requests_per_s:>7.0f} {r.p50_ms:>7.1f} {r.p99_ms:>7.1f} "
            f"{r.errors:>6} {r.waited:>6} {wall:>8.1%} {cpu_ms:>7.2f} {r.per_core:>8.0f} "
            f"{cpu:>8.1%}  {verdict}"
        )
        if r.statuses:
            by_status = ", ".join(f"{status}: {n}" for status, n in sorted(r.statuses.items()))
            lines.append(f"    failed answers: {by_status}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--people", type=int, default=4)
    parser.add_argument("--days", type=int, default=365, help="history per person")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--no-proxy", action="store_true", help="skip the nginx runs")
    parser.add_argument("--max-in-flight", type=int, default=None, help="FORTIFY_MAX_IN_FLIGHT")
    parser.add_argument(
        "--one-core-per-process",
        action="store_true",
        help="keep each app process on one core (taskset): its worker threads and event loop "
        "then stop handing the GIL across cores",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    backend = "postgresql" if args.postgres else "sqlite"
    env = {} if args.max_in_flight is None else {"FORTIFY_MAX_IN_FLIGHT": str(args.max_in_flight)}
    print(f"load average at the start: {load_average()}")
    if args.one_core_per_process:
        print("each app process kept to one core (--one-core-per-process)")
    with scratch_database(backend) as url, tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        migrations.upgrade(url)
        started = time.perf_counter()
        emails = seed(url, args.people, args.days)
        print(
            f"{backend}: {args.people} people with {args.days} days of demo history "
            f"(seeded in {time.perf_counter() - started:.0f} s); wrk -t{args.threads} "
            f"-c{args.connections} -d{args.seconds}s per route; 1 app process"
        )
        results: list[Result] = []
        with ExitStack() as stack:
            bare = stack.enter_context(uvicorn_server(url, data_dir, app="bench._bare:create_app"))
            base = stack.enter_context(uvicorn_server(url, data_dir, env=env))
            pin(args, [SERVER_PIDS[bare], SERVER_PIDS[base]])
            people = sign_in(base, emails)
            for route, label in [
                ("healthz", "/healthz"),
                ("pull", "pull (nothing new)"),
                ("day_cached", "day_cached (day report, unchanged)"),
                ("day_304", "day report, If-None-Match → 304"),
                ("search", "search (food search)"),
                ("mix", "route mix"),
            ]:
                results.append(wrk(base, route, label, people, args))
            results.insert(1, wrk(bare, "healthz", "bare FastAPI app", people, args))
            stack.close()
        fresh_env = env | {"FORTIFY_REPORT_CACHE_ENTRIES": "0"}
        with uvicorn_server(url, data_dir, env=fresh_env) as base:
            pin(args, [SERVER_PIDS[base]])
            people = sign_in(base, emails)
            results.append(wrk(base, "healthz", "/healthz (report cache off)", people, args))
            results.append(wrk(base, "day_fresh", "day_fresh (day report, computed)", people, args))
        ceiling = results[0]
        # The computed report is judged against its own server's /healthz (the one with the
        # report cache off), measured just before it: the same server, as the target says.
        *first, fresh_ceiling, fresh = results
        for line in table(first, ceiling):
            print(line)
        for line in table([fresh_ceiling, fresh], fresh_ceiling)[1:]:
            print(line)
        bare_ratio = results[1].requests_per_s / ceiling.requests_per_s
        print(f"  bare FastAPI ÷ our /healthz: {bare_ratio:.2f}")
        if not args.no_proxy and shutil.which("nginx"):
            print("through nginx (keep-alive upstreams), route mix:")
            mixes = []
            for processes in (1, 2):
                with ExitStack() as stack:
                    upstreams = [
                        stack.enter_context(uvicorn_server(url, data_dir, env=env))
                        for _ in range(processes)
                    ]
                    proxy = stack.enter_context(nginx(upstreams))
                    pids = [SERVER_PIDS[u] for u in upstreams]
                    pin(args, pids)
                    people = sign_in(proxy, emails)
                    label = f"{processes} process{'es' if processes > 1 else ''}"
                    health = wrk(proxy, "healthz", f"/healthz, {label}", people, args, pids)
                    mix = wrk(proxy, "mix", f"route mix, {label}", people, args, pids)
                    mixes.append(mix)
                    for line in table([health, mix], health)[1:]:
                        print(line)
            ratio = mixes[1].requests_per_s / mixes[0].requests_per_s
            print(f"  2 processes / 1 on the route mix: {ratio:.2f} times (target ≥ 1.6)")
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
