import pytest


@pytest.fixture(autouse=True)
def _clear_caches_and_outboxes():
    """Each test starts with an empty cache (lockouts, rate limits) and SMS outbox."""
    from django.core.cache import cache

    from cms.core.sms import MemorySMSBackend

    cache.clear()
    MemorySMSBackend.outbox.clear()
    yield
