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
from limits.storage import MemoryStorage, MovingWindowSupport, RedisStorage, Storage
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
    """Password attempts (sign-in, a sign-up link, the password asked again) per account and
    per client address, in moving one-minute windows.

    The limit is on wrong passwords: a right one is given back (`succeeded`). Counted, it told
    whoever read the next answer's `RateLimit-Remaining` (or met a 429 sooner than his own
    guesses explain) that the account signed in within the minute (issue #13, F4). Yet every
    attempt is counted as it starts, before its password is checked: counted only once found
    wrong, a burst of guesses sent at once would all pass before the first was counted. So each
    window keeps two lists, the attempts and the successes among them, and lets an attempt in
    while the attempts outnumber the successes by less than the limit: one atomic acquire on
    the attempts whose limit is raised by the successes in the window (a count read a moment
    early only makes it stricter). A success enters its list as its password is found right,
    so it outlives its attempt in the window by that check's time (tens of milliseconds): a
    moment's slack of one attempt, never more.
    """

    def __init__(self, attempts_per_minute: int, storage: Storage | None = None) -> None:
        storage = storage if storage is not None else MemoryStorage()
        assert isinstance(storage, MovingWindowSupport)  # memory and Redis both are
        self._storage = storage
        self._per_account = RateLimitItemPerMinute(attempts_per_minute)
        # A shared address (an office, a care home) signs in several people.
        self._per_address = RateLimitItemPerMinute(attempts_per_minute * 3)

    def _checks(self, email: str, address: str) -> tuple[tuple[RateLimitItem, str, str], ...]:
        return ((self._per_account, "account", email.lower()), (self._per_address, "ip", address))

    def hit(self, email: str, address: str) -> None:
        """Count an attempt, or refuse it (429) when a window holds the most wrong ones."""
        for item, scope, key in self._checks(email, address):
            attempts = item.key_for("sign-in", scope, key)
            allowed = item.amount + self._successes(item, scope, key)[1]
            expiry = item.get_expiry()
            if not counted(partial(self._storage.acquire_entry, attempts, allowed, expiry)):
                retry_after = max(1, math.ceil(self._reset_at(item, scope, key) - time.time()))
                raise TooManyRequests(
                    f"Too many sign-in attempts. {wait_words(retry_after)}",
                    headers={"Retry-After": str(retry_after)} | self.headers(email, address),
                )

    def succeeded(self, email: str, address: str) -> None:
        """The attempt just counted had the right password: give it back in every window."""
        for item, scope, key in self._checks(email, address):
            successes = item.key_for("sign-in-success", scope, key)
            # Never more successes than attempts in a window: a large bound, never met.
            bound = item.amount * 1000
            counted(partial(self._storage.acquire_entry, successes, bound, item.get_expiry()))

    def headers(self, email: str, address: str) -> dict[str, str]:
        """RateLimit-* headers for the window (account or address) with the fewest wrong
        attempts left; the limit named is that window's."""
        now = time.time()
        tightest: tuple[int, int, int] | None = None
        for item, scope, key in self._checks(email, address):
            remaining = item.amount - self._wrong(item, scope, key)
            reset = max(0, math.ceil(self._reset_at(item, scope, key) - now))
            candidate = (max(0, remaining), item.amount, reset)
            if tightest is None or candidate[0] < tightest[0]:
                tightest = candidate
        assert tightest is not None
        remaining, limit, reset = tightest
        return {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": str(reset),
        }

    def _window(self, key: str, item: RateLimitItem) -> tuple[float, int]:
        """(when its oldest entry was made, how many entries) of one list, in the window."""
        bound = item.amount * 1000
        return counted(partial(self._storage.get_moving_window, key, bound, item.get_expiry()))

    def _successes(self, item: RateLimitItem, scope: str, key: str) -> tuple[float, int]:
        return self._window(item.key_for("sign-in-success", scope, key), item)

    def _wrong(self, item: RateLimitItem, scope: str, key: str) -> int:
        """Attempts in the window that were not given back (wrong, or still being checked)."""
        attempts = self._window(item.key_for("sign-in", scope, key), item)[1]
        return max(0, attempts - self._successes(item, scope, key)[1])

    def _reset_at(self, item: RateLimitItem, scope: str, key: str) -> float:
        """When a wrong attempt of the window leaves it: the oldest attempt's expiry, a close
        bound (the oldest may be a success; then the one after it leaves a little later)."""
        oldest, count = self._window(item.key_for("sign-in", scope, key), item)
        return (oldest if count else time.time()) + item.get_expiry()


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
