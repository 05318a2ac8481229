"""VersionedCache: the in-process LRU and the Redis level shared by processes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from fortify.core.cache import VersionedCache

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards (never a FLUSHDB)."""
    value = f"fortify-test-{uuid.uuid4().hex}:"
    yield value
    try:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{value}*"))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass


def redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("Redis does not answer at 127.0.0.1:6379")


class TestInProcess:
    def test_an_entry_is_served_only_for_its_own_stamp(self) -> None:
        cache = VersionedCache(10)
        cache.put("day:a:2026-11-20", "5:1:1:dev", b"report")
        assert cache.get("day:a:2026-11-20", "5:1:1:dev") == b"report"
        assert cache.get("day:a:2026-11-20", "6:1:1:dev") is None
        assert cache.get("day:b:2026-11-20", "5:1:1:dev") is None

    def test_a_new_version_replaces_the_old_entry(self) -> None:
        cache = VersionedCache(10)
        cache.put("slot", "1", b"old")
        cache.put("slot", "2", b"new")
        assert cache.get("slot", "1") is None
        assert cache.get("slot", "2") == b"new"

    def test_the_least_recently_used_slot_leaves_first(self) -> None:
        cache = VersionedCache(2)
        cache.put("a", "1", b"a")
        cache.put("b", "1", b"b")
        assert cache.get("a", "1") == b"a"
        cache.put("c", "1", b"c")
        assert (cache.get("a", "1"), cache.get("b", "1"), cache.get("c", "1")) == (b"a", None, b"c")


class TestRedis:
    def test_another_process_is_served_what_one_computed(self, prefix: str) -> None:
        redis_or_skip()
        one = VersionedCache(10, REDIS_URL, prefix)
        other = VersionedCache(10, REDIS_URL, prefix)
        one.put("day:a:2026-11-20", "5:1", b'{"overall":\n71}')
        assert other.get("day:a:2026-11-20", "5:1") == b'{"overall":\n71}'
        assert other.get("day:a:2026-11-20", "6:1") is None

    def test_a_write_seen_by_another_process_is_never_served_stale(self, prefix: str) -> None:
        redis_or_skip()
        one = VersionedCache(10, REDIS_URL, prefix)
        other = VersionedCache(10, REDIS_URL, prefix)
        one.put("slot", "1", b"old")
        assert other.get("slot", "1") == b"old"  # now also in other's own LRU
        one.put("slot", "2", b"new")
        assert other.get("slot", "2") == b"new"

    def test_redis_down_is_a_miss_not_an_error(self) -> None:
        cache = VersionedCache(0, "redis://127.0.0.1:1/0")
        cache.put("slot", "1", b"body")
        assert cache.get("slot", "1") is None
