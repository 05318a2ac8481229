"""Run every benchmark and write docs/benchmarks.md: the figures, the machine and the date.

Each bench runs as its own subprocess (as `make bench` always ran them), its output is kept
verbatim under its heading, and a failing bench is reported as failed rather than stopping the
others. The load bench runs with its defaults (200 phones, 60 s per configuration) unless
`--quick` is given, and always with its fault run (on a private PostgreSQL server of its own).

    .venv/bin/python bench/report.py [--quick] [--out docs/benchmarks.md] [--only TITLE ...]

`--only` re-runs the benches whose titles contain TITLE (case-insensitive, e.g. `--only
"capacity, postgresql"`) and replaces just their sections in the existing file, each marked
with the date it was re-run and the load average then: a change that moves one figure is
measured again without the other 20 minutes of benches.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _machine() -> list[str]:
    cpu = platform.processor() or "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    return [
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {cpu}, {os.cpu_count()} logical CPUs (nproc)",
        f"- memory: {memory}",
        f"- OS: {platform.platform()}; Python {platform.python_version()}",
        f"- load average when the report started: {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
    ]


def _run(title: str, command: list[str], cwd: Path) -> list[str]:
    print(f"== {title}: {' '.join(command)}", flush=True)
    start = time.monotonic()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    took = time.monotonic() - start
    output = (result.stdout.strip() or "(no output)").replace("```", "'''")
    print(output, flush=True)
    status = "" if result.returncode == 0 else f" — **failed** (exit {result.returncode})"
    loads = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [f"## {title}{status}", "", f"`{' '.join(command)}` ({took:.0f} s)", ""]
    lines += [f"Load average when it ended: {loads} ({os.cpu_count()} CPUs).", "", "```"]
    lines += [output, "```", ""]
    if result.returncode != 0:
        lines += ["```", result.stderr.strip()[-3000:].replace("```", "'''"), "```", ""]
    return lines


def _sections(text: str) -> list[tuple[str, list[str]]]:
    """The file as (title, lines) by its `## ` headings, the part before the first as ""."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.split("\n"):
        if line.startswith("## "):
            sections.append((line[3:].split(" — ")[0], []))
        sections[-1][1].append(line)
    return sections


def _replace(out: Path, runs: Sequence[tuple[str, list[str]]]) -> None:
    """Put each re-run section in place of the old one with the same title (appended if none)."""
    sections = _sections(out.read_text())
    for title, lines in runs:
        when = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
        note = f"Re-run alone (`--only`) on {when}, not with the run the Machine section dates."
        fresh = [*lines[:2], note, "", *lines[2:]]
        at = next((i for i, (name, _) in enumerate(sections) if name == title), None)
        if at is None:
            sections.append((title, fresh))
        else:
            sections[at] = (title, fresh)
    out.write_text("\n".join(line for _, lines in sections for line in lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short load run (50 phones, 15 s)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TITLE",
        help="re-run only the benches whose titles contain this; replace their sections",
    )
    args = parser.parse_args()
    python = sys.executable
    load = [python, "bench/load.py"] + (["--phones", "50", "--seconds", "15"] if args.quick else [])
    capacity = ["--seconds", "5"] if args.quick else []
    planner = [python, "bench/planner.py"] + (["--seconds", "10"] if args.quick else [])
    benches = [
        ("Day report", [python, "bench/day_report.py"], ROOT),
        ("Food search", [python, "bench/food_search.py"], ROOT),
        ("Food search on the phone", ["node", "../bench/food_search_phone.mjs"], ROOT / "frontend"),
        ("Sync", [python, "bench/sync.py"], ROOT),
        ("Export", [python, "bench/export.py"], ROOT),
        ("Load", [*load, "--fault"], ROOT),
        ("Capacity, SQLite", [python, "bench/capacity.py", *capacity], ROOT),
        ("Capacity, PostgreSQL", [python, "bench/capacity.py", "--postgres", *capacity], ROOT),
        ("Planner", planner, ROOT),
        ("Frontend", ["npm", "run", "--silent", "bench"], ROOT / "frontend"),
    ]
    if args.only:
        wanted = [b for b in benches if any(o.lower() in b[0].lower() for o in args.only)]
        if not wanted or not args.out.exists():
            parser.error(f"--only {args.only}: no such bench, or no {args.out} to update")
        _replace(args.out, [(title, _run(title, command, cwd)) for title, command, cwd in wanted])
        print(f"updated: {args.out}")
        return
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/report.py`); do not edit by hand. Figures are from one",
        "run on the machine below; compare runs on the same machine only.",
        "",
        "## Targets",
        "",
        "| bench | what it measures | target on this machine |",
        "|---|---|---|",
        "| Day report | `GET /api/v1/days/{date}` over HTTP, 1 and 5 years of about 30 entries"
        " a day, SQLite | p99 < 25 ms; the same SQL statement count for 1 and 5 years |",
        "| Food search | 1,000 mixed queries over HTTP, full USDA set, SQLite | p99 < 30 ms |",
        "| Food search on the phone | the meal screen in headless Chromium, online: last"
        " keystroke to the server's results on screen (60 ms debounce included); also prints"
        " `fortify migrate`'s USDA pack load time | p95 < 150 ms |",
        "| Sync | a 500-change push and a full pull of one year (about 11,000 rows), SQLite"
        " and PostgreSQL | push < 500 ms, pull < 1 s |",
        "| Load | 200 phones for 60 s (each pausing 2-8 s between actions, as a person"
        " reading the screen does), then capacity with no pauses and a no-op ceiling"
        " | PostgreSQL, 2 workers: zero errors, p99 < 200 ms |",
        "| Load, fault | PostgreSQL restarted a third of the way in | recovers by itself;"
        " no acknowledged write missing |",
        "| Capacity | wrk (2 threads, 32 connections) per route beside the same server's"
        " `/healthz` and a bare FastAPI app; the ratios by the server's CPU time per request"
        " (robust to other work on the machine) and by wall-clock req/s; the route mix through"
        " nginx with 1 and 2 app processes | pull with nothing new ≥ 50 % of `/healthz`, an"
        " unchanged day report ≥ 25 %, a computed one ≥ 5 %, food search ≥ 15 %; 2 processes"
        " at least 1.6 times 1 |",
        "| Planner | the reminder planner's CPU a minute (its process and PostgreSQL's) with"
        " 1,000 and 10,000 people, and request latency while it plans | < 0.5 s a minute with"
        " 10,000 people and no changes; p99 during a round within 20 % of p99 between rounds |",
        "| Frontend | initial JS and precache sizes, Lighthouse (mobile) on Today | JS ≤ 80 KB"
        " gz, precache ≤ 400 KB, performance ≥ 90, accessibility ≥ 95 |",
        "",
        "## Machine",
        "",
        *_machine(),
        "",
    ]
    for title, command, cwd in benches:
        lines += _run(title, command, cwd)
    args.out.write_text("\n".join(lines))
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
