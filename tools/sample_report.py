"""Make the sample care-team report shown in docs/: a demo person with 90 days of history in a
scratch SQLite database, rendered to PDF, and page 1 (or every page) turned into PNG.

    .venv/bin/python tools/sample_report.py                 # docs/care-team-report.png
    .venv/bin/python tools/sample_report.py --out /tmp/r --all-pages --paper letter

Needs `pdftoppm` (Debian's poppler-utils).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

from fortify.catalog.service import load_reference_data
from fortify.core import migrations
from fortify.core.db import make_engine, session_factory, session_scope
from fortify.demo.service import create_demo_person
from fortify.entries import kinds
from fortify.entries import service as entries
from fortify.reports import render, service

DOCS = Path(__file__).resolve().parents[1] / "docs"
# A fixed "today" and seed, so the committed picture only changes when the report does.
TODAY = dt.date(2026, 11, 27)


def _labs(session: object, user: object) -> None:
    """Add a DXA result to the demo's labs, so the sample shows a bone density row."""
    data = kinds.LABS.fields.model_validate(
        {
            "measured_at": "2026-10-02T09:30:00+01:00",
            "kind": "dxa_t_score",
            "value": -1.9,
            "unit": "T-score",
            "site": "lumbar_spine",
        }
    )
    entries.create_entry(session, user, kinds.LABS, data, None)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS / "care-team-report")
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4")
    parser.add_argument("--all-pages", action="store_true")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is missing: apt-get install poppler-utils")

    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/sample.db"
        migrations.upgrade(url)
        engine = make_engine(url)
        load_reference_data(engine)
        for session in session_scope(session_factory(engine)):
            user, _ = create_demo_person(
                session,
                email="sample@fortify.example",
                password="sample password",
                days=90,
                today=TODAY,
                seed=7,
            )
            user.display_name = "Alex Morgan"
            _labs(session, user)
            first = TODAY - dt.timedelta(days=89)
            report = service.build(session, user, first, TODAY, TODAY)
            pdf = render.pdf(report, args.paper)
            html = render.html(report, args.paper)
        engine.dispose()

        pdf_path = Path(scratch) / "report.pdf"
        pdf_path.write_bytes(pdf)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        pages = [] if args.all_pages else ["-f", "1", "-l", "1", "-singlefile"]
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(args.dpi), *pages, str(pdf_path), str(args.out)],
            check=True,
        )
        if args.all_pages:
            args.out.with_suffix(".pdf").write_bytes(pdf)
            args.out.with_suffix(".html").write_text(html)
    print(f"wrote {args.out}*.png")


if __name__ == "__main__":
    main()
