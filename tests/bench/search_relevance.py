"""Relevance on the judged queries, for our engine and for Wagtail's stock search.

    python tests/bench/search_relevance.py            # figures overall and by kind
    python tests/bench/search_relevance.py --queries  # and every query's top 5
    python tests/bench/search_relevance.py --corpus linjiang --part test

Loads the demo city into a fresh test database (SQLite in memory by default;
DATABASE_URL switches to PostgreSQL, ELASTICSEARCH_URL to the Elasticsearch
engine), rebuilds the configured engine, then runs tests/search/judged_queries.json
through search.query.search and through Wagtail's `Page.objects.live().search()`
on the same pages. Prints nDCG@10 and recall@5; for queries without an answer,
the share that returned nothing.

``--corpus linjiang`` measures on the second, fictional city instead (loaded
through import_departments and import_policies), beside a plain character-bigram
BM25; ``--part dev`` is the half to tune on, ``--part test`` the half to report.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from tests.search.relevance import (  # noqa: E402
    LINJIANG_QUERIES,
    PARTS,
    Report,
    bigram_bm25_searcher,
    evaluate,
    load_demo_corpus,
    load_judged,
    load_linjiang_corpus,
    our_titles,
    wagtail_titles,
)


def _details(report: Report) -> str:
    lines = []
    for result in report.results:
        judged = result.judged
        figures = (
            f"nDCG {result.ndcg:.2f}  recall {result.recall:.2f}"
            if judged.relevant
            else ("empty" if result.empty else f"NOT EMPTY ({len(result.ranked)})")
        )
        lines.append(f"  [{judged.kind}] {judged.query}: {figures}")
        for rank, title in enumerate(result.ranked[:5], 1):
            grade = judged.relevant.get(title, 0)
            lines.append(f"      {rank}. ({grade}) {title}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", action="store_true", help="show every query")
    parser.add_argument("--corpus", choices=("demo", "linjiang"), default="demo")
    parser.add_argument("--part", choices=PARTS, help="one half of a split set")
    args = parser.parse_args()
    if args.part and args.corpus == "demo":
        parser.error(
            "the demo's judged set is not split: --part needs --corpus linjiang"
        )

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        if args.corpus == "linjiang":
            load_linjiang_corpus()
            queries = load_judged(LINJIANG_QUERIES, part=args.part)
        else:
            load_demo_corpus()
            queries = load_judged()
        print(
            f"{args.corpus} corpus loaded and indexed in"
            f" {time.perf_counter() - started:.1f} s"
            f" ({connection.vendor}, engine: {settings.SEARCH_ENGINE};"
            f" queries: {args.part or 'all'})\n"
        )
        runs = [
            (f"our engine ({settings.SEARCH_ENGINE})", our_titles),
            ("plain character-bigram BM25", bigram_bm25_searcher()),
            (
                "Wagtail's own search, segmented (Page.objects.live().search)",
                wagtail_titles,
            ),
        ]
        for name, searcher in runs:
            started = time.perf_counter()
            report = evaluate(searcher, queries)
            elapsed = time.perf_counter() - started
            print(
                report.table(f"{name}: {len(report.results)} queries, {elapsed:.1f} s")
            )
            if args.queries:
                print(_details(report))
            print()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
