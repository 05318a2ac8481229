"""Number formatting for the one-line explanations, flags and next best action."""

from __future__ import annotations

from fortify.scoring.formulas import round_places


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
