"""The embedded engine ranks inside the database (FTS5 on SQLite, tsvector on
PostgreSQL): ranking rules, the relevance cut, facets and filters."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from search.documents import SearchDocument
from search.engines import get_engine
from search.engines.embedded import EmbeddedEngine
from search.models import SearchEntry
from search.query import SearchRequest, search, suggest

pytestmark = pytest.mark.django_db


def doc(n, title, body="", **fields):
    fields.setdefault("type", "policy")
    fields.setdefault("status", "in_force" if fields["type"] == "policy" else "")
    issued_on = fields.pop("issued_on", datetime.date(2025, 1, 1))
    return SearchDocument(
        key=f"{fields['type']}:{n}",
        object_id=n,
        title=title,
        body=body,
        url=f"/p/{n}/",
        issued_on=issued_on,
        year=issued_on.year if issued_on else None,
        **fields,
    )


def titles(query, **filters):
    return [hit.title for hit in search(SearchRequest(query, filters=filters)).hits]


@pytest.fixture
def engine():
    engine = get_engine()
    assert isinstance(engine, EmbeddedEngine)
    return engine


def test_the_database_engine_is_the_default(engine):
    assert engine.vendor == connection.vendor


def test_title_matches_come_before_body_matches(engine):
    engine.index(
        [
            doc(1, "人才公寓管理办法", "住房补贴 住房补贴 住房补贴 的发放另行规定。"),
            doc(2, "住房补贴实施细则", "本细则适用于本市。"),
        ]
    )
    assert titles("住房补贴") == ["住房补贴实施细则", "人才公寓管理办法"]


def test_policies_in_force_come_before_repealed_ones(engine):
    engine.index(
        [
            doc(1, "安家补助办法（旧）", "安家补助标准。", status="repealed"),
            doc(2, "安家补助办法", "安家补助标准。", status="in_force"),
        ]
    )
    hits = search(SearchRequest("安家补助")).hits
    assert [h.title for h in hits] == ["安家补助办法", "安家补助办法（旧）"]
    assert hits[1].is_repealed


def test_newer_comes_before_older_when_otherwise_equal(engine):
    engine.index(
        [
            doc(1, "人才绿卡办理规定", "绿卡。", issued_on=datetime.date(2019, 5, 1)),
            doc(2, "人才绿卡办理规定", "绿卡。", issued_on=datetime.date(2025, 5, 1)),
            doc(3, "人才绿卡办理规定", "绿卡。", issued_on=datetime.date(2022, 5, 1)),
        ]
    )
    hits = search(SearchRequest("人才绿卡")).hits
    assert [h.issued_on.year for h in hits] == [2025, 2022, 2019]


def test_nonsense_finds_nothing_rather_than_noise(engine):
    engine.index([doc(1, "住房补贴实施细则", "高层次人才可申请住房补贴。")])
    assert titles("量子纠缠冰淇淋") == []
    # One word the corpus has, one it does not: no match is better than noise.
    assert titles("火星补贴") == []


def test_a_long_question_still_finds_a_partial_match(engine):
    engine.index([doc(1, "子女入学实施办法", "高层次人才子女可就近入学。")])
    assert titles("高层次人才的孩子怎么入学 学费多少") == ["子女入学实施办法"]


def test_synonyms_find_the_words_of_the_document(engine):
    engine.index([doc(1, "高层次人才配偶就业和子女入学办法", "解决配偶就业。")])
    assert titles("爱人就业") == ["高层次人才配偶就业和子女入学办法"]
    assert titles("小孩上学") == ["高层次人才配偶就业和子女入学办法"]


def test_pinyin_full_and_initials_find_the_term(engine):
    engine.index([doc(1, "泉州市住房补贴实施细则", "高层次人才可申请。")])
    assert titles("zfbt") == ["泉州市住房补贴实施细则"]
    assert titles("zhufangbutie") == ["泉州市住房补贴实施细则"]
    assert titles("zhufang") == ["泉州市住房补贴实施细则"]  # a prefix


def test_a_wrong_homophone_still_finds_the_policy(engine):
    engine.index([doc(1, "住房补贴实施细则", "补贴标准。")])
    assert titles("住房补帖") == ["住房补贴实施细则"]


def test_highlight_marks_the_match_and_escapes_the_text(engine):
    engine.index([doc(1, "细则", "前言<script>alert(1)</script>。申请住房补贴须知。")])
    hit = search(SearchRequest("住房补贴")).hits[0]
    html = str(hit.highlight)
    assert "<mark>住房补贴</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_filters_and_facets(engine):
    engine.index(
        [
            doc(
                1,
                "人才认定办法",
                department="人社局",
                department_id=7,
                category="人才认定",
                category_id=1,
                tiers=["tier-1", "tier-2"],
            ),
            doc(
                2,
                "人才认定补充通知",
                department="教育局",
                department_id=8,
                category="人才认定",
                category_id=1,
                tiers=["tier-2"],
                status="repealed",
                issued_on=datetime.date(2020, 1, 1),
            ),
            doc(
                3,
                "人才认定办事指南",
                type="guide",
                department="人社局",
                department_id=7,
            ),
            doc(
                4, "人才认定工作启动", type="news", issued_on=datetime.date(2024, 2, 2)
            ),
        ]
    )
    results = search(SearchRequest("人才认定"))
    assert results.total == 4
    facets = {k: {b["value"]: b["count"] for b in v} for k, v in results.facets.items()}
    assert facets["type"] == {"policy": 2, "guide": 1, "news": 1}
    assert facets["department"] == {"7": 2, "8": 1}
    assert facets["tier"] == {"tier-1": 1, "tier-2": 2}
    assert facets["status"] == {"in_force": 1, "repealed": 1}
    assert facets["year"] == {"2025": 2, "2024": 1, "2020": 1}
    assert set(titles("人才认定", type="policy")) == {
        "人才认定办法",
        "人才认定补充通知",
    }
    assert titles("人才认定", department=8) == ["人才认定补充通知"]
    assert titles("人才认定", tier="tier-1") == ["人才认定办法"]
    assert titles("人才认定", status="repealed") == ["人才认定补充通知"]
    assert titles("人才认定", year=2024) == ["人才认定工作启动"]
    assert titles("人才认定", category=1, status="in_force") == ["人才认定办法"]


def test_facet_labels_come_from_the_database():
    from cms.core.models import TalentTier

    engine = get_engine()
    tier = TalentTier.objects.order_by("sort_order").first()
    engine.index([doc(1, "人才认定办法", tiers=[tier.code])])
    buckets = search(SearchRequest("人才认定")).facets["tier"]
    assert buckets == [{"value": tier.code, "label": tier.name, "count": 1}]


def test_facet_labels_follow_renames_and_new_rows(engine):
    """Labels are kept per process: a save is seen at once (signal), a row
    added without signals (bulk_create) as soon as a search shows its id."""
    from cms.core.models import ServiceCategory, TalentTier

    tier = TalentTier.objects.order_by("sort_order").first()
    category = ServiceCategory.objects.create(name="测试类别甲", slug="test-cat-a")
    engine.index([doc(1, "人才认定办法", tiers=[tier.code], category_id=category.pk)])

    def labels(facet):
        buckets = search(SearchRequest("人才认定")).facets[facet]
        return {b["value"]: b["label"] for b in buckets}

    assert labels("category") == {str(category.pk): "测试类别甲"}
    category.name = "测试类别乙"
    category.save()
    tier.name = "改名后的层次"
    tier.save()
    assert labels("category") == {str(category.pk): "测试类别乙"}
    assert labels("tier") == {tier.code: "改名后的层次"}
    (added,) = ServiceCategory.objects.bulk_create(
        [ServiceCategory(name="测试类别丙", slug="test-cat-c")]
    )
    engine.index([doc(2, "人才认定细则", category_id=added.pk)])
    assert labels("category")[str(added.pk)] == "测试类别丙"


def test_snippets_match_full_width_text_as_typed_in_ascii():
    from search.query import highlight

    snippet = highlight("申请须提交ＰＤＦ文件，２０２５年起施行。", ["pdf", "2025"])
    assert "<mark>ＰＤＦ</mark>" in snippet and "<mark>２０２５</mark>" in snippet
    assert "<" not in highlight("<b>人才</b>", ["人才"]).replace("<mark>", "").replace(
        "</mark>", ""
    )


def test_pages_and_totals(engine):
    engine.index([doc(n, f"人才政策第{n}号", "人才政策。") for n in range(1, 26)])
    first = search(SearchRequest("人才政策", page=1, page_size=10))
    third = search(SearchRequest("人才政策", page=3, page_size=10))
    assert first.total == third.total == 25
    assert len(first.hits) == 10 and len(third.hits) == 5
    assert not {h.key for h in first.hits} & {h.key for h in third.hits}
    assert first.num_pages == 3


def test_index_replaces_and_remove_forgets(engine):
    engine.index([doc(1, "旧标题住房", "正文")])
    engine.index([doc(1, "新标题人才", "正文")])
    assert SearchEntry.objects.count() == 1
    assert titles("住房") == []
    assert titles("人才") == ["新标题人才"]
    engine.remove(["policy:1"])
    assert titles("人才") == []
    assert SearchEntry.objects.count() == 0


def test_rebuild_replaces_everything_and_reports_progress(engine):
    engine.index([doc(99, "将被清除的人才", "正文")])
    seen = []
    count = engine.rebuild(
        (doc(n, f"人才政策{n}", "正文") for n in range(1, 1201)), progress=seen.append
    )
    assert count == 1200
    assert seen[-1] == 1200 and len(seen) == 3  # batches of 500
    assert search(SearchRequest("人才")).total == 1200
    assert titles("将被清除") == []


def test_suggestions_by_title_and_pinyin(engine):
    engine.index(
        [
            doc(1, "住房补贴实施细则", "正文"),
            doc(2, "关于住房补贴的通知", "正文", status="repealed"),
            doc(3, "子女入学办法", "正文"),
        ]
    )
    assert [s["title"] for s in suggest("住房")] == [
        "住房补贴实施细则",
        "关于住房补贴的通知",
    ]
    assert {s["title"] for s in suggest("zfbt")} == {
        "住房补贴实施细则",
        "关于住房补贴的通知",
    }
    assert suggest("") == []
    assert set(suggest("子女")[0]) == {"title", "url", "type"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
def test_sqlite_ranks_with_fts5_bm25(engine):
    engine.index([doc(1, "住房补贴", "正文")])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, bm25(harbor_search_fts) FROM harbor_search_fts "
            "WHERE harbor_search_fts MATCH ?",
            ['"住房补贴"'],
        )
        rows = cursor.fetchall()
    assert len(rows) == 1 and rows[0][1] < 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="tsvector is PostgreSQL's"
)
def test_postgresql_ranks_with_a_weighted_tsvector(engine):
    engine.index([doc(1, "住房补贴", "正文")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM harbor_search_searchentry")
        (vector,) = cursor.fetchone()
    assert "'住房补贴':" in vector and "A" in vector


# --- the fast paths give exactly what ranking every hit gives ------------------


def _corpus(count=260):
    statuses = ["in_force", "in_force", "amended", "repealed"]
    subjects = ["住房补贴", "子女入学", "人才绿卡", "安家补助"]
    docs = []
    for n in range(1, count + 1):
        subject = subjects[n % 4]
        body = "人才政策。" + "申请" * (n % 7) + subject * (n % 3)
        issued_on = datetime.date(2015 + n % 10, 1 + n % 12, 1) if n % 9 else None
        docs.append(
            doc(
                n,
                f"人才{subject}办法{n}" if n % 5 else f"人才工作通知{n}",
                body,
                status=statuses[n % 4],
                issued_on=issued_on,
                department_id=n % 3 + 1,
            )
        )
    return docs


def _every_hit_ranked(engine, monkeypatch, match, req):
    with monkeypatch.context() as patch:
        patch.setattr(
            type(engine), "_rank_from_candidates", lambda *a: None, raising=False
        )
        return _shown(engine._rank(match, req))


def _shown(ranked):
    # Hits show the score to four decimals (Hit.score).
    return [(pk, round(score, 4)) for pk, score in ranked]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's fast paths")
def test_candidate_and_recency_ranking_equal_ranking_every_hit(engine, monkeypatch):
    from search.analysis import plan_query

    engine.index(_corpus())
    used = {"candidates": 0, "recency": 0}
    by_candidates = type(engine)._rank_from_candidates
    by_recency = type(engine)._rank_by_recency

    def counting_candidates(self, match, req):
        found = by_candidates(self, match, req)
        used["candidates"] += found is not None
        return found

    def counting_recency(self, match, req):
        used["recency"] += 1
        return by_recency(self, match, req)

    monkeypatch.setattr(type(engine), "_rank_from_candidates", counting_candidates)
    monkeypatch.setattr(type(engine), "_rank_by_recency", counting_recency)
    for query in ["住房补贴", "人才", "人才政策", "申请", "人才 通知"]:
        match = engine.match_expression(plan_query(query))
        for page, filters in [(1, {}), (3, {}), (1, {"department": 2})]:
            req = SearchRequest(query, filters=filters, page=page, page_size=10)
            fast = _shown(engine._rank(match, req))
            assert fast == _every_hit_ranked(engine, monkeypatch, match, req), (
                query,
                page,
                filters,
            )
    # "人才" is in every document: bm25 gives 0 to all, the recency walk ranks.
    assert used["recency"] >= 1
    assert used["candidates"] >= 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's VACUUM")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rebuild_on_postgresql_frees_the_rows_it_replaced():
    """A rebuild deletes every row; without VACUUM each rebuild added a table's
    worth of dead rows that every search then scanned."""
    engine = get_engine()

    def size_after_rebuild() -> int:
        engine.rebuild(_corpus(300))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_relation_size('harbor_search_searchentry')"
                " + pg_relation_size('harbor_search_searchentrytier')"
            )
            return cursor.fetchone()[0]

    size_after_rebuild()
    second = size_after_rebuild()
    # The third rebuild reuses the space the second one's VACUUM freed.
    assert size_after_rebuild() <= second * 1.2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's two-pass ranking"
)
def test_postgresql_rescoring_ranks_by_the_full_score_and_pages_completely(
    engine, monkeypatch
):
    """ts_rank picks the candidates, ts_rank_cd orders them: when every hit is
    a candidate the page is what ranking every hit with ts_rank_cd gives; with
    the fewest candidates, the pages still hold every hit exactly once."""
    import search.engines.embedded_postgres as embedded_postgres
    from search.analysis import plan_query

    engine.index(_corpus(120))
    for query in ["住房补贴", "人才 通知", "安家补助"]:
        match = engine.match_expression(plan_query(query))
        for page, filters in [(1, {}), (2, {}), (1, {"department": 2})]:
            req = SearchRequest(query, filters=filters, page=page, page_size=10)
            found = engine._run_in_one_pass(match, req)
            assert found["total"] <= embedded_postgres.RESCORED, query
            assert _shown(found["hits"]) == _shown(
                engine._rank_every_hit(match, req)
            ), (query, page, filters)

    monkeypatch.setattr(embedded_postgres, "RESCORED", 1)
    match = engine.match_expression(plan_query("人才"))
    seen = []
    for page in range(1, 14):
        req = SearchRequest("人才", page=page, page_size=10)
        seen += [pk for pk, _score in engine._run_in_one_pass(match, req)["hits"]]
    assert len(seen) == len(set(seen)) == 120


def test_facets_of_many_hits_are_counted_on_a_sample(engine, monkeypatch):
    from search.engines import embedded

    engine.index(_corpus(60))
    exact = search(SearchRequest("人才"))
    assert exact.total == 60 and not exact.facets_approximate
    monkeypatch.setattr(embedded, "FACET_SAMPLE", 20)
    sampled = search(SearchRequest("人才"))
    assert sampled.total == 60  # the total stays exact
    assert sampled.facets_approximate
    counts = {b["value"]: b["count"] for b in sampled.facets["department"]}
    assert set(counts) == {"1", "2", "3"}
    assert sum(counts.values()) == pytest.approx(60, abs=3)
    # With a filter the total is still exact.
    filtered = search(SearchRequest("人才", filters={"department": 2}))
    assert filtered.total == 20
    assert [h.key for h in filtered.hits] == [
        h.key for h in exact_hits(engine, monkeypatch, "人才", {"department": 2})
    ]


def exact_hits(engine, monkeypatch, query, filters):
    from search.analysis import plan_query

    req = SearchRequest(query, filters=filters)
    match = engine.match_expression(plan_query(query))
    ranked = _every_hit_ranked(engine, monkeypatch, match, req)
    return engine._hits(ranked, plan_query(query))


def test_the_api_and_page_say_when_facets_are_approximate(client, engine, monkeypatch):
    from search.engines import embedded

    engine.index(_corpus(30))
    monkeypatch.setattr(embedded, "FACET_SAMPLE", 10)
    data = client.get("/api/search/", {"q": "人才"}).json()
    assert data["total"] == 30 and data["facets_approximate"] is True
    page = client.get("/search/", {"q": "人才"}).content.decode()
    # "about n" in whatever language the page was rendered in.
    language = re.search(r'<html lang="([^"]+)"', page).group(1)
    with translation.override(language):
        about = gettext("about %(count)s") % {"count": ""}
    assert f"({about}" in page
    monkeypatch.setattr(embedded, "FACET_SAMPLE", 1000)
    assert (
        client.get("/api/search/", {"q": "人才"}).json()["facets_approximate"] is False
    )
