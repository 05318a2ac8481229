"""Import benchmark: the JSON import of a file of 5,000 own foods and 5,000 meals, its seconds.

    .venv/bin/python bench/import_file.py                 # SQLite and PostgreSQL (when it answers)
    .venv/bin/python bench/import_file.py sqlite --foods 5000 --meals 5000 --profile

The file is the one an outside probe sent (F2: 1.5 MB, 5,000 own foods and 5,000 one-item
meals); it took 64.7 s on SQLite and, with SQLite's one writer held by its transaction, other
people's writes failed with 503. The import goes through the real app in-process (FastAPI's
TestClient) into a fresh account of a scratch database; `--profile` prints cProfile's top
entries by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sync import scratch_database

from fortify.accounts.service import create_user
from fortify.core import migrations
from fortify.core.config import Settings
from fortify.core.db import make_engine, session_scope
from fortify.main import create_app
from fortify.portability import sections, service
from fortify.portability.sections import ImportContext
from tests.factories import export_document

PASSWORD = "import bench password"


class _WriterHolds:
    """The seconds from each batch's change-number UPDATE (on SQLite it takes the one writer)
    to its commit, measured by wrapping the two (the sleep after the commit left out)."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self._taken: float | None = None
        self._reserve = sections._reserve_versions
        self._commit = ImportContext.batch_done

        def reserve(ctx: ImportContext, count: int) -> int:
            self._taken = time.perf_counter()
            return self._reserve(ctx, count)

        def batch_done(ctx: ImportContext) -> None:
            real_commit = ctx.commit

            def commit() -> None:
                assert real_commit is not None
                real_commit()
                if self._taken is not None:
                    self.seconds.append(time.perf_counter() - self._taken)
                    self._taken = None

            ctx.commit = commit if real_commit is not None else None
            try:
                self._commit(ctx)
            finally:
                ctx.commit = real_commit

        sections._reserve_versions = reserve
        ImportContext.batch_done = batch_done  # type: ignore[method-assign, assignment]

    def close(self) -> None:
        sections._reserve_versions = self._reserve
        ImportContext.batch_done = self._commit  # type: ignore[method-assign]


def run(backend: str, foods: int, meals: int, profile: bool) -> None:
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
        email = f"import-{uuid.uuid4().hex[:8]}@example.com"
        for session in session_scope(app.state.session_factory):
            create_user(session, email, PASSWORD, "Bench")
        body = export_document(foods, meals)
        with TestClient(app) as client:
            signed_in = client.post(
                "/api/v1/sessions",
                json={"email": email, "password": PASSWORD, "device_name": "bench"},
            )
            headers = {"Authorization": f"Bearer {signed_in.json()['token']}"}
            profiler = cProfile.Profile() if profile else None
            if profiler is not None:
                # The import runs on a worker thread: profile the service call there.
                real = service.import_document

                def profiled(*args: Any, **kwargs: Any) -> dict[str, Any]:
                    assert profiler is not None
                    return profiler.runcall(real, *args, **kwargs)

                service.import_document = profiled
            holds = _WriterHolds()
            started = time.perf_counter()
            try:
                response = client.post("/api/v1/import", json=body, headers=headers)
            finally:
                holds.close()
                if profiler is not None:
                    service.import_document = real
            seconds = time.perf_counter() - started
            assert response.status_code == 200, response.text[:300]
        load = os.getloadavg()[0]
        print(
            f"{backend}: {foods} own foods + {meals} meals imported in {seconds:.1f} s "
            f"(load average {load:.1f}); longest batch from its change numbers to its commit "
            f"(on SQLite, the writer held): {max(holds.seconds, default=0):.2f} s of "
            f"{len(holds.seconds)} batches"
        )
        if profiler is not None:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backends", nargs="*", default=["sqlite", "postgresql"])
    parser.add_argument("--foods", type=int, default=5000)
    parser.add_argument("--meals", type=int, default=5000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    for backend in args.backends:
        try:
            run(backend, args.foods, args.meals, args.profile)
        except Exception as exc:  # PostgreSQL not answering: say so and go on
            if backend != "postgresql":
                raise
            print(f"postgresql: skipped ({type(exc).__name__}: {exc})")


if __name__ == "__main__":
    main()
