"""The Elasticsearch engine over a recording transport: rebuilds, writes,
searches, and view restrictions kept out of the index."""

import pytest
from django.test import override_settings
from elasticsearch.helpers import BulkIndexError

from search.engines import es_query
from search.engines.elasticsearch import ElasticsearchEngine
from search.engines.es_mapping import build_index
from search.query import SearchRequest
from tests.search.es_fakes import DOCS, OLD, OLDER, _requests


def test_construction_does_not_connect():
    engine = ElasticsearchEngine(url="http://nowhere.invalid:9200", alias="harbor-x")
    assert engine._client is None
    assert engine.alias == "harbor-x"


def test_test_settings_never_name_a_real_clusters_alias(settings):
    """With ELASTICSEARCH_URL exported, a test run rebuilds and deletes the
    indices of its own alias, never harbor-content's."""
    assert settings.ELASTICSEARCH_INDEX_ALIAS.startswith("harbor-test-")
    engine = ElasticsearchEngine(url="http://nowhere.invalid:9200")
    assert engine.alias == settings.ELASTICSEARCH_INDEX_ALIAS


@override_settings(ELASTICSEARCH_INDEX_ALIAS="harbor-staging")
def test_alias_name_comes_from_settings():
    assert ElasticsearchEngine(url="http://x:9200").alias == "harbor-staging"


def test_get_engine_keeps_one_engine_per_url_and_alias(settings):
    from search.engines import get_engine

    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://nowhere.invalid:9200"
    settings.ELASTICSEARCH_INDEX_ALIAS = "harbor-a"
    first = get_engine()
    assert first.alias == "harbor-a" and get_engine() is first
    settings.ELASTICSEARCH_INDEX_ALIAS = "harbor-b"
    assert get_engine().alias == "harbor-b"


def test_rebuild_fills_a_new_index_then_swaps_the_alias_atomically(cluster):
    engine, fake, calls = cluster(indices={OLD, OLDER}, alias_targets={OLD})
    done = []
    assert engine.rebuild(DOCS, total=3, progress=done.append) == 3
    assert done == [1, 2, 3]

    new = next(iter(fake.alias_targets))
    assert engine._physical.match(new) and new > OLD
    assert _requests(calls) == [
        ("PUT", f"/{new}"),
        ("PUT", "/_bulk"),
        ("POST", f"/{new}/_refresh"),
        ("GET", "/_alias/harbor-content"),
        ("POST", "/_aliases"),
        ("GET", "/harbor-content-*"),
        ("DELETE", f"/{OLDER}"),
        ("DELETE", f"/{OLD}"),
    ]
    create_body = calls[0][3]
    # The new index is created with the building alias on it, which writes
    # during the rebuild also go to.
    assert create_body == {
        **build_index(new).to_dict(),
        "aliases": {"harbor-content-building": {}},
    }
    bulk = calls[1][3]
    assert bulk[0] == {"index": {"_index": "harbor-content-building", "_id": "news:1"}}
    assert bulk[1]["title"] == "一"
    assert "require_alias=true" in calls[1][2]
    # One call removes the old target and adds the new one: no gap, no overlap.
    assert calls[4][3] == {
        "actions": [
            {"remove": {"index": OLD, "alias": "harbor-content"}},
            {"add": {"index": new, "alias": "harbor-content"}},
            {"remove": {"index": new, "alias": "harbor-content-building"}},
        ]
    }
    assert not fake.building
    assert fake.indices == {new}


def test_first_rebuild_replaces_an_auto_created_index_named_like_the_alias(cluster):
    engine, fake, calls = cluster(indices={"harbor-content"})
    engine.rebuild(DOCS)
    new = next(iter(fake.alias_targets))
    aliases = next(body for method, path, _p, body in calls if path == "/_aliases")
    assert aliases == {
        "actions": [
            {"remove_index": {"index": "harbor-content"}},
            {"add": {"index": new, "alias": "harbor-content"}},
            {"remove": {"index": new, "alias": "harbor-content-building"}},
        ]
    }
    assert "harbor-content" not in fake.indices


