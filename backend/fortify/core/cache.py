"""Answers kept by version: an in-process LRU, and Redis when `FORTIFY_REDIS_URL` is set.

An entry is stored under a slot (`day:<person>:<date>`) together with a *stamp*: every number
the answer depends on (the person's change counters, the protocol version, the release). A read
passes the stamp it would compute now and gets the entry only if the stamps are equal. Nothing
is invalidated by time: a write of the person moves their counter, so the next read's stamp
differs and the old entry is simply never served again (and is overwritten by the new one; a
slot holds one entry, so memory is bounded by the slots, not by the versions).

Redis is a second level shared by every process: a miss here and a hit there fills this
process's LRU. Redis being down or slow is never an error: the answer is computed as if the
cache were empty (and a warning is logged once a minute at most).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import redis

logger = logging.getLogger("fortify.cache")

_SEPARATOR = b"\n"  # a stamp never holds one; the body after it is opaque bytes


class VersionedCache:
    """`get(slot, stamp)` / `put(slot, stamp, body)`; thread-safe (routes run on a pool)."""

    def __init__(
        self,
        max_entries: int,
        redis_url: str = "",
        prefix: str = "fortify:",
        redis_ttl_seconds: int = 7 * 24 * 3600,
    ) -> None:
        self.max_entries = max_entries
        self.prefix = prefix
        # The TTL only returns memory for slots no one reads any more; correctness comes from
        # the stamp, so any TTL (or none) gives the same answers.
        self.redis_ttl_seconds = redis_ttl_seconds
        self._entries: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self._redis: redis.Redis | None = _redis_client(redis_url) if redis_url else None
        self._last_warning = 0.0
        self.hits = self.misses = 0

    def get_local(self, slot: str, stamp: str) -> bytes | None:
        """This process's entry only: no I/O, so an async route may ask on the event loop."""
        with self._lock:
            found = self._entries.get(slot)
            if found is not None and found[0] == stamp:
                self._entries.move_to_end(slot)
                self.hits += 1
                return found[1]
        return None

    def get(self, slot: str, stamp: str) -> bytes | None:
        """This process's entry, else the shared one in Redis (which may wait on the network)."""
        body = self.get_local(slot, stamp)
        if body is not None:
            return body
        body = self._redis_get(slot, stamp)
        if body is not None:
            self._keep(slot, stamp, body)
            self.hits += 1
            return body
        self.misses += 1
        return None

    def put(self, slot: str, stamp: str, body: bytes) -> None:
        self._keep(slot, stamp, body)
        if self._redis is not None:
            try:
                self._redis.set(
                    self.prefix + slot,
                    stamp.encode() + _SEPARATOR + body,
                    ex=self.redis_ttl_seconds,
                )
            except Exception as exc:  # any client error: the cache is an optimisation
                self._warn(exc)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _keep(self, slot: str, stamp: str, body: bytes) -> None:
        if self.max_entries <= 0:
            return
        with self._lock:
            self._entries[slot] = (stamp, body)
            self._entries.move_to_end(slot)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def _redis_get(self, slot: str, stamp: str) -> bytes | None:
        if self._redis is None:
            return None
        try:
            raw: Any = self._redis.get(self.prefix + slot)
        except Exception as exc:  # any client error: the cache is an optimisation
            self._warn(exc)
            return None
        if not isinstance(raw, bytes):
            return None
        stored, _, body = raw.partition(_SEPARATOR)
        return body if stored == stamp.encode() else None

    def _warn(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._last_warning > 60:
            self._last_warning = now
            logger.warning("cache_unavailable", extra={"fields": {"error": type(exc).__name__}})


def _redis_client(url: str) -> redis.Redis:
    import redis

    # Short timeouts: a slow cache must cost less than computing the answer.
    return redis.Redis.from_url(url, socket_timeout=0.05, socket_connect_timeout=0.2)
