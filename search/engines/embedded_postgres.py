"""The embedded engine on PostgreSQL: a weighted tsvector column ranked with
ts_rank_cd() (migration 0002; kept in the row, not in TOAST, by migration 0006).

Reading a matching row (and its tsvector) is the cost here, so one statement
returns the page, the total and every facet, and each row is read once; every
hit is scored with ts_rank and the best RESCORED again with ts_rank_cd; the
facets are sampled above FACET_SAMPLE hits, as on SQLite.

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
    HASH_MULTIPLIER,
    STATUS_FACTOR,
    TIER,
    EmbeddedEngine,
)
from search.query import SearchRequest

# PostgreSQL's weights of D (unused), C (body), B (pinyin keys) and A (title).
PG_WEIGHTS = "'{0.1, 0.2, 0.5, 1.0}'"
# This many first-pass best hits are ranked again with the full score (hits
# past them keep the first-pass order); see first_pass_score.
RESCORED = 100


class PostgreSQLEngine(EmbeddedEngine):
    vendor = "postgresql"
    AND = " & "
    OR = " | "

    def token(self, token: str, prefix: bool) -> str:
        quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
        return quoted + (":*" if prefix else "")

    def gram_phrase(self, grams: list[str]) -> str:
        # Title bigrams carry weight B (with the ASCII pinyin keys, which a
        # Chinese bigram never equals), body bigrams D: see migration 0010.
        return "(" + " <-> ".join(f"'{gram}':BD" for gram in grams) + ")"

    def matched(self) -> tuple[str, str]:
        return (
            f"FROM {ENTRY} e, to_tsquery('simple', %s) q WHERE e.search_vector @@ q",
            f"-ts_rank_cd({PG_WEIGHTS}, e.search_vector, q, 1) * {STATUS_FACTOR}",
        )

    @staticmethod
    def first_pass_score() -> str:
        """The cheaper ts_rank (word frequency), over every hit; the best
        RESCORED of them are ranked again with ts_rank_cd (which also weighs
        how close the words stand), a quarter of its cost per hit."""
        return f"-ts_rank({PG_WEIGHTS}, e.search_vector, q, 1) * {STATUS_FACTOR}"

    def rounded(self, expression: str) -> str:
        return f"round(CAST({expression} AS numeric), 4)"

    # --- writing -------------------------------------------------------------
    def _after_rebuild(self, cursor) -> None:
        # Fresh statistics, or the planner guesses a few dozen hits for common
        # words and picks nested loops over thousands.
        cursor.execute(f"ANALYZE {ENTRY}")  # noqa: S608
        cursor.execute(f"ANALYZE {TIER}")  # noqa: S608

    def _after_rebuild_committed(self) -> None:
        # Every old row is now dead: free the space at once rather than
        # whenever autovacuum comes (if it does), or each search scans the dead
        # rows too (seen: seven rebuilds made searches several times slower).
        # VACUUM cannot run inside a transaction.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {ENTRY}")  # noqa: S608
            cursor.execute(f"VACUUM {TIER}")  # noqa: S608

    # --- reading -------------------------------------------------------------
    def _find(self, match: str, req: SearchRequest, plan: QueryPlan) -> dict:
        return self._run_in_one_pass(match, req)

    def _run_in_one_pass(self, match: str, req: SearchRequest) -> dict:
        """PostgreSQL: the page, the total and every facet in one statement, so
        that the matching rows (and their tsvectors) are read once."""
        d = self
        source, score = d.matched()
        where, params = self._filters(req)

        def order(alias: str) -> str:
            return (
                f"CASE WHEN {alias}.status = 'repealed' THEN 1 ELSE 0 END, "
                f"{d.rounded(alias + '.score')}, {alias}.issued_on DESC NULLS LAST, "
                f"{alias}.id DESC"
            )

        sample = int(embedded.FACET_SAMPLE)
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
