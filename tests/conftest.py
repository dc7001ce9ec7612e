import os

import pytest
from hypothesis import HealthCheck, settings

# Property tests (tests/*/test_fuzz_*.py): a bounded number of examples so that
# `make test` stays fast; HYPOTHESIS_PROFILE=long (or thorough) searches longer.
_FUZZ_CHECKS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
settings.register_profile(
    "ci", max_examples=50, deadline=None, suppress_health_check=_FUZZ_CHECKS
)
settings.register_profile(
    "long", max_examples=1000, deadline=None, suppress_health_check=_FUZZ_CHECKS
)
settings.register_profile(
    "thorough", max_examples=10_000, deadline=None, suppress_health_check=_FUZZ_CHECKS
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
        import freezegun
        from freezegun import freeze_time
        from freezegun.config import DEFAULT_IGNORE_LIST

        # freezegun gives code called from a thread the real clock, but only
        # when the threading frame is among the caller's first few frames: a
        # test's threads then read two clocks at once. One clock for everyone.
        freezegun.configure(
            default_ignore_list=[m for m in DEFAULT_IGNORE_LIST if m != "threading"]
        )
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


@pytest.fixture(autouse=True)
def _official_calendar(request):
    """The holidays seeded by the first migrate are off, unless the test is marked
    ``official_calendar``.

    Most tests count deadlines over dates of their own and were written for the
    weekly rule plus the days they load; marked tests get the State Council's
    arrangement, seeded again if a transactional test flushed it. Django
    TestCase classes (the demo) keep what the migration seeded.
    """
    import unittest

    if isinstance(request.instance, unittest.TestCase):
        yield
        return
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = "transactional_db" in names or bool(
        marker and marker.kwargs.get("transaction")
    )
    if not (marker or names & {"db", "transactional_db"}):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")

    from django.db import connection

    from cms.core import official_calendar
    from cms.core.models import CalendarDay
    from cms.core.workdays import invalidate_calendar

    if request.node.get_closest_marker("official_calendar"):
        official_calendar.seed(CalendarDay)
    else:
        with connection.cursor() as cursor:
            # Raw: a queryset delete would send a signal per row.
            cursor.execute("DELETE FROM core_calendarday WHERE source = 'official'")
    invalidate_calendar()
    yield
