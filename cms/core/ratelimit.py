"""Fixed-window event counters in Django's cache: the one mechanism behind the
hall's rate limits (SMS sends, progress lookups, publicity objections).

A window opens with a bucket's first event and lasts ``window`` seconds. Its start
is stored beside the counter and compared with our own clock rather than left to
the cache's expiry alone, so limits behave the same on every cache backend (and
under a frozen clock in tests). Two first events racing may undercount by one,
which a limit of this kind can bear. Bucket names are hashed: they may contain
addresses or numbers that must not sit in the cache in clear.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone


def _key(bucket: str) -> str:
    return "harbor:rate:" + hashlib.sha256(bucket.encode()).hexdigest()


def hit(bucket: str, window: int) -> int:
    """Count one event in the bucket's window; the number of events so far."""
    key = _key(bucket)
    now = timezone.now().timestamp()
    start = cache.get(key + ":start")
    if start is None or now - start >= window:
        cache.set_many({key + ":start": now, key: 0}, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the counter was evicted after the check above
        cache.set(key, 1, timeout=window)
        return 1


def count(bucket: str, window: int) -> int:
    """Events counted in the bucket's current window, without counting one."""
    key = _key(bucket)
    start = cache.get(key + ":start")
    if start is None or timezone.now().timestamp() - start >= window:
        return 0
    return cache.get(key) or 0
