"""Export benchmark: the CSV zip of a very large account, its seconds and its peak memory.

    .venv/bin/python bench/export.py                 # SQLite and PostgreSQL (when it answers)
    .venv/bin/python bench/export.py sqlite --meals 600

The account is the one an outside probe exported (F10: 3,000 meals of 30 items, 6,000 joint
check-ins), written in bulk into a scratch database (bench/sync.py's). The export goes through
the real app in-process (FastAPI's TestClient, which keeps the whole zip it receives): once
timed, once under tracemalloc for the peak of Python's allocations (tracemalloc slows it down,
so its run is not timed). Built whole in memory, this export took 58 s and grew the server by
550 MB; streamed, its memory is bounded by a batch of rows (portability/csv_export.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sync import scratch_database

from fortify.accounts.service import create_user
from fortify.core import migrations
from fortify.core.config import Settings
from fortify.core.db import make_engine, session_scope
from fortify.demo.generator import large_account
from fortify.demo.service import bulk_write
from fortify.main import create_app

PASSWORD = "export bench password"


def run(backend: str, meals: int, items: int, check_ins: int) -> None:
    with scratch_database(backend) as url, tempfile.TemporaryDirectory() as data_dir:
        migrations.upgrade(url)
        engine = make_engine(url)
        settings = Settings(
            environment="test",
            database_url=url,
            data_dir=Path(data_dir),
            secret_key="bench-" + uuid.uuid4().hex,
            frontend_dist=Path(data_dir) / "none",
            log_level="WARNING",
        )
        app = create_app(settings, engine)
        email = f"export-{uuid.uuid4().hex[:8]}@example.com"
        client = TestClient(app)
        client.__enter__()  # the app's start loads the food catalog the meals refer to
        started = time.perf_counter()
        for session in session_scope(app.state.session_factory):
            user = create_user(session, email, PASSWORD, "Bench")
            entries = large_account(
                meals=meals,
                items_per_meal=items,
                check_ins=check_ins,
                first_day=dt.date.today() - dt.timedelta(days=max(meals // 3, check_ins // 6)),
            )
            bulk_write(session, user, entries)
        print(
            f"{backend}: {meals} meals of {items} items, {check_ins} check-ins "
            f"(written in {time.perf_counter() - started:.0f} s)"
        )
        with client:
            signed_in = client.post(
                "/api/v1/sessions",
                json={"email": email, "password": PASSWORD, "device_name": "bench"},
            )
            headers = {"Authorization": f"Bearer {signed_in.json()['token']}"}
            started = time.perf_counter()
            response = client.get("/api/v1/export/csv", headers=headers)
            seconds = time.perf_counter() - started
            assert response.status_code == 200, response.text[:300]
            tracemalloc.start()
            try:
                again = client.get("/api/v1/export/csv", headers=headers)
                _current, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            assert again.status_code == 200
        print(
            f"  CSV zip: {len(response.content) / 2**20:.1f} MiB in {seconds:.1f} s; "
            f"peak Python memory {peak / 2**20:.1f} MiB (the zip the client keeps included)"
        )
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backends", nargs="*", default=["sqlite", "postgresql"])
    parser.add_argument("--meals", type=int, default=3000)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--check-ins", type=int, default=6000)
    args = parser.parse_args()
    for backend in args.backends:
        try:
            run(backend, args.meals, args.items, args.check_ins)
        except Exception as exc:  # PostgreSQL not answering: say so and go on
            if backend != "postgresql":
                raise
            print(f"postgresql: skipped ({type(exc).__name__}: {exc})")


if __name__ == "__main__":
    main()
