"""The limiters' words (core/ratelimit.py): a 429 says how long to wait."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fortify.core.ratelimit import wait_words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "Try again in 1 second."),
        (1, "Try again in 1 second."),
        (45, "Try again in 45 seconds."),
        (60, "Try again in 1 minute."),
        (61, "Try again in 2 minutes."),
        (900, "Try again in 15 minutes."),
        (3599, "Try again in 1 hour."),
        (3600, "Try again in 1 hour."),
        (5400, "Try again in 2 hours."),
    ],
)
def test_the_wait_is_said_in_words(seconds: int, words: str) -> None:
    assert wait_words(seconds) == words


@given(st.integers(min_value=1, max_value=7 * 24 * 3600))
def test_the_words_never_promise_less_than_the_wait(seconds: int) -> None:
    amount, unit = wait_words(seconds).removeprefix("Try again in ").rstrip(".").split()
    per_unit = {"second": 1, "minute": 60, "hour": 3600}[unit.rstrip("s")]
    assert int(amount) * per_unit >= seconds
