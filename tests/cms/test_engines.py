"""The engine switches: the same suite runs on SQLite and PostgreSQL, with local
memory or Redis as the cache. These tests check that the switch took effect."""

import os

import pytest
from django.core.cache import cache, caches
from django.db import connection


@pytest.mark.django_db
def test_database_engine_follows_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = (
        "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    )
    assert connection.vendor == expected


def test_cache_follows_redis_url():
    backend = type(caches["default"]).__name__
    if os.environ.get("REDIS_URL"):
        assert backend == "RedisCache"
        cache.set("harbor-test-key", {"n": 1}, 30)
        assert cache.get("harbor-test-key") == {"n": 1}
    else:
        assert backend == "LocMemCache"
