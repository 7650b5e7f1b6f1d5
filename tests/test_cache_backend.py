"""The Redis cache of production (``config.cache.RedisCache``) against the machine's Redis: it
keeps what it is given, forgets what is deleted, and builds one Redis client per connection pool
instead of one per operation."""

from __future__ import annotations

import os
import uuid

from config.cache import RedisCache


def _cache() -> RedisCache:
    location = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"
    return RedisCache(location, {"KEY_PREFIX": f"capsi-test-{uuid.uuid4().hex}"})


def test_values_round_trip_through_redis() -> None:
    cache = _cache()
    try:
        assert cache.get("figure") is None
        cache.set("figure", {"median": 2.5, "centres": [1, 2, 3]}, 60)
        assert cache.get("figure") == {"median": 2.5, "centres": [1, 2, 3]}
        cache.set_many({"a": 1, "b": 2}, 60)
        assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
        cache.delete_many(["a", "figure"])
        assert cache.get("figure") is None and cache.get("a") is None and cache.get("b") == 2
    finally:
        cache.delete_many(["figure", "a", "b"])


def test_one_client_per_pool_not_per_operation() -> None:
    cache = _cache()
    client = cache._cache.get_client(write=True)
    cache.set("x", 1, 60)
    assert cache.get("x") == 1
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client
    cache.delete("x")
