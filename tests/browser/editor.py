"""Waiting out the page editor's own requests (autosave, the preview panel's
updates) before a test clicks a button that submits the page."""

import time


def background_saves(page) -> dict:
    """Counts the editor's background requests as they start and end."""
    saves = {"open": 0, "since": time.monotonic()}

    def is_background(request):
        if request.method != "POST":
            return False
        autosave = request.url.endswith("/edit/") and (
            request.headers.get("accept") == "application/json"
        )
        return autosave or "/preview/" in request.url

    def started(request):
        if is_background(request):
            saves["open"] += 1

    def ended(request):
        if is_background(request):
            saves["open"] -= 1
            saves["since"] = time.monotonic()

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    return saves


def settle(page, saves, quiet=2.0, limit=30.0) -> None:
    """Waits until no background request has run for ``quiet`` seconds: the test
    database (SQLite in memory) refuses a second request on a locked table, and a
    save posted beside a publish leaves the editor marked as unsaved."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if saves["open"] <= 0 and time.monotonic() - saves["since"] >= quiet:
            return
        page.wait_for_timeout(200)


def wait_for_preview(page, mode: str = "") -> None:
    """Waits until the preview panel shows one loaded page (in ``mode`` if given).

    Wagtail loads each update in a second iframe and swaps it in when loaded; a
    mode chosen while an earlier update still loads can leave the panel blank.
    """
    page.wait_for_function(
        """(mode) => {
            const frames = document.querySelectorAll('[data-w-preview-target=iframe]');
            const frame = document.getElementById('w-preview-iframe');
            return frames.length === 1 && frame && frame.src.includes('in_preview_panel')
                && (!mode || frame.src.includes('mode=' + mode))
                && frame.contentDocument && frame.contentDocument.readyState === 'complete';
        }""",
        arg=mode,
    )
