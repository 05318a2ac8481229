"""Sign-in throttling, per account and per client address, with the `limits` package.

A moving window in process memory: enough for one server process; several processes behind a
balancer would point `limits` at Redis instead (README, deployment).
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from fortify.core.errors import TooManyRequests


class SignInLimiter:
    def __init__(self, attempts_per_minute: int) -> None:
        self._storage = MemoryStorage()
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._per_account = RateLimitItemPerMinute(attempts_per_minute)
        # A shared address (an office, a care home) signs in several people.
        self._per_address = RateLimitItemPerMinute(attempts_per_minute * 3)

    def hit(self, email: str, address: str) -> None:
        checks = ((self._per_account, "account", email.lower()), (self._per_address, "ip", address))
        for item, scope, key in checks:
            if not self._limiter.hit(item, "sign-in", scope, key):
                reset_at, _remaining = self._limiter.get_window_stats(item, "sign-in", scope, key)
                retry_after = max(1, math.ceil(reset_at - time.time()))
                raise TooManyRequests(
                    "Too many sign-in attempts; wait before trying again.",
                    headers={"Retry-After": str(retry_after)},
                )