def test_failed_rebuild_leaves_the_alias_and_drops_the_half_built_index(cluster):
    engine, fake, calls = cluster(indices={OLD}, alias_targets={OLD}, bulk_status=400)
    with pytest.raises(BulkIndexError):
        engine.rebuild(DOCS)
    assert fake.alias_targets == {OLD}
    assert fake.indices == {OLD}
    assert ("POST", "/_aliases") not in _requests(calls)
    assert _requests(calls)[-1][0] == "DELETE"


def test_writes_before_any_rebuild_create_the_mapped_index_behind_the_alias(cluster):
    engine, fake, calls = cluster()
    engine.index(DOCS[:1])
    new = next(iter(fake.alias_targets))
    assert _requests(calls) == [
        ("HEAD", "/_alias/harbor-content"),
        ("PUT", f"/{new}"),
        ("GET", "/_alias/harbor-content"),
        ("HEAD", "/harbor-content"),
        ("POST", "/_aliases"),
        ("HEAD", "/_alias/harbor-content-building"),
        ("PUT", "/_bulk"),
    ]
    # Documents are written through the alias, never creating an index.
    assert calls[-1][3][0] == {"index": {"_index": "harbor-content", "_id": "news:1"}}
    assert "require_alias=true" in calls[-1][2]


def test_remove_deletes_through_the_alias_and_ignores_missing_documents(cluster):
    engine, fake, calls = cluster(indices={OLD}, alias_targets={OLD})
    engine.remove(["news:1", "news:2"])
    assert _requests(calls) == [
        ("HEAD", "/_alias/harbor-content"),
        ("HEAD", "/_alias/harbor-content-building"),
        ("PUT", "/_bulk"),
    ]
    assert calls[-1][3] == [
        {"delete": {"_index": "harbor-content", "_id": "news:1"}},
        {"delete": {"_index": "harbor-content", "_id": "news:2"}},
    ]
    engine.remove([])
    assert len(calls) == 3


@pytest.mark.django_db
def test_search_sends_the_body_to_the_alias_and_returns_results(cluster):
    from search.analysis import plan_query

    engine, fake, calls = cluster(indices={OLD}, alias_targets={OLD})
    request = SearchRequest("子女入学")
    results = engine.search(request)
    method, path, _params, body = calls[0]
    assert (method, path) == ("POST", "/harbor-content/_search")
    assert body == es_query.search_body(request, plan_query("子女入学"))
    assert results.total == 12
    assert [hit.key for hit in results.hits] == ["policy:7", "service:3"]


NOTHING = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}


@pytest.mark.django_db
def test_three_terms_that_find_nothing_together_are_asked_again_relaxed(cluster):
    from search.analysis import plan_query

    engine, fake, calls = cluster(searches=[NOTHING])
    request = SearchRequest("孩子 入学 照顾")
    plan = plan_query(request.query)
    assert len(plan.terms) == 3
    assert engine.search(request).total == 12
    bodies = [body for _m, _p, _params, body in calls]
    assert bodies == [
        es_query.search_body(request, plan),
        es_query.search_body(request, plan, relaxed=True),
    ]


@pytest.mark.django_db
def test_three_terms_that_find_few_hits_together_are_asked_again_relaxed(cluster):
    from search.analysis import plan_query

    few = {"hits": {"total": {"value": 2, "relation": "eq"}, "hits": []}}
    engine, fake, calls = cluster(searches=[few])
    request = SearchRequest("孩子 入学 照顾")
    assert engine.search(request).total == 12
    assert len(calls) == 2
    assert calls[1][3] == es_query.search_body(
        request, plan_query(request.query), relaxed=True
    )


@pytest.mark.django_db
def test_two_terms_that_find_nothing_are_not_relaxed(cluster):
    engine, fake, calls = cluster(searches=[NOTHING])
    assert engine.search(SearchRequest("子女 入学")).total == 0
    assert len(calls) == 1


@pytest.mark.django_db
def test_empty_query_does_not_reach_the_cluster(cluster):
    engine, fake, calls = cluster()
    assert engine.search(SearchRequest("  ？ ")).total == 0
    assert calls == []


