"""Fortify's daily scores: a pure engine (PROTOCOL.md §1-§5, §8).

Plain data in (`DayInput`), plain data out (`DayReport`); no clock, no I/O, no web or database
imports, so the same rules can be tested exhaustively and ported to the PWA.
"""

from fortify.scoring.engine import compute_day_report
from fortify.scoring.model import PROTOCOL_VERSION, DayInput, DayReport, Patterns, report_to_dict
from fortify.scoring.patterns import compute_patterns

__all__ = [
    "PROTOCOL_VERSION",
    "DayInput",
    "DayReport",
    "Patterns",
    "compute_day_report",
    "compute_patterns",
    "report_to_dict",
]
