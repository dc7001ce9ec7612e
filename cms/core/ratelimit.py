"""Fixed-window event counters in Django's cache: the one mechanism behind the
hall's rate limits (SMS sends, progress lookups, publicity objections).

A window opens with a bucket's first event and lasts ``window`` seconds. Its start
is stored beside the counter and compared with our own clock rather than left to
the cache's expiry alone, so limits behave the same on every cache backend (and
under a frozen clock in tests).

Every step that decides a count is atomic in the cache: ``add`` opens a window
(only one of many simultaneous first events succeeds) and ``incr`` counts, so
twenty parallel requests against a limit of five let exactly five through. Each
window's counter is keyed by the window's start, and a window that ended by our
clock is followed by the next one computed from the old start, so concurrent
requests that find a window over all move to the same counter instead of each
resetting it. Bucket names are hashed: they may contain addresses or numbers
that must not sit in the cache in clear.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone


def _key(bucket: str) -> str:
    return "harbor:rate:" + hashlib.sha256(bucket.encode()).hexdigest()


def _current_start(
    key: str, now: float, window: int, open_window: bool
) -> float | None:
    """The start of the bucket's window that holds ``now``, or ``None`` when
    there is none and ``open_window`` is False."""
    start_key = key + ":start"
    if open_window:
        cache.add(start_key, now, timeout=window)
    start = cache.get(start_key)
    if start is None:
        if not open_window:
            return None
        # Evicted between add() and get(): open it again, as the first event.
        cache.add(start_key, now, timeout=window)
        start = cache.get(start_key, now)
    if now - start >= window:
        if not open_window:
            return None
        # Our clock says the window is over while the cache still holds it.
        # Every concurrent caller computes the same next start from the same old
        # one, so they share its counter.
        start += (now - start) // window * window
        cache.set(start_key, start, timeout=window)
    return start


def hit(bucket: str, window: int) -> int:
    """Count one event in the bucket's window; the number of events so far."""
    key = _key(bucket)
    now = timezone.now().timestamp()
    start = _current_start(key, now, window, open_window=True)
    counter = f"{key}:{start!r}"
    cache.add(counter, 0, timeout=window)
    try:
        return cache.incr(counter)
    except ValueError:  # evicted between add() and incr()
        if cache.add(counter, 1, timeout=window):
            return 1
        return cache.incr(counter)


def count(bucket: str, window: int) -> int:
    """Events counted in the bucket's current window, without counting one."""
    key = _key(bucket)
    start = _current_start(key, timezone.now().timestamp(), window, open_window=False)
    if start is None:
        return 0
    return cache.get(f"{key}:{start!r}") or 0
