"""Waiting for a page a click led to."""

from playwright.sync_api import expect


def arrive(page, url) -> None:
    """After a click that navigates: wait until the page is at `url` (a string or
    a compiled pattern), then for that page's load event, so that its scripts have
    run before the test acts on it. `wait_for_load_state()` alone would return at
    once, the page before the click being loaded still."""
    expect(page).to_have_url(url)
    page.wait_for_load_state()