def test_suggest_asks_the_alias(cluster):
    engine, fake, calls = cluster(indices={OLD}, alias_targets={OLD})
    titles = [s["title"] for s in engine.suggest("人才", limit=1)]
    assert titles == ["泉州市高层次人才子女入学照顾实施办法"]
    assert calls[0][3] == es_query.suggest_body("人才", 1)


@override_settings(
    SEARCH_ENGINE="elasticsearch", ELASTICSEARCH_URL="http://es.test:9200"
)
def test_configuration_selects_this_engine():
    from search.engines import get_engine

    engine = get_engine()
    assert isinstance(engine, ElasticsearchEngine)
    assert engine.url == "http://es.test:9200"


# --- view restrictions: out of the index at once, and never answered ---


# plan_query may read the hall's dictionary and the live titles from the database.
@pytest.mark.django_db
def test_hidden_keys_are_a_must_not_of_the_search_and_suggest_bodies():
    from search.analysis import plan_query

    hidden = frozenset({"policy:9", "news:4"})
    request = SearchRequest("子女入学", hidden=hidden)
    query = es_query.search_body(request, plan_query("子女入学"))["query"]
    assert query["function_score"]["query"]["bool"]["must_not"] == [
        {"terms": {"key": ["news:4", "policy:9"]}}
    ]
    suggest = es_query.suggest_body("人才", 4, hidden)["query"]
    assert suggest["function_score"]["query"]["bool"]["must_not"] == [
        {"terms": {"key": ["news:4", "policy:9"]}}
    ]
    # Nothing hidden: the bodies are the ones without the clause.
    plain = es_query.search_body(SearchRequest("子女入学"), plan_query("子女入学"))
    assert "must_not" not in plain["query"]["function_score"]["query"]["bool"]


@pytest.fixture
def es_calls(cluster, monkeypatch):
    """The hall configured for Elasticsearch, talking to a FakeCluster."""
    import search.engines
    import search.tasks

    engine, fake, calls = cluster(indices={OLD}, alias_targets={OLD})
    monkeypatch.setattr(search.tasks, "_engine", lambda: engine)
    monkeypatch.setattr(search.engines, "get_engine", lambda: engine)
    return calls


def _deleted(calls) -> set[str]:
    return {
        line["delete"]["_id"]
        for method, path, _params, body in calls
        if path == "/_bulk"
        for line in body
        if "delete" in line
    }


def _indexed(calls) -> set[str]:
    return {
        line["index"]["_id"]
        for method, path, _params, body in calls
        if path == "/_bulk"
        for line in body
        if "index" in line
    }


@pytest.mark.django_db
def test_a_restriction_on_an_ancestor_deletes_everything_below_from_the_index(
    es_calls, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    from tests.factories import make_department, make_news, make_policy

    module = make_department().module_page
    with django_capture_on_commit_callbacks(execute=True):
        policy = make_policy(parent=module, title="港湾计划内部通知")
        news = make_news(parent=module, title="港湾计划新闻")
    below = {f"policy:{policy.pk}", f"news:{news.pk}"}
    es_calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=module, restriction_type="login"
        )
    assert below <= _deleted(es_calls)
    es_calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert below <= _indexed(es_calls)


@pytest.mark.django_db
def test_search_and_suggest_exclude_restricted_pages_of_a_stale_index(
    es_calls, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    from search.query import search, suggest
    from tests.factories import make_policy

    policy = make_policy(title="港湾计划内部通知")
    with django_capture_on_commit_callbacks(execute=False):
        PageViewRestriction.objects.create(page=policy, restriction_type="login")
    es_calls.clear()
    search(SearchRequest("子女入学"))
    suggest("人才")
    bodies = [body for _m, path, _p, body in es_calls if path.endswith("/_search")]
    assert len(bodies) == 2
    for body in bodies:
        clauses = body["query"]["function_score"]["query"]["bool"]["must_not"]
        assert clauses == [{"terms": {"key": [f"policy:{policy.pk}"]}}]
