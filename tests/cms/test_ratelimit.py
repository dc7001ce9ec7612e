"""The fixed-window counter behind every rate limit holds under concurrency, on the
local-memory cache and on Redis."""

import os
import threading
import time

import pytest
from django.core.cache import caches
from django.test import override_settings
from freezegun import freeze_time

from cms.core import ratelimit

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
BACKENDS = [pytest.param(LOCMEM, id="locmem")]
if os.environ.get("REDIS_URL"):
    from django.conf import settings

    # The test settings' Redis database for this worker.
    BACKENDS.append(pytest.param(settings.CACHES["default"], id="redis"))
else:
    BACKENDS.append(
        pytest.param(
            None, id="redis", marks=pytest.mark.skip(reason="REDIS_URL is not set")
        )
    )


@pytest.fixture(params=BACKENDS)
def backend(request):
    with override_settings(CACHES={"default": request.param}):
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


@pytest.fixture
def slow_cache_reads(backend, monkeypatch):
    """Reads take as long as a round trip to a busy cache server, which is when
    requests overlap between reading a counter and writing it."""
    original = type(backend).get

    def slow_get(self, *args, **kwargs):
        value = original(self, *args, **kwargs)
        time.sleep(0.01)  # the answer travels back while others act
        return value

    monkeypatch.setattr(type(backend), "get", slow_get)


def parallel_hits(bucket: str, limit: int, senders: int = 20) -> int:
    """How many of `senders` simultaneous events found themselves within `limit`."""
    barrier = threading.Barrier(senders)
    results: list[int] = []
    lock = threading.Lock()

    def send():
        barrier.wait()
        counted = ratelimit.hit(bucket, 3600)
        with lock:
            results.append(counted)

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == senders
    return sum(1 for counted in results if counted <= limit)


def test_twenty_parallel_sends_against_a_limit_of_five_let_five_through(
    backend, slow_cache_reads
):
    assert parallel_hits("send:target:13800000001", limit=5) == 5
    assert ratelimit.count("send:target:13800000001", 3600) == 20


def test_parallel_sends_after_the_window_ended_by_our_clock_share_the_next_one(
    backend, slow_cache_reads
):
    """The cache may still hold a window that our clock says is over (its expiry
    runs on the cache server's clock); racing requests must not each reset it."""
    bucket = "send:ip:10.0.0.1"
    key = ratelimit._key(bucket)
    ended = time.time() - 3601
    backend.set(key + ":start", ended, timeout=7200)
    backend.set(f"{key}:{ended!r}", 5, timeout=7200)
    assert parallel_hits(bucket, limit=5) == 5


def test_a_window_counts_from_its_first_event_and_then_starts_again(backend):
    with freeze_time("2026-05-01 09:00:00") as clock:
        assert [ratelimit.hit("bucket", 600) for _ in range(3)] == [1, 2, 3]
        clock.tick(599)
        assert ratelimit.count("bucket", 600) == 3
        assert ratelimit.hit("bucket", 600) == 4
        clock.tick(1)
        assert ratelimit.count("bucket", 600) == 0
        assert ratelimit.hit("bucket", 600) == 1
        assert ratelimit.count("other", 600) == 0
