"""The limiters (core/ratelimit.py): a 429 says how long to wait; the sign-in limit is on wrong
passwords, and every attempt counts from the moment it starts."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from hypothesis import given
from hypothesis import strategies as st
from limits.storage import MemoryStorage, Storage

from fortify.core.errors import TooManyRequests
from fortify.core.ratelimit import SignInLimiter, storage_for, wait_words
from tests.core.test_deployment import REDIS_URL


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


LIMIT = 4


@pytest.fixture(params=["memory", "redis"])
def storage(request: pytest.FixtureRequest) -> Iterator[Storage]:
    """The two storages a deployment may use (the Redis one skipped when none answers)."""
    if request.param == "memory":
        yield MemoryStorage()
        return
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    prefix = f"fortify-test-{uuid.uuid4().hex}"
    yield storage_for(REDIS_URL, prefix)
    for key in client.scan_iter(f"{prefix}*"):  # only this test's keys, never a flush
        client.delete(key)
    client.close()


class TestSignInLimiter:
    def test_attempts_count_from_their_start(self, storage: Storage) -> None:
        """A burst of guesses at once: none is decided yet, and still the limit holds."""
        limiter = SignInLimiter(LIMIT, storage)
        for _ in range(LIMIT):
            limiter.hit("ann@example.com", "10.0.0.1")
        with pytest.raises(TooManyRequests):
            limiter.hit("ann@example.com", "10.0.0.1")

    def test_a_right_password_is_given_back(self, storage: Storage) -> None:
        limiter = SignInLimiter(LIMIT, storage)
        for _ in range(3 * LIMIT):  # signing in often is never throttled
            limiter.hit("ann@example.com", "10.0.0.1")
            limiter.succeeded("ann@example.com", "10.0.0.1")
        headers = limiter.headers("ann@example.com", "10.0.0.1")
        assert headers["RateLimit-Remaining"] == str(LIMIT)
        for _ in range(LIMIT):  # but the wrong ones are counted whatever came before
            limiter.hit("ann@example.com", "10.0.0.1")
        assert limiter.headers("ann@example.com", "10.0.0.1")["RateLimit-Remaining"] == "0"
        with pytest.raises(TooManyRequests) as refused:
            limiter.hit("ann@example.com", "10.0.0.1")
        assert int(refused.value.headers["Retry-After"]) >= 1

    def test_the_header_moves_only_with_wrong_passwords(self, storage: Storage) -> None:
        limiter = SignInLimiter(LIMIT, storage)
        limiter.hit("ann@example.com", "10.0.0.2")  # an outsider's wrong guess
        seen = limiter.headers("ann@example.com", "10.0.0.2")
        assert seen["RateLimit-Remaining"] == str(LIMIT - 1)
        limiter.hit("ann@example.com", "10.0.0.3")  # she signs in, from elsewhere
        limiter.succeeded("ann@example.com", "10.0.0.3")
        after = limiter.headers("ann@example.com", "10.0.0.2")
        assert after["RateLimit-Remaining"] == seen["RateLimit-Remaining"]
        assert after["RateLimit-Limit"] == seen["RateLimit-Limit"] == str(LIMIT)
