"""A day as the engine's sentences say it: words, never an ISO date (issue #14)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fortify.scoring.wording import day_words


def test_day_words_names_weekday_day_and_month() -> None:
    assert day_words(dt.date(2026, 12, 3)) == "Thursday 3 December"
    assert day_words(dt.date(2028, 2, 29)) == "Tuesday 29 February"


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_day_words_is_never_an_iso_date(day: dt.date) -> None:
    words = day_words(day)
    assert day.isoformat() not in words
    weekday, number, month = words.split(" ")
    assert (
        weekday
        == ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[
            day.weekday()
        ]
    )
    assert int(number) == day.day
    assert month[:3] == "JanFebMarAprMayJunJulAugSepOctNovDec"[3 * day.month - 3 : 3 * day.month]
