"""Small inline SVG charts for the care-team report, drawn in Python: no JavaScript, no
fonts to embed beyond the page's, and the same picture in the browser, in print and in the PDF.

Each function takes plain numbers and returns an SVG string; every text it writes is escaped.
Sizes are in CSS pixels of a viewBox, so the chart scales with the column it sits in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

INK = "#1f2a37"
MUTED = "#6b7280"
GRID = "#e5e7eb"
ACCENT = "#2563eb"
WARN = "#dc2626"
BAND = "#fee2e2"
GOOD = "#16a34a"


def _svg(width: int, height: int, body: str, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}" class="chart">{body}</svg>'
    )


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 9) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{MUTED}" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


# The widest a DejaVu Sans digit or letter is, in ems: a label's width is at most this many
# font sizes a character (used to keep a label inside the chart, never measured exactly).
CHAR_EM = 0.62


def _x_labels(
    days: Sequence[dt.date], x: float, step: float, y: float, width: float, size: int = 9
) -> str:
    """A date under the first day, the last, and about four between, each kept inside the
    chart's 0..width (a phone cut off a one-day chart's only label at its right edge). A lone
    day's label is centred under it."""
    if not days:
        return ""
    every = max(1, len(days) // 5)
    out = []
    for i, day in enumerate(days):
        if i % every == 0 or i == len(days) - 1:
            if i != len(days) - 1 and len(days) - 1 - i < every / 2:
                continue
            text = f"{day.day} {day:%b}"
            half = len(text) * size * CHAR_EM / 2
            anchor = (
                "middle"
                if len(days) == 1
                else "start"
                if i == 0
                else "end"
                if i == len(days) - 1
                else "middle"
            )
            # The label's left edge for its anchor, clamped to the chart, then back to x.
            shift = {"start": 0.0, "middle": half, "end": 2 * half}[anchor]
            left = min(max(x + i * step - shift, 0.0), max(width - 2 * half, 0.0))
            out.append(_text(left + shift, y, text, anchor, size))
    return "".join(out)


def line_chart(
    days: Sequence[dt.date],
    series: Sequence[tuple[str, Sequence[float | None], str]],
    *,
    y_max: float,
    y_ticks: Sequence[float],
    label: str,
    target: float | None = None,
    bands: Sequence[tuple[int, int]] = (),
    width: int = 520,
    height: int = 130,
) -> str:
    """Lines over days (None = a gap), an optional dashed target line, and shaded bands
    (index ranges of `days`, inclusive) behind them."""
    left, right, top, bottom = 28, 8, 8, 18
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(days) - 1, 1)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - min(max(value / y_max, 0), 1))

    parts = []
    for first, last in bands:
        x0 = left + (first - 0.5) * step
        x1 = left + (last + 0.5) * step
        x0, x1 = max(x0, left), min(x1, left + plot_w)
        parts.append(
            f'<rect x="{x0:.1f}" y="{top}" width="{x1 - x0:.1f}" height="{plot_h}" fill="{BAND}"/>'
        )
    for tick in y_ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.8"/>'
        )
        parts.append(_text(left - 4, y + 3, f"{tick:g}", "end"))
    if target is not None:
        y = y_of(target)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GOOD}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
    for _name, values, colour in series:
        runs: list[list[str]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append(f"{left + i * step:.1f},{y_of(value):.1f}")
        for run in runs:
            if len(run) == 1:
                cx, cy = run[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="1.6" fill="{colour}"/>')
            elif run:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="1.4" stroke-linejoin="round"/>'
                )
    parts.append(_x_labels(days, left, step, height - 4, width))
    return _svg(width, height, "".join(parts), label)


def bar_chart(
    days: Sequence[dt.date],
    values: Sequence[float],
    *,
    target: float,
    y_max: float,
    y_ticks: Sequence[float],
    label: str,
    width: int = 520,
    height: int = 110,
) -> str:
    """One bar a day, blue when it reached `target`, grey when not, with the target dashed."""
    left, right, top, bottom = 34, 8, 8, 18
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / max(len(days), 1)
    parts = []
    for tick in y_ticks:
        y = top + plot_h * (1 - tick / y_max)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.8"/>'
        )
        parts.append(_text(left - 4, y + 3, f"{tick:g}", "end"))
    for i, value in enumerate(values):
        h = plot_h * min(max(value / y_max, 0), 1)
        colour = ACCENT if value >= target else "#9ca3af"
        parts.append(
            f'<rect x="{left + i * slot + slot * 0.15:.1f}" y="{top + plot_h - h:.1f}" '
            f'width="{slot * 0.7:.2f}" height="{h:.1f}" fill="{colour}"/>'
        )
    y = top + plot_h * (1 - min(target / y_max, 1))
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GOOD}" '
        f'stroke-width="1" stroke-dasharray="4 3"/>'
    )
    parts.append(_x_labels(days, left + slot / 2, slot, height - 4, width))
    return _svg(width, height, "".join(parts), label)
