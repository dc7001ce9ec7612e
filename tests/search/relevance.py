"""Relevance measured on judged queries: nDCG@10, recall@5, and a runner.

Shared by tests/search/test_relevance.py (a floor under the figures) and
tests/bench/search_relevance.py (prints them for our engine beside Wagtail's
stock database backend). Documents are identified by title, which is stable in
the demo data; a guide and its service item share a title, and the second hit
of a title earns nothing (it tells the reader nothing new).
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

JUDGED_PATH = Path(__file__).with_name("judged_queries.json")
# A second, fictional city the engine was never tuned on: see its README.
LINJIANG = Path(__file__).with_name("corpus") / "linjiang"
LINJIANG_QUERIES = LINJIANG / "queries.json"
PARTS = ("dev", "test")
KINDS = ("term", "question", "synonym", "pinyin", "typo", "none")
NDCG_DEPTH = 10
_WORD_RUN = re.compile(r"[^\W_]+")
RECALL_DEPTH = 5


@dataclass(frozen=True)
class JudgedQuery:
    query: str
    kind: str
    relevant: dict[str, int]
    part: str = ""  # "dev" or "test" in a split set, "" in the demo's own


def load_judged(path: Path = JUDGED_PATH, part: str | None = None) -> list[JudgedQuery]:
    """The judged queries of a set; of one half only when ``part`` is given."""
    items = json.loads(path.read_text(encoding="utf-8"))
    queries = [
        JudgedQuery(
            item["query"], item["kind"], dict(item["relevant"]), item.get("part", "")
        )
        for item in items
        if part is None or item.get("part") == part
    ]
    for judged in queries:
        if judged.kind not in KINDS:
            raise ValueError(f"{judged.query!r}: unknown kind {judged.kind!r}")
        if (judged.kind == "none") != (not judged.relevant):
            raise ValueError(f"{judged.query!r}: only 'none' queries judge nothing")
        if any(grade not in (1, 2, 3) for grade in judged.relevant.values()):
            raise ValueError(f"{judged.query!r}: grades are 1, 2 or 3")
    return queries


def _first_occurrences(ranked: Iterable[str]) -> list[str | None]:
    """The ranking with repeated titles blanked, so a title earns gain once."""
    seen: set[str] = set()
    result: list[str | None] = []
    for title in ranked:
        result.append(None if title in seen else title)
        seen.add(title)
    return result


def dcg(gains: Iterable[float]) -> float:
    """Discounted cumulative gain with exponential gain (2^rel - 1)."""
    return sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains))


def ndcg_at(ranked: list[str], relevant: dict[str, int], k: int = NDCG_DEPTH) -> float:
    ideal = dcg(sorted(relevant.values(), reverse=True)[:k])
    if not ideal:
        raise ValueError("nDCG needs at least one relevant document")
    top = _first_occurrences(ranked[:k])
    return dcg(relevant.get(title, 0) if title else 0 for title in top) / ideal


def recall_at(
    ranked: list[str], relevant: dict[str, int], k: int = RECALL_DEPTH
) -> float:
    """Share of the relevant documents found in the top k, out of at most k: a
    query with eight relevant documents can still reach 1.0 at k = 5."""
    if not relevant:
        raise ValueError("recall needs at least one relevant document")
    found = len(set(ranked[:k]) & relevant.keys())
    return found / min(len(relevant), k)


@dataclass
class QueryResult:
    judged: JudgedQuery
    ranked: list[str]
    ndcg: float | None = None
    recall: float | None = None

    @property
    def empty(self) -> bool:
        return not self.ranked


@dataclass
class Report:
    """Figures overall (queries with an answer) and by kind; for 'none' queries,
    the share that came back empty."""

    results: list[QueryResult] = field(default_factory=list)

    def _answered(self, kind: str | None = None) -> list[QueryResult]:
        return [
            result
            for result in self.results
            if result.judged.kind != "none" and kind in (None, result.judged.kind)
        ]

    def ndcg(self, kind: str | None = None) -> float:
        results = self._answered(kind)
        return sum(r.ndcg for r in results) / len(results) if results else 0.0

    def recall(self, kind: str | None = None) -> float:
        results = self._answered(kind)
        return sum(r.recall for r in results) / len(results) if results else 0.0

    @property
    def none_results(self) -> list[QueryResult]:
        return [r for r in self.results if r.judged.kind == "none"]

    def none_empty_share(self) -> float:
        nones = self.none_results
        return sum(r.empty for r in nones) / len(nones) if nones else 1.0

    def by_kind(self) -> dict[str, dict[str, float]]:
        counts: dict[str, int] = defaultdict(int)
        for result in self.results:
            counts[result.judged.kind] += 1
        figures = {}
        for kind in KINDS:
            if not counts[kind]:
                continue
            if kind == "none":
                figures[kind] = {
                    "queries": counts[kind],
                    "empty": self.none_empty_share(),
                }
            else:
                figures[kind] = {
                    "queries": counts[kind],
                    "ndcg": self.ndcg(kind),
                    "recall": self.recall(kind),
                }
        return figures

    def table(self, name: str) -> str:
        """A plain-text table for the bench."""
        lines = [
            f"{name}",
            f"  {'kind':<10}{'queries':>8}{'nDCG@10':>10}{'recall@5':>10}",
            f"  {'overall':<10}{len(self._answered()):>8}"
            f"{self.ndcg():>10.3f}{self.recall():>10.3f}",
        ]
        for kind, figures in self.by_kind().items():
            if kind == "none":
                lines.append(
                    f"  {kind:<10}{figures['queries']:>8}"
                    f"   empty results: {figures['empty']:.0%}"
                )
            else:
                lines.append(
                    f"  {kind:<10}{figures['queries']:>8}"
                    f"{figures['ndcg']:>10.3f}{figures['recall']:>10.3f}"
                )
        return "\n".join(lines)


def evaluate(
    ranked_titles: Callable[[str], list[str]],
    queries: list[JudgedQuery] | None = None,
) -> Report:
    """Runs every judged query through `ranked_titles` (query -> titles, best
    first, at least NDCG_DEPTH of them when there are that many)."""
    report = Report()
    for judged in queries if queries is not None else load_judged():
        ranked = list(ranked_titles(judged.query))
        result = QueryResult(judged, ranked)
        if judged.relevant:
            result.ndcg = ndcg_at(ranked, judged.relevant)
            result.recall = recall_at(ranked, judged.relevant)
        report.results.append(result)
    return report


# --- Searchers over the database (need Django set up and database access) ---


def our_titles(query: str) -> list[str]:
    """The top titles of the site's search interface (the configured engine)."""
    from search.query import SearchRequest, search

    results = search(SearchRequest(query=query, filters={}, page=1, page_size=10))
    return [hit.title for hit in results.hits]


