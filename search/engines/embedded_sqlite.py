"""The embedded engine on SQLite: an FTS5 table ranked with bm25().

One statement answers a search: the FTS5 scan runs once and its matches (with
their bm25 scores) are materialized; from them come the exact total, the facet
values of every hit (read through the covering index and counted in Python;
above FACET_SAMPLE hits of an even sample, and the facets say "about") and the
page, ranked from the best raw bm25 candidates (see _rank_from_candidates).

SQL here is assembled from constants (table and column names) only; every
value from a request travels as a query parameter (S608 noted).
"""

from __future__ import annotations

from math import ceil

from django.db import connection

from search.analysis import QueryPlan
from search.engines import embedded
from search.engines.embedded import (
    ENTRY,
    FACETS,
    FTS,
    HASH_MULTIPLIER,
    STATUS_FACTOR,
    EmbeddedEngine,
)
from search.query import SearchRequest

# Column weights of bm25(): title, body, pinyin keys, then the character
# bigrams of the title and of the body, each below the words of its field.
TITLE_GRAMS_WEIGHT = 2.0
BODY_GRAMS_WEIGHT = 0.3
BM25_WEIGHTS = f"10.0, 1.0, 4.0, {TITLE_GRAMS_WEIGHT}, {BODY_GRAMS_WEIGHT}"
COVERING_INDEX = "harbor_search_facets"
RECENCY_INDEX = "harbor_search_recency"  # migration 0004
# SQLite ranks this many best raw bm25 scores (or CANDIDATE_FACTOR times the
# end of the page) before the status and date rules; see _rank_from_candidates.
CANDIDATES = 100
CANDIDATE_FACTOR = 3
_RECENCY = object()  # every candidate scores 0: rank by _rank_by_recency
FTS_COLUMNS = "title_tokens, body_tokens, pinyin, title_grams, body_grams"
GRAM_COLUMNS = "{title_grams body_grams}"


class SQLiteEngine(EmbeddedEngine):
    vendor = "sqlite"
    AND = " AND "
    OR = " OR "

    def token(self, token: str, prefix: bool) -> str:
        quoted = '"' + token.replace('"', '""') + '"'
        return quoted + ("*" if prefix else "")

    def gram_phrase(self, grams: list[str]) -> str:
        # Bigrams are Chinese characters only: nothing to escape.
        return f'{GRAM_COLUMNS} : "{" ".join(grams)}"'

    def matched(self) -> tuple[str, str]:
        return (
            f"FROM {FTS} JOIN {ENTRY} e INDEXED BY {COVERING_INDEX}"
            f" ON e.id = {FTS}.rowid WHERE {FTS} MATCH %s",
            f"bm25({FTS}, {BM25_WEIGHTS}) * {STATUS_FACTOR}",
        )

    def rounded(self, expression: str) -> str:
        return f"round({expression}, 2)"

    # --- writing -------------------------------------------------------------
    def _insert_fulltext(self, ids: list[int]) -> None:
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FTS}(rowid, {FTS_COLUMNS}) "  # noqa: S608
                f"SELECT id, {FTS_COLUMNS} FROM {ENTRY} "
                f"WHERE id IN ({marks})",
                ids,
            )

    def _delete_fulltext(self, keys: list[str]) -> None:
        marks = ", ".join(["%s"] * len(keys))
        with connection.cursor() as cursor:
            # External-content FTS5 forgets a row only when told its text.
            cursor.execute(
                f"INSERT INTO {FTS}({FTS}, rowid, {FTS_COLUMNS})"  # noqa: S608
                f" SELECT 'delete', id, {FTS_COLUMNS} FROM {ENTRY}"
                f" WHERE key IN ({marks})",
                keys,
            )

    def _delete_all_fulltext(self, cursor) -> None:
        cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('delete-all')")  # noqa: S608

    def _after_rebuild(self, cursor) -> None:
        # One pass over the content table: faster than row by row.
        cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")  # noqa: S608

    # --- reading -------------------------------------------------------------
    def _find(self, match: str, req: SearchRequest, plan: QueryPlan) -> dict:
        found = self._answer(match, req)
        hits: list[tuple[int, float]] = []
        if found["total"] and req.offset < found["total"]:
            hits = found["ranked"]
            if hits is _RECENCY:
                hits = self._rank_by_recency(match, req)
            elif hits is None:
                hits = self._rank_every_hit(match, req)
        found["hits"] = hits
        return found

    def _rank(self, match: str, req: SearchRequest) -> list[tuple[int, float]]:
        found = self._rank_from_candidates(match, req)
        if found is not None:
            return found
        return self._rank_every_hit(match, req)

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
        rounded = self.rounded
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
        sample = int(embedded.FACET_SAMPLE)
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
