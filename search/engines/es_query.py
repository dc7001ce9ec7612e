"""Request bodies for the Elasticsearch engine, built from a QueryPlan, and the
translation of its responses into SearchResults.

Pure functions over dicts (no client): tests compare their JSON exactly.

Matching: each term of the plan is a bool ``should`` over its alternatives (what
was typed, the synonyms, a homophone fix, the parts of a long word), so synonyms
are applied here at query time from the same plan the embedded engine uses.
An alternative matches the segmented title (x4) or body; a pinyin token also
matches the pinyin keys (x3); a one-word Chinese alternative also matches the
CJK bigrams of the raw title (x1.5) and body (x0.5) as a phrase, which finds
the word where jieba cut the document differently; typed pinyin of four letters
or more also matches as a prefix of a pinyin key. As in the embedded engine,
every term must match; when that finds fewer than a page of hits and the query
has three terms or more, 60 % of them must (the "relaxed" query, with the hits
that match every term first): a query that matches nothing relevant returns
nothing rather than noise.

Ranking (issue item 5), as in the embedded engine: repealed documents sort after
everything else that matches; a function_score multiplies the text score by 0.7
for amended policies and by a gentle decay on issued_on (a ten-year-old document
keeps 80 %), so that newer comes first among equals; equal scores then sort
newest first.
"""

from __future__ import annotations

import datetime
import re
from math import ceil

from django.utils.safestring import SafeString
from elasticsearch.dsl import Q
from elasticsearch.dsl.query import Query

# Shared with the embedded engine so that both read a query the same way.
from search.engines.embedded import (
    MAX_RELAXED_TERMS,
    PREFIX_MIN,
    RELAX_BELOW,
    RELAXED_SHARE,
    required_terms,
)

TITLE_BOOST = 4
PINYIN_BOOST = 3
TITLE_BIGRAM_BOOST = 1.5
BODY_BIGRAM_BOOST = 0.5
# A hit of the relaxed query that matches every term ranks above the rest.
EVERY_TERM_BOOST = 1000
ALTERNATIVE_BOOST = 0.8  # an alternative counts a little less than what was typed
STATUS_WEIGHTS = {"amended": 0.7}
AGE_DECAY = {"origin": "now/d", "scale": "3650d", "decay": 0.8}
# A document without a date is ranked as a ten-year-old one (the decay above
# gives a missing date a full 1.0): newer dated documents come first among equals.
UNDATED_WEIGHT = AGE_DECAY["decay"]
# A single Chinese character matches the one-character subfields (the bigram
# subfields hold pairs only): weighted as the bigrams are.
TITLE_UNIGRAM_BOOST = TITLE_BIGRAM_BOOST
BODY_UNIGRAM_BOOST = BODY_BIGRAM_BOOST
FACETS = {
    # facet name -> (field, size, order)
    "type": ("type", 10, {"_count": "desc"}),
    "department": ("department_id", 50, {"_count": "desc"}),
    "category": ("category_id", 50, {"_count": "desc"}),
    "tier": ("tiers", 20, {"_key": "asc"}),
    "year": ("year", 30, {"_key": "desc"}),
    "status": ("status", 5, {"_count": "desc"}),
}
FILTER_FIELDS = {
    "type": "type",
    "department": "department_id",
    "category": "category_id",
    "tier": "tiers",
    "year": "year",
    "status": "status",
}
SOURCE_FIELDS = [
    "key",
    "type",
    "title",
    "url",
    "department",
    "category",
    "status",
    "issued_on",
]
SORT = [
    {"repealed": {"order": "asc", "missing": "_first"}},
    "_score",
    {"issued_on": {"order": "desc", "missing": "_last"}},
    {"key": "asc"},
]
MAX_PAGE_SIZE = 50
MAX_WINDOW = 10_000  # Elasticsearch's default index.max_result_window
SNIPPET_SIZE = 120
SNIPPETS = 2
SNIPPET_JOIN = " … "

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ASCII_WORD = re.compile(r"^[a-z0-9]+$")


def _is_cjk_word(alternative: str) -> bool:
    return " " not in alternative and bool(_CJK.search(alternative))