def wagtail_titles(query: str) -> list[str]:
    """The top titles of Wagtail's own search over live pages (the configured
    WAGTAILSEARCH_BACKENDS: the database backend with segmented Chinese, what
    editors' admin search and page choosers use; the stock backend before)."""
    from wagtail.models import Page

    return [page.title for page in Page.objects.live().search(query)[:NDCG_DEPTH]]


def load_linjiang_corpus() -> None:
    """Loads the second city through the importers a city uses, and rebuilds the
    configured engine's index from it."""
    import io

    from django.core.management import call_command

    from search.documents import iter_all_documents
    from search.engines import get_engine

    quiet = io.StringIO()
    call_command("import_departments", str(LINJIANG / "departments.csv"), stdout=quiet)
    call_command("import_policies", str(LINJIANG / "policies.csv"), stdout=quiet)
    get_engine().rebuild(iter_all_documents())


def bigram_bm25_searcher() -> Callable[[str], list[str]]:
    """A plain baseline: BM25 over the character pairs of every live policy's
    title (counted twice) and text, no dictionary, no synonyms, no pinyin: what
    any engine should beat. Built once over the documents the engine indexes."""
    from search.documents import iter_all_documents

    docs: list[tuple[str, dict[str, int], int]] = []
    frequency: dict[str, int] = defaultdict(int)
    for document in iter_all_documents():
        grams = _bigrams(f"{document.title} {document.title} {document.body}")
        counts: dict[str, int] = defaultdict(int)
        for gram in grams:
            counts[gram] += 1
        docs.append((document.title, counts, len(grams)))
        for gram in counts:
            frequency[gram] += 1
    average = sum(length for _, _, length in docs) / max(len(docs), 1)
    k1, b = 1.2, 0.75

    def ranked_titles(query: str) -> list[str]:
        grams = set(_bigrams(query))
        scored = []
        for title, counts, length in docs:
            score = 0.0
            for gram in grams:
                tf = counts.get(gram, 0)
                if tf:
                    idf = math.log(
                        1
                        + (len(docs) - frequency[gram] + 0.5) / (frequency[gram] + 0.5)
                    )
                    score += (
                        idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average))
                    )
            if score:
                scored.append((score, title))
        scored.sort(key=lambda pair: -pair[0])
        return [title for _, title in scored[:NDCG_DEPTH]]

    return ranked_titles


def _bigrams(text: str) -> list[str]:
    import unicodedata

    text = unicodedata.normalize("NFKC", text).lower()
    grams: list[str] = []
    for run in _WORD_RUN.findall(text):
        grams.extend(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
    return grams


def load_demo_corpus() -> None:
    """Loads the demo city (`manage.py load_demo`) and indexes it."""
    from django.core.management import call_command

    call_command("load_demo", "--quiet")
    index_the_database()


def index_the_database() -> None:
    """Rebuilds the configured engine's index from what the database holds."""
    from search.documents import iter_all_documents
    from search.engines import get_engine

    get_engine().rebuild(iter_all_documents())
