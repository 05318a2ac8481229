"""The care-team report as HTML (Jinja2) and as PDF (WeasyPrint).

Why WeasyPrint rather than printing the HTML with headless Chromium: it is a Python package
from PyPI that renders in-process (no browser to install, start and time out per request), its
only system needs are Pango and fonts, which Debian has and this machine already carries, and
it implements the CSS paged-media features the report leans on (`@page` size and margins,
page-margin boxes for the running footer with "page N of M", `break-before`/`break-inside`).
The HTML page and the PDF come from one template: what a clinician sees in the browser's print
preview is what the PDF holds.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, select_autoescape

from fortify.reports import charts
from fortify.reports.service import CareTeamReport, day_in_words

Paper = Literal["a4", "letter"]
WEEKS_SHOWN = 13


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("fortify.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _status(ratio: float, good: float, fair: float) -> str:
    """The colour of a key figure: reached `good` of its target, `fair`, or less."""
    return "ok" if ratio >= good else "watch" if ratio >= fair else "out"


def _week_bands(report: CareTeamReport) -> list[tuple[int, int]]:
    first = report.first
    return [
        ((w.first - first).days, (w.last - first).days) for w in report.weeks if w.joint_pain_high
    ]


def _charts(report: CareTeamReport) -> dict[str, str]:
    days = [r.date for r in report.daily]
    pain = [None if p is None else float(p) for _day, p in report.pain]
    calcium = [r.totals.calcium_mg for r in report.daily]
    calcium_top = max([report.calcium_target_mg * 1.5, *calcium])
    step = 500 if calcium_top > 1500 else 250
    ticks = [step * n for n in range(int(calcium_top // step) + 1)]
    return {
        "scores": charts.line_chart(
            days,
            [
                ("overall", [float(r.overall) for r in report.daily], charts.ACCENT),
                ("bone", [float(r.bone) for r in report.daily], "#7c3aed"),
            ],
            y_max=100,
            y_ticks=(0, 25, 50, 75, 100),
            label="Daily overall and bone scores",
            height=105,
        ),
        "calcium": charts.bar_chart(
            days,
            calcium,
            target=report.calcium_target_mg,
            y_max=calcium_top,
            y_ticks=ticks,
            label="Calcium per day in milligrams against the target",
            height=92,
        ),
        "pain": charts.line_chart(
            days,
            [("worst pain", pain, charts.WARN)],
            y_max=10,
            y_ticks=(0, 2, 4, 6, 8, 10),
            target=None,
            bands=_week_bands(report),
            label="Worst joint pain per day, 0 to 10, with high-pain weeks shaded",
            height=100,
        ),
    }


def html(report: CareTeamReport, paper: Paper = "a4") -> str:
    template = _environment().get_template("care_team.html.j2")
    context: dict[str, Any] = {
        "r": report,
        "paper": "A4" if paper == "a4" else "letter",
        "charts": _charts(report),
        "weeks_shown": report.weeks[-WEEKS_SHOWN:],
        "status": _status,
        "day_in_words": day_in_words,
    }
    return template.render(context)


def pdf(report: CareTeamReport, paper: Paper = "a4") -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which the JSON API never needs.
    from weasyprint import HTML

    document = HTML(string=html(report, paper)).render()
    data: bytes = document.write_pdf()
    return data


def filename(report: CareTeamReport, extension: str) -> str:
    return f"fortify-care-team-{report.first.isoformat()}-{report.last.isoformat()}.{extension}"
