"""Benchmark: GET /api/v1/days/{date} over HTTP for people with 1 and 5 years of history.

Seeds a fresh SQLite database with the demo generator in its busy mode (about 30 entries a
day), starts uvicorn on 127.0.0.1, and times at least 500 requests per person for random days of
the last year. The statement count per request is measured in-process on the same database
with an SQLAlchemy cursor hook. Target (issue 3): p99 under 25 ms on SQLite, and the same
statement count for 1 and 5 years of history.

    .venv/bin/python bench/day_report.py [--requests 500]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import percentile, uvicorn_server

from fortify.core import migrations
from fortify.core.config import Settings
from fortify.core.db import make_engine, session_factory, session_scope
from fortify.demo.service import create_demo_person
from fortify.main import create_app

PASSWORD = "bench password"
TODAY = dt.date.today()


def seed(database_url: str, years: int) -> tuple[str, int, float]:
    email = f"bench-{years}y@example.com"
    started = time.perf_counter()
    factory = session_factory(make_engine(database_url))
    for session in session_scope(factory):
        _user, counts = create_demo_person(
            session,
            email=email,
            password=PASSWORD,
            days=365 * years,
            today=TODAY,
            seed=years,
            busy=True,
        )
    return email, sum(counts.values()), time.perf_counter() - started


def statements_per_request(database_url: str, data_dir: Path, email: str) -> list[int]:
    engine = make_engine(database_url)
    count = {"n": 0}

    def on_execute(*_args: Any) -> None:
        count["n"] += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    app = create_app(Settings(database_url=database_url, data_dir=data_dir), engine)
    client = TestClient(app)
    token = client.post("/api/v1/sessions", json={"email": email, "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    counts = []
    for back in (0, 30, 200):
        count["n"] = 0
        day = TODAY - dt.timedelta(days=back)
        assert client.get(f"/api/v1/days/{day}", headers=headers).status_code == 200
        counts.append(count["n"])
    return counts


def time_requests(base: str, email: str, requests: int) -> list[float]:
    rng = random.Random(1)
    with httpx.Client(base_url=base, timeout=10) as client:
        token = client.post("/api/v1/sessions", json={"email": email, "password": PASSWORD})
        client.headers["Authorization"] = f"Bearer {token.json()['token']}"
        for _ in range(20):  # warm up
            client.get(f"/api/v1/days/{TODAY}")
        samples = []
        for _ in range(requests):
            day = TODAY - dt.timedelta(days=rng.randrange(365))
            started = time.perf_counter()
            response = client.get(f"/api/v1/days/{day}")
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        url = f"sqlite:///{data_dir / 'bench.db'}"
        migrations.upgrade(url)
        people = {}
        for years in (1, 5):
            email, entries, seconds = seed(url, years)
            people[years] = email
            print(
                f"seeded {years} year(s): {entries} entries "
                f"({entries / (365 * years):.1f} a day) in {seconds:.1f} s"
            )
        print(f"GET /api/v1/days/{{date}} over HTTP, SQLite, {args.requests} requests each")
        with uvicorn_server(url, data_dir) as base:
            for years, email in people.items():
                samples = time_requests(base, email, args.requests)
                statements = statements_per_request(url, data_dir, email)
                print(
                    f"  {years} year(s): p50 {percentile(samples, 50):.1f} ms, "
                    f"p95 {percentile(samples, 95):.1f} ms, p99 {percentile(samples, 99):.1f} ms, "
                    f"SQL statements per request {statements}"
                )


if __name__ == "__main__":
    main()
