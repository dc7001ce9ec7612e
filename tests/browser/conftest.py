"""Playwright against pytest-django's live server, driving Debian's Chromium.

Never `playwright install`: the browser is the distribution's (`make browser`).

Assertions about the page are Playwright's web-first ones, `expect(...)`: they
retry until the page shows what is expected or the timeout passes, where a
one-shot `is_visible()` or `inner_text()` reads whatever is there at that
instant, before a navigation or a script has finished.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
# The machine running the suite may be busy (two xdist workers, a live server and
# Chromium each): web-first assertions wait this long, not Playwright's 5 s.
EXPECT_TIMEOUT_MS = 20_000


@pytest.fixture
def browser():
    """A Chromium for one test.

    While Playwright's sync API runs, an event loop runs in this thread, so Django
    needs DJANGO_ALLOW_ASYNC_UNSAFE for the database work done beside it. The flag
    is set only for that time, so it never reaches other tests (nor the
    `check --deploy` they run, which rejects it). Function scope keeps the test
    database's setup and flush outside the loop: inside it Django hands out a
    different connection, one that does not know the serialized database that
    `serialized_rollback` restores.
    """
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is missing: run `make browser`")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
            # Close what was opened inside the loop's context, or PostgreSQL keeps
            # a session on the test database and cannot drop it at the end.
            from django.db import connections

            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _context(browser, **options):
    options.setdefault("locale", "zh-CN")
    return browser.new_context(**options)


@pytest.fixture
def desktop(browser):
    context = _context(browser, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = _context(
        browser,
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def artifacts() -> Path:
    """Screenshots for people to look at; git-ignored."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
