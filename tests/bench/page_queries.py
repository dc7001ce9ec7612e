"""Queries and time per request of the public pages, on demand (never collected).

    python tests/bench/page_queries.py [--requests 200] [--keep-db PATH]

Uses cms.settings.test on a fresh temporary SQLite database with the demo city
loaded (or DATABASE_URL if set, e.g. a PostgreSQL database you can drop; or
--keep-db PATH: a SQLite file reused if it already holds the demo, so that two
versions of the code can be measured on the same data). For each page it prints
the number of SQL queries of one anonymous request (after a first request that
warms the per-process caches) and the median time of N requests through
Django's test client, taken in turns page after page so that other work on the
machine weighs on every page alike. No assertion: the query budgets live in
tests/cms/test_page_queries.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.harness import setup_django  # noqa: E402


def ensure_demo() -> None:
    from cms.policies.models import PolicyPage

    if PolicyPage.objects.exists():
        print("demo already loaded")
        return
    from cms.demo.loader import load_demo

    started = time.monotonic()
    load_demo()
    print(f"demo loaded in {time.monotonic() - started:.1f} s")


def page_addresses() -> dict[str, str]:
    """A realistic page of each kind: the ones with the most to show."""
    from django.db.models import Count

    from cms.policies.models import PolicyPage
    from cms.services.models import ServiceGuidePage

    policy = (
        PolicyPage.objects.live()
        .annotate(guides=Count("related_guides"))
        .order_by("-guides", "path")
        .first()
    )
    guide = (
        ServiceGuidePage.objects.live()
        .annotate(policy_count=Count("policies"))
        .order_by("-policy_count", "path")
        .first()
    )
    return {
        "home": "/",
        "policy": policy.url,
        "guide": guide.url,
        "notice": guide.url + "notice/",
        "services": "/services/",
        "services by department": "/services/?by=department",
        "search": "/search/?q=住房补贴",
        "module": guide.get_parent().url,
    }


def count_queries(client, address: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep-db", help="SQLite file to reuse (created if missing)")
    args = parser.parse_args()

    setup_django(args.keep_db, "page-bench")
    ensure_demo()

    from django.test import Client

    client = Client()
    addresses = page_addresses()
    for address in addresses.values():
        client.get(address)  # warms templates, site root paths, content types

    queries = {name: count_queries(client, a) for name, a in addresses.items()}
    times: dict[str, list[float]] = {name: [] for name in addresses}
    for _ in range(args.requests):
        for name, address in addresses.items():
            started = time.perf_counter()
            client.get(address)
            times[name].append((time.perf_counter() - started) * 1000)

    print(f"\n{'page':<24}{'queries':>8}{'median ms':>11}{'p90 ms':>9}")
    for name, address in addresses.items():
        samples = sorted(times[name])
        p90 = samples[int(len(samples) * 0.9) - 1]
        print(
            f"{name:<24}{queries[name]:>8}{statistics.median(samples):>11.2f}"
            f"{p90:>9.2f}   {address}"
        )


if __name__ == "__main__":
    main()
