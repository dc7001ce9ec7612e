import os

import pytest

# `pytest --frozen-clock "2026-12-31 23:30+08:00"` (or TEST_FROZEN_CLOCK in the
# environment, which xdist workers inherit) runs the whole session on a clock that
# starts at that moment and then ticks: tests that only pass at some hours of
# China's day, or away from the turn of the year, fail at the cause. Tests that
# freeze time themselves nest inside it and get the clock back when they leave.


def pytest_addoption(parser):
    parser.addoption(
        "--frozen-clock",
        default=os.environ.get("TEST_FROZEN_CLOCK", ""),
        metavar="MOMENT",
        help="Start the session's clock at MOMENT (ISO 8601, with its offset).",
    )


def pytest_configure(config):
    moment = config.getoption("--frozen-clock", default="")
    if moment:
        from freezegun import freeze_time

        config._frozen_clock = freeze_time(moment, tick=True)
        config._frozen_clock.start()


def pytest_unconfigure(config):
    frozen = getattr(config, "_frozen_clock", None)
    if frozen is not None:
        frozen.stop()


def pytest_report_header(config):
    moment = config.getoption("--frozen-clock", default="")
    return f"frozen clock: starts at {moment}" if moment else None


@pytest.fixture(autouse=True)
def _clear_caches_and_outboxes():
    """Each test starts with an empty cache (lockouts, rate limits) and SMS outbox."""
    from django.core.cache import cache

    from cms.core.sms import MemorySMSBackend

    cache.clear()
    MemorySMSBackend.outbox.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language.

    LocaleMiddleware activates the visitor's language for the thread and nothing
    resets it after a test-client request, so an English request in one test
    would otherwise leak into the next test on the same worker.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
