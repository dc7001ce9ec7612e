"""The embedded engine: the database ranks, whichever database it is.

Wagtail's database backend (django-modelsearch) scores SQLite hits with one
correlated subquery per hit, which took seconds at 10,000 policies; this engine
goes beneath it. Index rows are SearchEntry rows; the full-text index beside them
is an FTS5 table ranked with bm25() on SQLite (search.engines.embedded_sqlite),
a weighted tsvector column ranked with ts_rank_cd() on PostgreSQL
(search.engines.embedded_postgres; migration 0002, kept in the row, not in
TOAST, by migration 0006).

This module holds what both share: writing the index rows, reading a query
plan into a full-text match expression, filters, facets, hits and
suggestions. EmbeddedEngine() answers with the class of the connection's
vendor. No results are cached between searches (facet labels are, in
search.query).

SQL here is assembled from these modules' constants (table and column names)
only; every value from a request travels as a query parameter (S608 noted).
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from collections import Counter
from collections.abc import Iterable
from math import ceil

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When

from search.analysis import QueryPlan, plan_query, query_bigrams
from search.documents import SearchDocument
from search.engines.base import Engine, Progress
from search.models import SearchEntry, SearchEntryTier
from search.query import Hit, SearchRequest, SearchResults, highlight

FTS = "harbor_search_fts"
ENTRY = SearchEntry._meta.db_table
TIER = SearchEntryTier._meta.db_table
BATCH = 500
PREFIX_MIN = 4  # pinyin typed this long or longer also matches as a prefix
RELAXED_SHARE = 0.6  # with 3+ terms and no full match: this share must match
MAX_RELAXED_TERMS = 6
# Fewer hits than this (a page) with every term: the relaxed share is searched
# too, and its other hits follow them (see _find_relaxed).
RELAX_BELOW = 10
# Above this many hits, facets are counted on an even sample and say "about".
# Both vendors read it from this module when they search (tests lower it).
FACET_SAMPLE = 2000
HASH_MULTIPLIER = 2654435761  # Knuth's multiplicative hash (2^32 / golden ratio)
HIT_FIELDS = (
    "key", "type", "title", "url", "department", "category", "status", "issued_on",
    "body",
)  # fmt: skip
# Repealed policies come after everything else that matches (and are flagged);
# an amended one keeps most of its score.
STATUS_FACTOR = "CASE e.status WHEN 'amended' THEN 0.7 ELSE 1.0 END"
FACETS = {
    "type": "e.type",
    "department": "e.department_id",
    "category": "e.category_id",
    "year": "e.year",
    "status": "e.status",
}

_RECENCY = object()  # every candidate scores 0: rank by _rank_by_recency
# Repealed policies come after everything else that matches (and are flagged);
# an amended one keeps most of its score.
STATUS_FACTOR = "CASE e.status WHEN 'amended' THEN 0.7 ELSE 1.0 END"
# PostgreSQL's weights of D (unused), C (body), B (pinyin keys) and A (title).
PG_WEIGHTS = "'{0.1, 0.2, 0.5, 1.0}'"
# PostgreSQL ranks this many first-pass best hits again with the full score
# (hits past them keep the first-pass order); see _Dialect.first_pass_score.
RESCORED = 100
FACETS = {
    "type": "e.type",
    "department": "e.department_id",
    "category": "e.category_id",
    "year": "e.year",
    "status": "e.status",
}


def required_terms(plan: QueryPlan) -> list[list[str]]:
    """The terms a hit must match: the plan's optional ones (a lone character
    beside longer words) would make a question miss the document its content
    words find."""
    optional = set(plan.optional)
    return [term for index, term in enumerate(plan.terms) if index not in optional]


def may_relax(plan: QueryPlan, total: int) -> bool:
    """Relax to a share of the terms when every term matched too few hits: only
    with three terms or more, so that a two-word query keeps both words (one
    word the corpus has and one it lacks is nonsense, not a partial match)."""
    return total < RELAX_BELOW and len(required_terms(plan)) >= 3


def _batched(iterable: Iterable, size: int):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _tiers(doc: SearchDocument) -> list[str]:
    return list(dict.fromkeys(tier[:20] for tier in doc.tiers if tier))


class EmbeddedEngine(Engine):
    """Shared by both vendors; ``EmbeddedEngine()`` makes the connection's."""

    name = "database"
    vendor = ""
    AND = ""
    OR = ""

    def __new__(cls, *args, **kwargs):
        if cls is EmbeddedEngine:
            cls = _vendor_class(connection.vendor)
        return super().__new__(cls)

    # --- what each vendor says its own way ------------------------------------
    def token(self, token: str, prefix: bool) -> str:
        raise NotImplementedError

    def gram_phrase(self, grams: list[str]) -> str:
        """The bigrams of a typed word as a phrase in the bigram fields only."""
        raise NotImplementedError

    def matched(self) -> tuple[str, str]:
        """FROM/WHERE fragment with one parameter (the match expression), and
        the score expression: lower is better on both vendors."""
        raise NotImplementedError

    def rounded(self, expression: str) -> str:
        """Scores this close are ties: then the newer document wins."""
        raise NotImplementedError

    def _find(self, match: str, req: SearchRequest, plan: QueryPlan) -> dict:
        """{"total", "facets", "approximate", "hits": [(pk, score)]}."""
        raise NotImplementedError

    def _insert_fulltext(self, ids: list[int]) -> None:
        """Index rows just inserted one by one (not in a rebuild)."""

    def _delete_fulltext(self, keys: list[str]) -> None:
        """Forget the full text of rows about to be deleted."""

    def _delete_all_fulltext(self, cursor) -> None:
        pass

    def _after_rebuild(self, cursor) -> None:
        """Inside the rebuild's transaction, after every row is in."""

    def _after_rebuild_committed(self) -> None:
        pass

    # --- writing -------------------------------------------------------------
    def index(self, docs: Iterable[SearchDocument]) -> None:
        docs = list({doc.key: doc for doc in docs}.values())
        if not docs:
            return
        with transaction.atomic():
            self._delete([doc.key for doc in docs])
            self._insert(docs, with_fts=True)

    def remove(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        if keys:
            with transaction.atomic():
                self._delete(keys)

    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        total: int | None = None,
        progress: Progress | None = None,
    ) -> int:
        done = 0
        with transaction.atomic():
            self._delete_all()
            seen: set[str] = set()
            for batch in _batched(docs, BATCH):
                batch = [d for d in batch if d.key not in seen]
                seen.update(d.key for d in batch)
                self._insert(batch, with_fts=False)
                done += len(batch)
                if progress:
                    progress(done)
            with connection.cursor() as cursor:
                self._after_rebuild(cursor)
        if not connection.in_atomic_block:
            self._after_rebuild_committed()
        return done

    def _insert(self, docs: list[SearchDocument], with_fts: bool) -> None:
        entries = SearchEntry.objects.bulk_create(
            [
                SearchEntry(
                    key=doc.key,
                    type=doc.type,
                    object_id=doc.object_id,
                    title=doc.title[:300],
                    body=doc.body,
                    url=doc.url[:500],
                    department=doc.department[:100],
                    department_id=doc.department_id,
                    category=doc.category[:100],
                    category_id=doc.category_id,
                    status=doc.status,
                    issued_on=doc.issued_on,
                    year=doc.year,
                    doc_number=doc.doc_number[:80],
                    title_tokens=doc.title_tokens,
                    body_tokens=doc.body_tokens,
                    pinyin=doc.pinyin,
                    title_grams=doc.title_grams,
                    body_grams=doc.body_grams,
                    tiers=" ".join(_tiers(doc))[:200],
                )
                for doc in docs
            ]
        )
        SearchEntryTier.objects.bulk_create(
            [
                SearchEntryTier(entry_id=entry.pk, tier=tier[:20])
                for entry, doc in zip(entries, docs, strict=True)
                for tier in _tiers(doc)
            ]
        )
        if with_fts:
            self._insert_fulltext([entry.pk for entry in entries])

    def _delete(self, keys: list[str]) -> None:
        for batch in _batched(keys, BATCH):
            self._delete_fulltext(batch)
            SearchEntryTier.objects.filter(entry__key__in=batch).delete()
            SearchEntry.objects.filter(key__in=batch).delete()

    def _delete_all(self) -> None:
        with connection.cursor() as cursor:
            self._delete_all_fulltext(cursor)
            cursor.execute(f"DELETE FROM {TIER}")  # noqa: S608
            cursor.execute(f"DELETE FROM {ENTRY}")  # noqa: S608

    # --- reading -------------------------------------------------------------
    def match_expression(self, plan: QueryPlan, relaxed: bool = False) -> str:
        """The full-text query of a plan: every required term must match
        (strict), or, relaxed, any RELAXED_SHARE of them. An optional term is
        OR-ed with the first required one: it never narrows the hits, but
        bm25 and ts_rank score it where it occurs."""
        d = self  # the vendor's tokens and operators
        terms = [self._term_expression(t, plan) for t in required_terms(plan)]
        terms = [t for t in terms if t]
        if not relaxed:
            matched = d.AND.join(terms)
        else:
            terms = terms[:MAX_RELAXED_TERMS]
            needed = max(1, ceil(len(terms) * RELAXED_SHARE))
            matched = d.OR.join(
                "(" + d.AND.join(combo) + ")"
                for combo in itertools.combinations(terms, needed)
            )
        optional = set(plan.optional)
        boosters = [
            self._term_expression(term, plan)
            for index, term in enumerate(plan.terms)
            if index in optional
        ]
        boosters = [b for b in boosters if b]
        if not terms or not boosters:
            return matched
        # Relaxed, a hit may lack the first term: the whole match anchors.
        anchor = f"({matched})" if relaxed else terms[0]
        return f"({matched})" + "".join(
            f"{d.AND}({booster}{d.OR}{anchor})" for booster in boosters
        )

    def _term_expression(self, alternatives: list[str], plan: QueryPlan) -> str:
        """One term: its alternatives OR-ed, a multi-token one as an AND."""
        d = self  # the vendor's tokens and operators
        prefixable = {p for p in plan.pinyin if len(p) >= PREFIX_MIN}
        options = []
        for alternative in alternatives:
            tokens = alternative.split()
            if not tokens:
                continue
            parts = [d.token(t, t in prefixable) for t in tokens]
            options.append(parts[0] if len(parts) == 1 else f"({d.AND.join(parts)})")
        # The typed word also matches as its character bigrams in a row (the
        # recall safety net), weighted below the word fields.
        grams = query_bigrams(alternatives[0]) if alternatives else []
        if options and grams:
            options.append(d.gram_phrase(grams))
        if not options:
            return ""
        return options[0] if len(options) == 1 else f"({d.OR.join(options)})"

    def search(
        self, req: SearchRequest, plan: QueryPlan | None = None
    ) -> SearchResults:
        plan = plan if plan is not None else plan_query(req.query)
        results = SearchResults(
            total=0,
            hits=[],
            facets={},
            page=req.page,
            page_size=req.page_size,
            plan=plan,
        )
        if plan.is_empty:
            return results
        match = self.match_expression(plan)
        found = self._find(match, req, plan)
        if may_relax(plan, found["total"]):
            found = self._find_relaxed(found, req, plan)
        results.total = found["total"]
        results.facets = found["facets"]
        results.facets_approximate = found["approximate"]
        results.hits = self._hits(found["hits"], plan)
        return results

    def _find_relaxed(self, strict: dict, req: SearchRequest, plan: QueryPlan) -> dict:
        """The relaxed search, with the few hits that match every term first
        (then the rest by score): a hit is ranked by how many terms it has
        before how well. Its total and facets count the relaxed hits."""
        match = self.match_expression(plan, relaxed=True)
        if not strict["total"]:
            return self._find(match, req, plan)
        every = dataclasses.replace(req, page=1, page_size=strict["total"])
        first = self._find(self.match_expression(plan), every, plan)["hits"]
        wanted = dataclasses.replace(
            req, page=1, page_size=req.offset + req.page_size + len(first)
        )
        found = self._find(match, wanted, plan)
        strict_ids = {pk for pk, _score in first}
        rest = [hit for hit in found["hits"] if hit[0] not in strict_ids]
        found["hits"] = (first + rest)[req.offset : req.offset + req.page_size]
        return found

    def _filters(self, req: SearchRequest) -> tuple[str, list]:
        sql, params = [], []
        for key, column in (
            ("type", "e.type"),
            ("department", "e.department_id"),
            ("category", "e.category_id"),
            ("year", "e.year"),
            ("status", "e.status"),
        ):
            if key in req.filters:
                sql.append(f" AND {column} = %s")
                params.append(req.filters[key])
        if "tier" in req.filters:
            sql.append(f" AND e.id IN (SELECT entry_id FROM {TIER} WHERE tier = %s)")  # noqa: S608
            params.append(req.filters["tier"])
        if req.hidden:
            marks = ", ".join(["%s"] * len(req.hidden))
            sql.append(f" AND e.key NOT IN ({marks})")
            params.extend(sorted(req.hidden))
        return "".join(sql), params

    # --- ranking every hit (the reference the fast paths must equal) -------
    def _order(self, score: str) -> str:
        return (
            f"CASE WHEN e.status = 'repealed' THEN 1 ELSE 0 END, "
            f"{self.rounded(score)}, e.issued_on DESC NULLS LAST, e.id DESC"
        )

    def _rank(self, match: str, req: SearchRequest) -> list[tuple[int, float]]:
        return self._rank_every_hit(match, req)

    def _rank_every_hit(
        self, match: str, req: SearchRequest
    ) -> list[tuple[int, float]]:
        source, score = self.matched()
        where, params = self._filters(req)
        # Materialized, so that the score is computed once per hit, not again
        # for the ORDER BY (PostgreSQL repeats ts_rank_cd otherwise).
        sql = (
            f"WITH m AS MATERIALIZED (SELECT e.id, e.status, e.issued_on,"  # noqa: S608
            f" {score} AS score {source}{where})"
            f" SELECT e.id, CAST(e.score AS DOUBLE PRECISION) FROM m e"
            f" ORDER BY {self._order('e.score')} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, *params, req.page_size, req.offset])
            return [(int(pk), float(value)) for pk, value in cursor.fetchall()]

    # --- facets ---------------------------------------------------------------
    @staticmethod
    def _buckets(values: tuple) -> list[tuple]:
        """(facet, value, count) from the space-separated values of each of
        FACETS and of the tiers, counted here: handing one string per facet
        over and counting it cost less than half of six GROUP BYs inside
        SQLite, or of a row per hit."""
        return [
            (name, value, count)
            for name, joined in zip([*FACETS, "tiers"], values, strict=True)
            for value, count in Counter((joined or "").split()).items()
        ]

    @staticmethod
    def _facets(buckets: list[tuple], total: int, counted: int, step: int) -> dict:
        """Facets from (facet, value, count) rows counted over ``counted`` rows
        (an even sample of the ``total`` when step > 1: scaled up)."""
        facets: dict[str, list[dict]] = {name: [] for name in [*FACETS, "tier"]}
        scale = total / counted if step > 1 and counted else 1.0
        tiers: dict[str, int] = {}
        for name, value, count in buckets:
            if name == "tiers":  # a combination of tier codes
                for tier in str(value).split():
                    tiers[tier] = tiers.get(tier, 0) + count
                continue
            facets[name].append(
                {
                    "value": str(value),
                    "label": str(value),
                    "count": max(1, round(count * scale)),
                }
            )
        facets["tier"] = [
            {"value": tier, "label": tier, "count": max(1, round(count * scale))}
            for tier, count in tiers.items()
        ]
        for name, found in facets.items():
            if name == "year":
                found.sort(key=lambda b: b["value"], reverse=True)
            else:
                found.sort(key=lambda b: (-b["count"], b["value"]))
        return {"total": total, "facets": facets, "approximate": step > 1}

    def _hits(self, ranked: list[tuple[int, float]], plan: QueryPlan) -> list[Hit]:
        if not ranked:
            return []
        ids = [pk for pk, _score in ranked]
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            # Only what a hit shows (the token and pinyin columns are long),
            # without building model instances.
            cursor.execute(
                f"SELECT id, {', '.join(HIT_FIELDS)} FROM {ENTRY}"  # noqa: S608
                f" WHERE id IN ({marks})",
                ids,
            )
            entries = {row[0]: row[1:] for row in cursor.fetchall()}
        tokens = plan.tokens
        hits = []
        for pk, score in ranked:
            entry = entries.get(pk)
            if entry is None:
                continue
            key, type_, title, url, department, category, status, issued_on, body = (
                entry
            )
            if isinstance(issued_on, str):  # SQLite hands raw dates over as text
                issued_on = datetime.date.fromisoformat(issued_on)
            hits.append(
                Hit(
                    key=key,
                    type=type_,
                    title=title,
                    url=url,
                    department=department,
                    category=category,
                    status=status,
                    issued_on=issued_on,
                    highlight=highlight(body, tokens),
                    score=round(-score, 4),
                    title_highlight=highlight(title, tokens, width=300),
                )
            )
        return hits

    def suggest(
        self, prefix: str, limit: int = 8, hidden: frozenset[str] = frozenset()
    ) -> list[dict]:
        condition = Q(title__icontains=prefix)
        if prefix.isascii() and prefix.isalpha() and len(prefix) >= 2:
            condition |= Q(pinyin__startswith=prefix) | Q(pinyin__contains=f" {prefix}")
        entries = (
            SearchEntry.objects.filter(condition)
            .exclude(key__in=hidden)
            .annotate(
                starts=Case(
                    When(title__istartswith=prefix, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
                repealed=Case(
                    When(status="repealed", then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
            )
            .order_by("starts", "repealed", "-issued_on", "title")
            .values("title", "url", "type")[:limit]
        )
        return [dict(entry) for entry in entries]


def _vendor_class(vendor: str) -> type[EmbeddedEngine]:
    # Imported here: both modules build on this one.
    if vendor == "sqlite":
        from search.engines.embedded_sqlite import SQLiteEngine

        return SQLiteEngine
    if vendor == "postgresql":
        from search.engines.embedded_postgres import PostgreSQLEngine

        return PostgreSQLEngine
    raise NotImplementedError(
        f"The embedded search engine supports SQLite and PostgreSQL, not {vendor}"
    )
