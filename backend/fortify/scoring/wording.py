"""The engine's sentences: templates from tables.WORDING, numbers formatted the protocol's way."""

from __future__ import annotations

from datetime import date

from fortify.scoring.formulas import round_places
from fortify.scoring.tables import WORDING


def say(key: str, **values: str) -> str:
    """The template `key` with each `{name}` replaced by `values[name]` (KeyError if missing)."""
    return WORDING[key].format_map(values)


def num(x: float, places: int = 0) -> str:
    """`x` rounded half up to `places` decimals, without a trailing ".0"."""
    value = round_places(x, places)
    if value == int(value):
        return str(int(value))
    return f"{value:.{places}f}"


def plural(count: float, word: str, places: int = 0) -> str:
    """ "1 day", "2 days", "1.5 servings"."""
    text = num(count, places)
    return f"{text} {word}" if text == "1" else f"{text} {word}s"


# English names, not the process locale's: both engines write the same sentence (wording.ts).
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_words(day: date) -> str:
    """ "Thursday 3 December": a day as a sentence says it (an ISO date read as code, issue #14)."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"
