"""A burst of heavy jobs, and another person's plain request meanwhile (probe-attack F4).

    .venv/bin/python bench/heavy_burst.py               # SQLite and PostgreSQL (when it answers)
    .venv/bin/python bench/heavy_burst.py sqlite --meals 5000

Three people with large accounts (`--meals` meals and a quarter as many symptom check-ins
each) fire 15 heavy requests at once (JSON, CSV and FHIR exports, the care-team report as PDF
and HTML, round-robin), their credentials last used over a minute ago (so each one's first
request writes its last use, as after a pause). A fourth person asks for her day report every
0.1 s meanwhile. A real uvicorn server on a scratch database. The outside probe measured the
bystander at 9-22 s and refusals after 5-10 s; the heavy-work gate should refuse at once
(429) and the bystander stay well under a second. tests/portability/test_heavy_work.py holds
the same by order of events; the figures are here, with the bystander's before the burst
(on a busy machine most of its wait is the machine's, not the burst's).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from _server import create_person, percentile, uvicorn_server
from sqlalchemy import create_engine, text
from sync import scratch_database

from fortify.core import migrations

PASSWORD = "bench-Password-42!"
PATHS = (
    "/api/v1/export",
    "/api/v1/export/csv",
    "/api/v1/export/fhir",
    "/api/v1/reports/care-team?from=2025-06-01&to=2025-12-01&format=pdf",
    "/api/v1/reports/care-team?from=2025-06-01&to=2025-12-01&format=html",
)


def document(meals: int) -> dict[str, Any]:
    return {
        "format": "fortify-export",
        "version": 2,
        "exported_at": "2026-12-01T00:00:00Z",
        "meals": [
            {
                "id": str(uuid.uuid4()),
                "eaten_at": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00+01:00",
                "name": f"meal {i}",
                "note": "n" * 200,
            }
            for i in range(meals)
        ],
        "symptoms": [
            {
                "id": str(uuid.uuid4()),
                "measured_at": "2025-11-01T08:00:00Z",
                "worst_pain_0_10": i % 11,
            }
            for i in range(meals // 4)
        ],
    }


def sign_in(base: str, database_url: str, name: str) -> str:
    email = f"{name}-{uuid.uuid4().hex[:6]}@example.com"
    create_person(database_url, email, PASSWORD, name)
    made = httpx.post(
        f"{base}/api/v1/sessions",
        json={"email": email, "password": PASSWORD, "device_name": "bench"},
        timeout=60,
    )
    made.raise_for_status()
    return str(made.json()["token"])


def bench(backend: str, meals: int) -> None:
    with scratch_database(backend) as url, tempfile.TemporaryDirectory() as data_dir:
        migrations.upgrade(url)
        with uvicorn_server(url, Path(data_dir)) as base:
            heavy = [sign_in(base, url, f"heavy{n}") for n in range(3)]
            bystander = sign_in(base, url, "bystander")
            for token in heavy:
                imported = httpx.post(
                    f"{base}/api/v1/import",
                    json=document(meals),
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=600,
                )
                imported.raise_for_status()
            # As after a pause: every credential's next request writes its last use.
            engine = create_engine(url)
            with engine.begin() as connection:
                stale = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
                connection.execute(text("UPDATE auth_sessions SET last_used_at = :t"), {"t": stale})
            engine.dispose()
            quiet = [seconds for _, seconds in poll_for(base, bystander, 3.0)]
            jobs, plain = burst(base, heavy, bystander)
    statuses = Counter(status for status, _ in jobs)
    refusals = [seconds for status, seconds in jobs if status != 200]
    waits = [seconds for _, seconds in plain]
    print(
        f"{backend:<10}  {meals} meals each: jobs {dict(sorted(statuses.items()))}, slowest "
        f"refusal {max(refusals, default=0):.2f} s, slowest job {max(s for _, s in jobs):.1f} s"
    )
    print(
        f"{'':<10}  bystander's day report ({len(waits)} during the burst): median "
        f"{percentile(waits, 50) * 1000:.0f} ms, p95 {percentile(waits, 95) * 1000:.0f} ms, "
        f"worst {max(waits) * 1000:.0f} ms (before the burst: median "
        f"{percentile(quiet, 50) * 1000:.0f} ms, worst {max(quiet) * 1000:.0f} ms)"
    )


def poll_for(base: str, token: str, seconds: float) -> list[tuple[int, float]]:
    """The bystander's day report every 0.1 s for `seconds`, with nothing else running."""
    out, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        answer = httpx.get(
            f"{base}/api/v1/days/2025-11-01", headers={"Authorization": f"Bearer {token}"}
        )
        out.append((answer.status_code, time.perf_counter() - started))
        time.sleep(0.1)
    return out


def burst(
    base: str, heavy: list[str], bystander: str
) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    jobs: list[tuple[int, float]] = []
    plain: list[tuple[int, float]] = []
    running = threading.Event()
    running.set()

    def timed(token: str, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        auth = {"Authorization": f"Bearer {token}"}
        answer = httpx.get(f"{base}{path}", headers=auth, timeout=600)
        return answer.status_code, time.perf_counter() - started

    def poll() -> None:
        while running.is_set():
            plain.append(timed(bystander, "/api/v1/days/2025-11-01"))
            time.sleep(0.1)

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.5)
    threads = [
        threading.Thread(
            target=lambda n=n: jobs.append(timed(heavy[n % len(heavy)], PATHS[n % len(PATHS)]))
        )
        for n in range(15)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    running.clear()
    poller.join()
    return jobs, plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("backends", nargs="*", default=["sqlite", "postgresql"])
    parser.add_argument("--meals", type=int, default=20_000)
    args = parser.parse_args()
    for backend in args.backends:
        bench(backend, args.meals)


if __name__ == "__main__":
    main()
