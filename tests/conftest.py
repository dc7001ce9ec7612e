import os

import pytest
from hypothesis import HealthCheck, settings

from tests.datasets import SHARED_DEMO_FIXTURE, DemoCity, SharedDemo

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
    TestCase classes keep what the migration seeded, and tests of the shared
    demo the calendar the demo loaded.
    """
    import unittest

    if (
        isinstance(request.instance, unittest.TestCase)
        or SHARED_DEMO_FIXTURE in request.fixturenames
    ):
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


# --- the demo city, loaded once per session (per xdist worker) ---------------------

# The worker's shared demo, for the hook below (fixtures cannot reach a hook).
_shared: dict[str, SharedDemo] = {}


@pytest.fixture(scope="session")
def demo_city(django_db_setup, django_db_blocker) -> SharedDemo:
    """The demo city, loaded on first use and kept for the rest of the session in
    a transaction rolled back at the end. Tests take `demo`; a module-scoped
    fixture that reads the demo takes this and calls `open()`."""
    shared = _shared["demo"] = SharedDemo(django_db_blocker)
    yield shared
    shared.close()
    del _shared["demo"]


@pytest.fixture
def demo(request, demo_city) -> DemoCity:
    """The loaded demo city, this test in a savepoint of its own: what it writes
    (a second `load_demo`, a sign-in) is rolled back after it.

    The database is requested only once the demo is open: the demo's transaction
    must be the outer one, with the test's inside it.
    """
    city = demo_city.open()
    request.getfixturevalue("db")
    return city


def _flushes_the_database(item) -> bool:
    """Transactional tests end by emptying the database (pytest-django puts them
    after the other database tests)."""
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls and issubclass(cls, TransactionTestCase):
        return not issubclass(cls, TestCase)
    marker = item.get_closest_marker("django_db")
    if marker and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        names & {"transactional_db", "live_server", "django_db_reset_sequences"}
    )


def _flush_replays_post_migrate(item) -> bool:
    """A transactional test without `serialized_rollback` ends with a flush that
    sends post_migrate, which creates the hall's fixed rows again (cms.home's
    bootstrap) under new ids; the next test that restores the serialized
    database then meets them as duplicate keys. Only `serialized_rollback` (the
    marker's argument or the `django_db_serialized_rollback` fixture) keeps that
    flush quiet."""
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        names & {"transactional_db", "live_server"}
    )
    serialized = bool(marker and marker.kwargs.get("serialized_rollback")) or (
        "django_db_serialized_rollback" in names
    )
    return transactional and not serialized


def pytest_collection_modifyitems(config, items):
    """Tests that read the shared demo run together, in their order, after the
    other database tests and before the first transactional one (which empties
    the database the demo is loaded into): xdist hands tests out in this order,
    so every worker loads the demo at most once."""
    unsafe = [item.nodeid for item in items if _flush_replays_post_migrate(item)]
    if unsafe:
        raise pytest.UsageError(
            "transactional tests need serialized_rollback=True: " + ", ".join(unsafe)
        )

    def reads_the_demo(item) -> bool:
        return SHARED_DEMO_FIXTURE in getattr(item, "fixturenames", ())

    demo = [item for item in items if reads_the_demo(item)]
    if not demo:
        return
    others = [item for item in items if not reads_the_demo(item)]
    at = next(
        (n for n, item in enumerate(others) if _flushes_the_database(item)),
        len(others),
    )
    items[:] = others[:at] + demo + others[at:]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test that does not want the demo never sees it: should one come after
    the demo was loaded all the same (another order, another xdist mode), the
    demo is rolled back first and loaded again by the next test that wants it."""
    shared = _shared.get("demo")
    if shared is not None and shared.is_open:
        if SHARED_DEMO_FIXTURE not in getattr(item, "fixturenames", ()):
            shared.close()