def _alternative_clauses(alternative: str, boost: float, pinyin: bool) -> list:
    fields = [f"title_tokens^{TITLE_BOOST}", "body_tokens"]
    if pinyin:
        fields.insert(1, f"pinyin^{PINYIN_BOOST}")
    # Spaces separate index tokens that must all occur (QueryPlan).
    clauses = [
        Q(
            "multi_match",
            query=alternative,
            fields=fields,
            type="best_fields",
            operator="and",
            boost=boost,
        )
    ]
    if pinyin and len(alternative) >= PREFIX_MIN:
        clauses.append(Q("prefix", pinyin={"value": alternative, "boost": boost}))
    if _is_cjk_word(alternative) and len(alternative) == 1:
        clauses.append(
            Q(
                "multi_match",
                query=alternative,
                fields=[
                    f"title.unigram^{TITLE_UNIGRAM_BOOST}",
                    f"body.unigram^{BODY_UNIGRAM_BOOST}",
                ],
                boost=boost,
            )
        )
    elif _is_cjk_word(alternative):
        clauses.append(
            Q(
                "multi_match",
                query=alternative,
                fields=[
                    f"title.bigram^{TITLE_BIGRAM_BOOST}",
                    f"body.bigram^{BODY_BIGRAM_BOOST}",
                ],
                type="phrase",
                boost=boost,
            )
        )
    return clauses


def term_query(alternatives: list[str], pinyin: set[str]) -> Query:
    clauses = []
    for position, alternative in enumerate(alternatives):
        boost = 1.0 if position == 0 else ALTERNATIVE_BOOST
        clauses += _alternative_clauses(alternative, boost, alternative in pinyin)
    return Q("bool", should=clauses, minimum_should_match=1)


def text_query(plan, relaxed: bool = False) -> Query:
    """Every required term must match; relaxed, RELAXED_SHARE of the first
    MAX_RELAXED_TERMS of them. The plan's optional terms (a lone character
    beside longer words, words that only say what kind of answer is wanted)
    add to the score and never narrow the hits, as on the embedded engine."""
    pinyin = set(plan.pinyin)
    required = required_terms(plan)
    optional = [
        term_query(term, pinyin)
        for index, term in enumerate(plan.terms)
        if index in set(plan.optional)
    ]
    terms = required[:MAX_RELAXED_TERMS] if relaxed else required
    clauses = [term_query(term, pinyin) for term in terms]
    extra = {"should": optional} if optional else {}
    if relaxed:
        needed = max(1, ceil(len(clauses) * RELAXED_SHARE))
        inner = Q("bool", should=clauses, minimum_should_match=needed)
        return Q("bool", must=[inner], **extra) if optional else inner
    return Q("bool", must=clauses, **extra)


def can_relax(plan, total: int = 0) -> bool:
    """As the embedded engine's may_relax: fewer than RELAX_BELOW hits with
    every term, and three required terms or more."""
    return total < RELAX_BELOW and len(required_terms(plan)) >= 3


def relaxed_query(plan) -> Query:
    """The relaxed match, with the hits that match every term first: a
    constant boost far above any text score lifts them (the embedded engine
    puts them first the same way)."""
    return Q(
        "bool",
        must=[text_query(plan, relaxed=True)],
        should=[Q("constant_score", filter=text_query(plan), boost=EVERY_TERM_BOOST)],
    )


def filter_clauses(filters: dict) -> list[Query]:
    clauses = []
    for key in ("type", "department", "category", "tier", "year", "status"):
        value = filters.get(key)
        if value not in (None, ""):
            clauses.append(Q("term", **{FILTER_FIELDS[key]: value}))
    return clauses


def hidden_clause(hidden) -> dict:
    """Keys never to answer, as a must_not (none: the body stays as it was)."""
    if not hidden:
        return {}
    return {"must_not": [Q("terms", key=sorted(hidden))]}


def ranked(query: Query) -> Query:
    """Status and age as multipliers of the text score."""
    functions = [
        {"filter": Q("term", status=status).to_dict(), "weight": weight}
        for status, weight in STATUS_WEIGHTS.items()
    ]
    functions.append({"exp": {"issued_on": dict(AGE_DECAY)}})
    functions.append(
        {
            "filter": {"bool": {"must_not": [{"exists": {"field": "issued_on"}}]}},
            "weight": UNDATED_WEIGHT,
        }
    )
    return Q(
        "function_score",
        query=query,
        functions=functions,
        score_mode="multiply",
        boost_mode="multiply",
    )


def _highlight_query(field: str, plan) -> dict:
    words = [token for token in plan.tokens if _CJK.search(token)] or [plan.raw]
    return Q(
        "bool",
        should=[Q("match_phrase", **{field: word}) for word in words],
    ).to_dict()


