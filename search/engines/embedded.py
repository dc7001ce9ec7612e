"""The embedded engine: the database ranks, whichever database it is.

Wagtail's database backend (django-modelsearch) scores SQLite hits with one
correlated subquery per hit, which took seconds at 10,000 policies; this engine
goes beneath it. Index rows are SearchEntry rows; the full-text index beside them
is an FTS5 table ranked with bm25() on SQLite, a weighted tsvector column ranked
with ts_rank_cd() on PostgreSQL (migration 0002; kept in the row, not in
TOAST, by migration 0006).

On SQLite one statement answers a search: the FTS5 scan runs once and its
matches (with their bm25 scores) are materialized; from them come the exact
total, the facet values of every hit (read through the covering index and
counted in Python; above FACET_SAMPLE hits of an even sample, and the facets
say "about") and the page,
ranked from the best raw bm25 candidates (see _rank_from_candidates). On
PostgreSQL, where reading a matching row (and its tsvector) is the cost, one
statement also returns the page, the total and every facet, so each row is read
once; every hit is scored with ts_rank and the best RESCORED again with
ts_rank_cd; the facets are sampled above FACET_SAMPLE hits there too. No results are
cached between searches (facet labels are, in search.query).

SQL here is assembled from this module's constants (table and column names)
only; every value from a request travels as a query parameter (S608 noted).
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from collections.abc import Iterable
from math import ceil

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When

from search.analysis import QueryPlan, plan_query
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
# Fewer hits than this with every term: the relaxed share is searched instead
# (it finds them too, ranked with the rest by how much of the query they match).
RELAX_BELOW = 1
# Column weights of bm25(): title, body, pinyin keys.
BM25_WEIGHTS = "10.0, 1.0, 4.0"
COVERING_INDEX = "harbor_search_facets"
RECENCY_INDEX = "harbor_search_recency"  # SQLite only, migration 0004
# SQLite ranks this many best raw bm25 scores (or CANDIDATE_FACTOR times the
# end of the page) before the status and date rules; see _rank_from_candidates.
CANDIDATES = 100
CANDIDATE_FACTOR = 3
# Above this many hits, facets are counted on an even sample and say "about".
FACET_SAMPLE = 2000
HASH_MULTIPLIER = 2654435761  # Knuth's multiplicative hash (2^32 / golden ratio)
HIT_FIELDS = (
    "key", "type", "title", "url", "department", "category", "status", "issued_on",
    "body",
)  # fmt: skip
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


class _Dialect:
    """What differs between SQLite FTS5 and PostgreSQL full-text search."""

    def __init__(self, vendor: str) -> None:
        if vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(
                f"The embedded search engine supports SQLite and PostgreSQL, not {vendor}"
            )
        self.vendor = vendor

    # --- query expressions -------------------------------------------------
    def token(self, token: str, prefix: bool) -> str:
        if self.vendor == "sqlite":
            quoted = '"' + token.replace('"', '""') + '"'
            return quoted + ("*" if prefix else "")
        quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
        return quoted + (":*" if prefix else "")

    @property
    def AND(self) -> str:  # noqa: N802
        return " AND " if self.vendor == "sqlite" else " & "

    @property
    def OR(self) -> str:  # noqa: N802
        return " OR " if self.vendor == "sqlite" else " | "

    # --- SQL ---------------------------------------------------------------
    def matched(self) -> tuple[str, str]:
        """FROM/WHERE fragment with one parameter (the match expression), and
        the score expression: lower is better on both vendors."""
        if self.vendor == "sqlite":
            return (
                f"FROM {FTS} JOIN {ENTRY} e INDEXED BY {COVERING_INDEX}"
                f" ON e.id = {FTS}.rowid WHERE {FTS} MATCH %s",
                f"bm25({FTS}, {BM25_WEIGHTS}) * {STATUS_FACTOR}",
            )
        return (
            f"FROM {ENTRY} e, to_tsquery('simple', %s) q WHERE e.search_vector @@ q",
            f"-ts_rank_cd({PG_WEIGHTS}, e.search_vector, q, 1) * {STATUS_FACTOR}",
        )

    @staticmethod
    def first_pass_score() -> str:
        """PostgreSQL: the cheaper ts_rank (word frequency), over every hit;
        the best RESCORED of them are ranked again with ts_rank_cd (which also
        weighs how close the words stand), a quarter of its cost per hit."""
        return f"-ts_rank({PG_WEIGHTS}, e.search_vector, q, 1) * {STATUS_FACTOR}"

    def rounded(self, expression: str) -> str:
        # Scores this close are ties: then the newer document wins.
        if self.vendor == "sqlite":
            return f"round({expression}, 2)"
        return f"round(CAST({expression} AS numeric), 4)"


class EmbeddedEngine(Engine):
    name = "database"

    def __init__(self) -> None:
        self.dialect = _Dialect(connection.vendor)

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
                if self.dialect.vendor == "sqlite":
                    # One pass over the content table: faster than row by row.
                    cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")  # noqa: S608
                else:
                    # Fresh statistics, or the planner guesses a few dozen hits
                    # for common words and picks nested loops over thousands.
                    cursor.execute(f"ANALYZE {ENTRY}")  # noqa: S608
                    cursor.execute(f"ANALYZE {TIER}")  # noqa: S608
        if self.dialect.vendor == "postgresql" and not connection.in_atomic_block:
            # Every old row is now dead: free the space at once rather than
            # whenever autovacuum comes (if it does), or each search scans the
            # dead rows too (seen: seven rebuilds made searches several times
            # slower). VACUUM cannot run inside a transaction.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM {ENTRY}")  # noqa: S608
                cursor.execute(f"VACUUM {TIER}")  # noqa: S608
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
        if with_fts and self.dialect.vendor == "sqlite":
            ids = [entry.pk for entry in entries]
            marks = ", ".join(["%s"] * len(ids))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {FTS}(rowid, title_tokens, body_tokens, pinyin) "  # noqa: S608
                    f"SELECT id, title_tokens, body_tokens, pinyin FROM {ENTRY} "
                    f"WHERE id IN ({marks})",
                    ids,
                )

    def _delete(self, keys: list[str]) -> None:
        for batch in _batched(keys, BATCH):
            if self.dialect.vendor == "sqlite":
                marks = ", ".join(["%s"] * len(batch))
                with connection.cursor() as cursor:
                    # External-content FTS5 forgets a row only when told its text.
                    cursor.execute(
                        f"INSERT INTO {FTS}({FTS}, rowid, title_tokens, body_tokens,"  # noqa: S608
                        f" pinyin) SELECT 'delete', id, title_tokens, body_tokens,"
                        f" pinyin FROM {ENTRY} WHERE key IN ({marks})",
                        batch,
                    )
            SearchEntryTier.objects.filter(entry__key__in=batch).delete()
            SearchEntry.objects.filter(key__in=batch).delete()

    def _delete_all(self) -> None:
        with connection.cursor() as cursor:
            if self.dialect.vendor == "sqlite":
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('delete-all')")  # noqa: S608
            cursor.execute(f"DELETE FROM {TIER}")  # noqa: S608
            cursor.execute(f"DELETE FROM {ENTRY}")  # noqa: S608

    # --- reading -------------------------------------------------------------
    def match_expression(self, plan: QueryPlan, relaxed: bool = False) -> str:
        """The full-text query of a plan: every required term must match
        (strict), or, relaxed, any RELAXED_SHARE of them. An optional term is
        OR-ed with the first required one: it never narrows the hits, but
        bm25 and ts_rank score it where it occurs."""
        d = self.dialect
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
        d = self.dialect
        prefixable = {p for p in plan.pinyin if len(p) >= PREFIX_MIN}
        options = []
        for alternative in alternatives:
            tokens = alternative.split()
            if not tokens:
                continue
            parts = [d.token(t, t in prefixable) for t in tokens]
            options.append(parts[0] if len(parts) == 1 else f"({d.AND.join(parts)})")
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
        if self.dialect.vendor == "postgresql":
            found = self._run_in_one_pass(self.match_expression(plan), req)
            if may_relax(plan, found["total"]):
                relaxed = self.match_expression(plan, relaxed=True)
                found = self._run_in_one_pass(relaxed, req)
            results.total = found["total"]
            results.facets = found["facets"]
            results.facets_approximate = found["approximate"]
            results.hits = self._hits(found["hits"], plan)
            return results
        match = self.match_expression(plan)
        found = self._answer(match, req)
        if may_relax(plan, found["total"]):
            match = self.match_expression(plan, relaxed=True)
            found = self._answer(match, req)
        results.total = found["total"]
        results.facets = found["facets"]
        results.facets_approximate = found["approximate"]
        if results.total and req.offset < results.total:
            ranked = found["ranked"]
            if ranked is _RECENCY:
                ranked = self._rank_by_recency(match, req)
            elif ranked is None:
                ranked = self._rank_every_hit(match, req)
            results.hits = self._hits(ranked, plan)
        return results

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

    def _run_in_one_pass(self, match: str, req: SearchRequest) -> dict:
        """PostgreSQL: the page, the total and every facet in one statement, so
        that the matching rows (and their tsvectors) are read once."""
        d = self.dialect
        source, score = d.matched()
        where, params = self._filters(req)

        def order(alias: str) -> str:
            return (
                f"CASE WHEN {alias}.status = 'repealed' THEN 1 ELSE 0 END, "
                f"{d.rounded(alias + '.score')}, {alias}.issued_on DESC NULLS LAST, "
                f"{alias}.id DESC"
            )

        sample = int(FACET_SAMPLE)
        # Each facet's values as one space-separated string, the facets
        # separated by "|", in one pass over the (sampled) hits; counted in
        # Python (see _buckets): cheaper than a GROUP BY per facet here too.
        facet_values = ", ".join(
            f"COALESCE(string_agg(CAST({column.replace('e.', 'm.')} AS TEXT), ' '), '')"
            for column in [*FACETS.values(), "e.tiers"]
        )
        # Every hit gets the first-pass score (the ranking needs them all),
        # the best RESCORED the full one. The window is the same for every
        # page, so that pages neither repeat nor skip a hit. Above FACET_SAMPLE
        # hits the facets are counted on an even sample, as on SQLite.
        sql = (
            f"WITH m AS MATERIALIZED (SELECT e.id, e.type, e.department_id,"  # noqa: S608
            f" e.category_id, e.year, e.status, e.issued_on, e.tiers,"
            f" {d.first_pass_score()} AS first_pass {source}{where}),"
            f" n AS MATERIALIZED (SELECT COUNT(*) AS n FROM m),"
            f" c AS MATERIALIZED (SELECT m.id FROM m ORDER BY"
            f" CASE WHEN m.status = 'repealed' THEN 1 ELSE 0 END, m.first_pass"
            f" LIMIT {int(RESCORED)}),"
            f" r AS MATERIALIZED (SELECT e.id, e.status, e.issued_on, 0 AS part,"
            f" {score} AS score FROM c JOIN {ENTRY} e ON e.id = c.id,"
            f" to_tsquery('simple', %s) q"
            # Past the rescored window (a deep page only), the first pass ranks.
            f" UNION ALL SELECT m.id, m.status, m.issued_on, 1, m.first_pass FROM m"
            f" WHERE %s > {int(RESCORED)} AND m.id NOT IN (SELECT id FROM c))"
            f" SELECT 'hit' AS kind, CAST(h.id AS TEXT) AS value,"
            f" CAST(h.score AS DOUBLE PRECISION) AS num,"
            f" ROW_NUMBER() OVER (ORDER BY h.part, {order('h')}) AS cnt FROM"
            f" (SELECT r.* FROM r ORDER BY r.part, {order('r')} LIMIT %s OFFSET %s) h"
            f" UNION ALL SELECT 'total', '', 0.0, n FROM n"
            f" UNION ALL SELECT 'facets', concat_ws('|', {facet_values}), 0.0,"
            f" COUNT(*) FROM m, n WHERE n.n <= {sample}"
            f" OR ((CAST(m.id AS BIGINT) * {HASH_MULTIPLIER} %% 4294967296) >> 16)"
            f" %% ((n.n + {sample - 1}) / {sample}) = 0"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    match,
                    *params,
                    match,
                    req.offset + req.page_size,
                    req.page_size,
                    req.offset,
                ],
            )
            found = cursor.fetchall()
        hits = sorted(
            (int(r[3]), int(r[1]), float(r[2])) for r in found if r[0] == "hit"
        )
        total = next((int(r[3]) for r in found if r[0] == "total"), 0)
        _kind, values, _num, counted = next(r for r in found if r[0] == "facets")
        step = ceil(total / sample) if total > sample else 1
        buckets = self._buckets(tuple(values.split("|")))
        return {
            "hits": [(pk, score) for _rn, pk, score in hits],
            **self._facets(buckets, total, counted, step),
        }

    # --- SQLite ranking: one page of hits, no facets --------------------------------
    def _order(self, score: str) -> str:
        return (
            f"CASE WHEN e.status = 'repealed' THEN 1 ELSE 0 END, "
            f"{self.dialect.rounded(score)}, e.issued_on DESC NULLS LAST, e.id DESC"
        )

    def _rank(self, match: str, req: SearchRequest) -> list[tuple[int, float]]:
        if self.dialect.vendor == "sqlite":
            found = self._rank_from_candidates(match, req)
            if found is not None:
                return found
        return self._rank_every_hit(match, req)

    def _rank_every_hit(
        self, match: str, req: SearchRequest
    ) -> list[tuple[int, float]]:
        source, score = self.dialect.matched()
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

    def _rank_from_candidates(
        self, match: str, req: SearchRequest
    ) -> list[tuple[int, float]] | None:
        """SQLite: take the best raw bm25 scores only (SQLite's top-N sort over
        the FTS5 scan, no per-hit join), then apply status, rounding and date to
        these candidates. Exact when every hit of the page is certain: not
        repealed and rounded below the worst candidate's raw score, which no
        other hit can beat (the status factor only raises a score, and lower is
        better). When even the best raw score rounds to 0 (every word is in
        most documents, so bm25 tells nothing), every hit ties on the score and
        the order is status then date: an index walk finds the page. None when
        neither holds: the caller ranks every hit. search() runs the same SQL
        within _answer; this stands alone for _rank."""
        where, params = self._filters(req)
        limit, wanted = self._candidate_limits(req)
        sql = (
            f"WITH c AS MATERIALIZED (SELECT rowid AS id,"  # noqa: S608
            f" bm25({FTS}, {BM25_WEIGHTS}) AS raw FROM {FTS} WHERE {FTS} MATCH %s"
            f" ORDER BY raw LIMIT %s){self._candidate_rows(where)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, limit, *params, wanted])
            rows = cursor.fetchall()
        ranked = self._pick_candidates(rows, req)
        if ranked is _RECENCY:
            return self._rank_by_recency(match, req)
        return ranked

    @staticmethod
    def _candidate_limits(req: SearchRequest) -> tuple[int, int]:
        wanted = req.offset + req.page_size
        return max(CANDIDATES, CANDIDATE_FACTOR * wanted), wanted

    def _candidate_rows(self, where: str) -> str:
        """Rows over the candidates ``c`` (id, raw): one of kind 1 describing
        them (how many, the best and the worst rounded raw score), then the
        page (kind 0), ranked. Parameters: the filters, then the row limit."""
        score = f"c.raw * {STATUS_FACTOR}"
        rounded = self.dialect.rounded
        return (
            f" SELECT 1 AS kind, count(*), {rounded('min(raw)')},"  # noqa: S608
            f" {rounded('max(raw)')}, NULL, NULL, NULL FROM c"
            f" UNION ALL SELECT * FROM (SELECT 0, e.id, {score},"
            f" CASE WHEN e.status = 'repealed' THEN 1 ELSE 0 END, {rounded(score)},"
            f" e.issued_on, NULL"
            f" FROM c JOIN {ENTRY} e INDEXED BY {COVERING_INDEX} ON e.id = c.id"
            f" WHERE 1 = 1{where}"
            f" ORDER BY 4, 5, 6 DESC, 2 DESC LIMIT %s)"
        )

    def _pick_candidates(self, rows: list[tuple], req: SearchRequest):
        """The page from _candidate_rows (kinds 0 and 1 of ``rows``), _RECENCY
        or None: see _rank_from_candidates."""
        limit, wanted = self._candidate_limits(req)
        count = best = cutoff = 0
        page = []
        for row in rows:
            if row[0] == 1:
                _kind, count, best, cutoff = row[:4]
            elif row[0] == 0:
                page.append(row)
        # The order of ORDER BY 4, 5, 6 DESC NULLS LAST, 2 DESC, whatever order
        # the compound statement returned the rows in (stable sorts).
        page.sort(key=lambda r: r[1], reverse=True)
        page.sort(key=lambda r: (r[5] is not None, r[5] or ""), reverse=True)
        page.sort(key=lambda r: (r[3], r[4]))
        if count < limit:  # every hit is a candidate
            return [(int(row[1]), float(row[2])) for row in page[req.offset :]]
        if best == 0:
            return _RECENCY
        if len(page) < wanted or any(
            repealed or value >= cutoff for _k, _pk, _s, repealed, value, *_ in page
        ):
            return None
        return [(int(row[1]), float(row[2])) for row in page[req.offset :]]

    def _answer(self, match: str, req: SearchRequest) -> dict:
        """SQLite: the total, the facets and the candidates of the page in one
        statement, over one FTS5 scan whose matches (and bm25 scores) are
        materialized once. Above FACET_SAMPLE hits the facets are counted on an
        even sample, picked by a multiplicative hash of the id so that no regular
        pattern of ids aliases with it, and scaled ("about"); the total stays
        exact. "ranked" is the page, or _RECENCY or None (see
        _rank_from_candidates)."""
        where, params = self._filters(req)
        limit, wanted = self._candidate_limits(req)
        sample = int(FACET_SAMPLE)
        columns = ", ".join([*FACETS.values(), "e.tiers"])
        # Each facet's values as one space-separated string: one row to hand
        # over instead of one per hit (values never hold a space; a tiers value
        # is itself a space-separated list, which counts as its parts).
        concatenated = ", ".join(
            f"group_concat({column.replace('e.', 'm.')}, ' ')"
            for column in [*FACETS.values(), "e.tiers"]
        )
        # %% is a literal % once the parameters are bound. Up to FACET_SAMPLE
        # hits, the hash is not even computed (OR stops at the constant).
        sampled = (
            f"((SELECT n FROM n) <= {sample} OR ((CAST(i.id AS BIGINT)"  # noqa: S608
            f" * {HASH_MULTIPLIER} %% 4294967296) >> 16)"
            f" %% (((SELECT n FROM n) + {sample - 1}) / {sample}) = 0)"
        )
        nulls = ", NULL" * len(FACETS)
        # With a filter and a sample, the exact filtered total costs a pass
        # over the rows; the constant condition skips it otherwise.
        filtered_total = (
            f" UNION ALL SELECT 3, count(*){nulls} FROM i"  # noqa: S608
            f" JOIN {ENTRY} e INDEXED BY {COVERING_INDEX} ON e.id = i.id"
            f" WHERE (SELECT n FROM n) > {sample}{where}"
            if where
            else ""
        )
        sql = (
            f"WITH i AS MATERIALIZED (SELECT rowid AS id,"  # noqa: S608
            f" bm25({FTS}, {BM25_WEIGHTS}) AS raw FROM {FTS} WHERE {FTS} MATCH %s),"
            f" n AS MATERIALIZED (SELECT count(*) AS n FROM i),"
            f" m AS (SELECT {columns} FROM i"
            f" JOIN {ENTRY} e INDEXED BY {COVERING_INDEX} ON e.id = i.id"
            f" WHERE {sampled}{where}),"
            f" c AS MATERIALIZED (SELECT id, raw FROM i ORDER BY raw LIMIT %s)"
            f" SELECT 2, n{nulls} FROM n{filtered_total}"
            f" UNION ALL SELECT 5, {concatenated} FROM m"
            f" UNION ALL{self._candidate_rows(where)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    match,
                    *params,
                    limit,
                    *(params if where else []),
                    *params,
                    wanted,
                ],
            )
            rows = cursor.fetchall()
        matched = next(int(row[1]) for row in rows if row[0] == 2)
        step = ceil(matched / sample) if matched > sample else 1
        values = next(row[1:] for row in rows if row[0] == 5)
        counted = len(values[0].split()) if values[0] else 0  # every hit has a type
        if not where:
            total = matched
        elif step > 1:
            total = next(int(row[1]) for row in rows if row[0] == 3)
        else:
            total = counted
        found = self._facets(self._buckets(values), total, counted, step)
        found["ranked"] = self._pick_candidates(rows, req) if total else []
        return found

    def _rank_by_recency(
        self, match: str, req: SearchRequest
    ) -> list[tuple[int, float]]:
        """Every hit has the same (zero) score: in force before repealed, newer
        first, walked down RECENCY_INDEX until the page is full."""
        where, params = self._filters(req)
        sql = (
            f"SELECT e.id FROM {ENTRY} e INDEXED BY {RECENCY_INDEX}"  # noqa: S608
            f" WHERE e.id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s){where}"
            # SQLite's DESC puts NULLs last; the index has this exact order.
            f" ORDER BY CASE WHEN e.status = 'repealed' THEN 1 ELSE 0 END,"
            f" e.issued_on DESC, e.id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, *params, req.page_size, req.offset])
            return [(int(pk), 0.0) for (pk,) in cursor.fetchall()]

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
