"""The cache: Django's Redis cache, where a Redis that is down reads as an empty cache.

Everything kept in the cache can be lost (rate-limit counters, drawn charts, a poller's lock);
none of it is worth an error page. django-ratelimit's RATELIMIT_FAIL_OPEN lets a form through
when the cache answers None, but Django's RedisCache raises ConnectionError instead, so during a
Redis outage every portal form post answered 500 (found by `python -m bench.reliability`).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class FailOpenRedisCache(RedisCache):
    """A miss instead of an error when Redis does not answer: get → default, add → False…"""

    def _down(self, operation: str, error: RedisError) -> None:
        logger.warning("Cache unavailable (%s: %s); treated as a miss", operation, error)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as error:
            self._down("get", error)
            return default

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            self._down("add", error)
            return False

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            self._down("set", error)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._down("incr", error)
            return None  # django-ratelimit reads None as "no count" (RATELIMIT_FAIL_OPEN)

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except RedisError as error:
            self._down("delete", error)
            return False

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            self._down("get_many", error)
            return {}