def highlight(plan) -> dict:
    """Marks on the original title and body (escaped by Elasticsearch's html
    encoder); the body falls back to its opening when nothing matched there."""
    return {
        "encoder": "html",
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "fields": {
            "title.bigram": {
                "number_of_fragments": 0,
                "highlight_query": _highlight_query("title.bigram", plan),
            },
            "body.bigram": {
                "fragment_size": SNIPPET_SIZE,
                "number_of_fragments": SNIPPETS,
                "no_match_size": SNIPPET_SIZE,
                "highlight_query": _highlight_query("body.bigram", plan),
            },
        },
    }


def aggregations() -> dict:
    return {
        name: {"terms": {"field": field, "size": size, "order": order}}
        for name, (field, size, order) in FACETS.items()
    }


def page_window(page: int, page_size: int) -> tuple[int, int]:
    size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    start = max(0, (int(page) - 1) * size)
    if start + size > MAX_WINDOW:
        start = max(0, MAX_WINDOW - size)
    return start, size


def search_body(req, plan, relaxed: bool = False) -> dict:
    start, size = page_window(req.page, req.page_size)
    query = Q(
        "bool",
        must=[relaxed_query(plan) if relaxed else text_query(plan)],
        filter=filter_clauses(req.filters),
        **hidden_clause(req.hidden),
    )
    return {
        "query": ranked(query).to_dict(),
        "highlight": highlight(plan),
        "aggs": aggregations(),
        "sort": SORT,
        "_source": SOURCE_FIELDS,
        "from": start,
        "size": size,
        "track_total_hits": True,
    }


def suggest_body(prefix: str, limit: int, hidden=frozenset()) -> dict:
    """Titles that start with, or contain a word starting with, the prefix;
    pinyin keys starting with it ("zhouzh" -> 周转房)."""
    clauses = [
        Q("match_phrase_prefix", **{"title.bigram": {"query": prefix}}),
        Q("match_phrase_prefix", **{"title_tokens": {"query": prefix, "boost": 2}}),
    ]
    compact = prefix.replace(" ", "")
    if _ASCII_WORD.match(compact):
        clauses.append(Q("prefix", pinyin={"value": compact}))
    query = Q("bool", should=clauses, minimum_should_match=1, **hidden_clause(hidden))
    return {
        "query": ranked(query).to_dict(),
        "sort": SORT,
        "_source": ["title", "url", "type"],
        # A guide and its service item share a title: ask for spares.
        "size": limit * 2,
    }


def _date(value) -> datetime.date | None:
    if not value:
        return None
    return datetime.date.fromisoformat(str(value)[:10])


def _hit(raw: dict):
    from search.query import Hit

    source = raw.get("_source", {})
    marks = raw.get("highlight", {})
    # Elasticsearch escaped the text (encoder "html") and added only <mark> tags.
    body = SafeString(SNIPPET_JOIN.join(marks.get("body.bigram", [])))
    title = SafeString("".join(marks.get("title.bigram", [])))
    return Hit(
        key=source.get("key", raw.get("_id", "")),
        type=source.get("type", ""),
        title=source.get("title", ""),
        url=source.get("url", ""),
        department=source.get("department") or "",
        category=source.get("category") or "",
        status=source.get("status") or "",
        issued_on=_date(source.get("issued_on")),
        highlight=body,
        score=float(raw.get("_score") or 0.0),
        title_highlight=title,
    )


def facets_from(aggregations: dict) -> dict[str, list[dict]]:
    """Buckets as {"value", "count"} with string values; search.query.label_facets
    adds labels."""
    facets = {}
    for name in FACETS:
        buckets = aggregations.get(name, {}).get("buckets", [])
        facets[name] = [
            # Strings, as the embedded engine gives them (ES answers numbers
            # for the numeric fields: department, category, year).
            {"value": str(bucket["key"]), "count": bucket["doc_count"]}
            for bucket in buckets
            if bucket.get("doc_count")
        ]
    return facets


def results_from(response: dict, req, plan):
    from search.query import SearchResults

    hits = response.get("hits", {})
    total = hits.get("total", 0)
    if isinstance(total, dict):
        total = total.get("value", 0)
    return SearchResults(
        total=int(total),
        hits=[_hit(raw) for raw in hits.get("hits", [])],
        facets=facets_from(response.get("aggregations", {})),
        page=req.page,
        page_size=req.page_size,
        plan=plan,
    )


def suggestions_from(response: dict, limit: int) -> list[dict]:
    seen: set[str] = set()
    found = []
    for raw in response.get("hits", {}).get("hits", []):
        source = raw.get("_source", {})
        title = source.get("title", "")
        if not title or title in seen:
            continue
        seen.add(title)
        found.append(
            {
                "title": title,
                "url": source.get("url", ""),
                "type": source.get("type", ""),
            }
        )
    return found[:limit]
