"""Throttling with the `limits` package: one storage per app, any number of limits on it.

The storage is process memory by default, enough for one server process. With
`FORTIFY_REDIS_URL` set it is Redis, so every worker process and every server behind a balancer
counts against the same windows (`--workers 2` would otherwise allow twice the attempts). The
app makes the storage once (`storage_for`, kept as `app.state.rate_limit_storage`); a new
limit declares its windows and shares it. Redis failing answers 503 (fail closed): a sign-in
limit that stops counting would be no limit at all.

A 429 carries `Retry-After` (seconds) and says the same in its words ("Try again in 15
minutes."), which the app shows as it is.

Sign-in answers carry `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (the IETF
httpapi rate-limit headers draft), for the tighter of the two windows, so a client can slow
down before it meets a 429.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TypeVar

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from fortify.core.errors import ServiceUnavailable, TooManyRequests

T = TypeVar("T")


def storage_for(redis_url: str = "", key_prefix: str = "fortify") -> Storage:
    """Redis when `redis_url` is set (shared by every process), else this process's memory."""
    if redis_url:
        return RedisStorage(redis_url, key_prefix=key_prefix, wrap_exceptions=True)
    return MemoryStorage()


@contextmanager
def _storage_errors() -> Iterator[None]:
    try:
        yield
    except StorageError as exc:
        raise ServiceUnavailable(
            "Attempts cannot be counted right now; try again shortly.",
            headers={"Retry-After": "5"},
        ) from exc


def wait_words(seconds: int) -> str:
    """How long to wait, in words a person reads on a phone: "Try again in 15 minutes."

    Rounded up, never down: told "in 14 minutes", she would meet a second 429."""
    if seconds < 60:
        amount, unit = max(1, seconds), "second"
    elif seconds < 3600:
        amount, unit = math.ceil(seconds / 60), "minute"
    else:
        amount, unit = math.ceil(seconds / 3600), "hour"
    if unit == "minute" and amount == 60:
        amount, unit = 1, "hour"
    return f"Try again in {amount} {unit}{'' if amount == 1 else 's'}."


def counted(call: Callable[[], T]) -> T:
    """Run one call on the storage, turning its failure into a 503."""
    with _storage_errors():
        return call()


class SignInLimiter:
    def __init__(self, attempts_per_minute: int, storage: Storage | None = None) -> None:
        self._storage = storage if storage is not None else MemoryStorage()
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._per_account = RateLimitItemPerMinute(attempts_per_minute)
        # A shared address (an office, a care home) signs in several people.
        self._per_address = RateLimitItemPerMinute(attempts_per_minute * 3)

    def _checks(self, email: str, address: str) -> tuple[tuple[RateLimitItem, str, str], ...]:
        return ((self._per_account, "account", email.lower()), (self._per_address, "ip", address))

    def hit(self, email: str, address: str) -> None:
        for item, scope, key in self._checks(email, address):
            if not counted(partial(self._limiter.hit, item, "sign-in", scope, key)):
                reset_at, _remaining = self._window(item, scope, key)
                retry_after = max(1, math.ceil(reset_at - time.time()))
                raise TooManyRequests(
                    f"Too many sign-in attempts. {wait_words(retry_after)}",
                    headers={"Retry-After": str(retry_after)} | self.headers(email, address),
                )

    def headers(self, email: str, address: str) -> dict[str, str]:
        """RateLimit-* headers for the window (account or address) with the fewest attempts
        left; the limit named is that window's."""
        now = time.time()
        tightest: tuple[int, int, int] | None = None
        for item, scope, key in self._checks(email, address):
            reset_at, remaining = self._window(item, scope, key)
            candidate = (remaining, item.amount, max(0, math.ceil(reset_at - now)))
            if tightest is None or candidate[0] < tightest[0]:
                tightest = candidate
        assert tightest is not None
        remaining, limit, reset = tightest
        return {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": str(reset),
        }

    def _window(self, item: RateLimitItem, scope: str, key: str) -> tuple[float, int]:
        stats = counted(partial(self._limiter.get_window_stats, item, "sign-in", scope, key))
        return stats.reset_time, stats.remaining


class ActionLimiter:
    """Named moving windows over one anonymous action (sign-up, a reset request): each window
    is keyed by something of the request (the client address, a recipient, or "all" for a
    global cap). `hit` counts the request in every window and refuses it (429) when one is full;
    `allow` counts it and says whether it fits, for limits that must stay silent (a mail not
    sent, with the same answer, so the limit reveals nothing)."""

    def __init__(
        self,
        action: str,
        windows: dict[str, RateLimitItem],
        message: str,
        storage: Storage | None = None,
    ) -> None:
        self._storage = storage if storage is not None else MemoryStorage()
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._action = action
        self._windows = windows
        self._message = message

    def hit(self, **keys: str) -> None:
        for scope, key in keys.items():
            item = self._windows[scope]
            if not counted(partial(self._limiter.hit, item, self._action, scope, key)):
                stats = counted(
                    partial(self._limiter.get_window_stats, item, self._action, scope, key)
                )
                reset_at = stats.reset_time
                retry_after = max(1, math.ceil(reset_at - time.time()))
                raise TooManyRequests(
                    f"{self._message} {wait_words(retry_after)}",
                    headers={"Retry-After": str(retry_after)},
                )

    def allow(self, **keys: str) -> bool:
        return all(
            counted(partial(self._limiter.hit, self._windows[scope], self._action, scope, key))
            for scope, key in keys.items()
        )
