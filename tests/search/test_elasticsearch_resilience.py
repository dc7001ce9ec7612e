"""The Elasticsearch engine made ready for a live cluster: connection settings,
timeouts, client errors answered as an empty "unavailable" result, rebuilds
one at a time with writes reaching the index being built, retries on 429,
single characters, optional terms. Over the recording transport of
test_elasticsearch (no cluster runs here)."""

import logging

import pytest
from django.core.cache import cache
from django.test import override_settings
from elastic_transport import ConnectionError as TransportConnectionError
from elasticsearch import Elasticsearch

from search.analysis import QueryPlan
from search.engines import elasticsearch as es_engine
from search.engines import es_query
from search.engines.elasticsearch import (
    ElasticsearchEngine,
    RebuildInProgress,
    client_options,
)
from search.query import SearchRequest
from tests.search.es_fakes import (
    DOCS,
    OLD,
    FakeCluster,
    RecordingNode,
    _bulk_answer,
)

ALIAS = "harbor-content"


class Cluster(FakeCluster):
    """A FakeCluster whose bulk answers follow a list of statuses (the last
    one repeats) and whose searches can fail."""

    def __init__(self, bulk_statuses=(201,), search_error=None, **state):
        super().__init__(**state)
        self.bulk_statuses = list(bulk_statuses)
        self.search_error = search_error

    def __call__(self, method, path, body):
        if path == "/_bulk":
            status = (
                self.bulk_statuses.pop(0)
                if len(self.bulk_statuses) > 1
                else self.bulk_statuses[0]
            )
            return 200, _bulk_answer(body, status)
        if path.endswith("/_search") and self.search_error:
            return self.search_error
        return super().__call__(method, path, body)


def make_engine(fake, raises=None):
    """An engine over ``fake``; its calls and the timeout of each request."""
    timeouts = []

    class Node(RecordingNode):
        calls = []
        responder = staticmethod(fake)

        def perform_request(
            self, method, target, body=None, headers=None, request_timeout=None
        ):
            timeouts.append((target.partition("?")[0], request_timeout))
            if raises is not None:
                raise raises
            return super().perform_request(
                method, target, body, headers, request_timeout
            )

    client = Elasticsearch("http://es.test:9200", node_class=Node, max_retries=0)
    engine = ElasticsearchEngine(url="http://es.test:9200", alias=ALIAS, client=client)
    return engine, Node.calls, timeouts


@pytest.fixture(autouse=True)
def _no_lock_left():
    cache.delete(f"harbor_search:es_rebuild:{ALIAS}")
    yield
    cache.delete(f"harbor_search:es_rebuild:{ALIAS}")


# --- connection settings -------------------------------------------------------


def test_connection_settings_reach_the_client():
    with override_settings(
        ELASTICSEARCH_CA_CERTS="/etc/harbor/http_ca.crt",
        ELASTICSEARCH_SSL_FINGERPRINT="AB:CD:EF",
        ELASTICSEARCH_API_KEY="a2V5OnNlY3JldA==",
    ):
        options = client_options()
    assert options == {
        "request_timeout": es_engine.REQUEST_TIMEOUT,
        "ca_certs": "/etc/harbor/http_ca.crt",
        "ssl_assert_fingerprint": "AB:CD:EF",
        "api_key": "a2V5OnNlY3JldA==",
    }
    assert client_options() == {"request_timeout": es_engine.REQUEST_TIMEOUT}


def test_a_fingerprint_and_an_api_key_make_a_client_without_connecting():
    with override_settings(
        ELASTICSEARCH_SSL_FINGERPRINT="AB" * 32, ELASTICSEARCH_API_KEY="a2V5"
    ):
        engine = ElasticsearchEngine(url="https://es.internal:9200", alias=ALIAS)
        client = engine.client
    assert client.transport.node_pool.get().config.ssl_assert_fingerprint == "AB" * 32
    assert client._headers["authorization"] == "ApiKey a2V5"


# --- searches: short timeout, errors answered empty -----------------------------


@pytest.mark.django_db
def test_searches_give_up_after_a_short_timeout_and_bulk_waits_long():
    fake = Cluster(indices={OLD}, alias_targets={OLD})
    engine, _calls, timeouts = make_engine(fake)
    engine.search(SearchRequest("子女入学"))
    engine.index(DOCS[:1])
    assert ("/harbor-content/_search", es_engine.SEARCH_TIMEOUT) in timeouts
    assert ("/_bulk", es_engine.BULK_TIMEOUT) in timeouts
    assert es_engine.SEARCH_TIMEOUT <= 5 < 60 <= es_engine.BULK_TIMEOUT


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [
        (404, {"error": {"type": "index_not_found_exception"}, "status": 404}),
        (503, {"error": {"type": "cluster_block_exception"}, "status": 503}),
    ],
)
def test_a_search_the_cluster_refuses_is_empty_and_unavailable(error, caplog):
    engine, _calls, _timeouts = make_engine(Cluster(search_error=error))
    with caplog.at_level(logging.ERROR, logger="search.engines.elasticsearch"):
        results = engine.search(SearchRequest("住房补贴"))
        assert engine.suggest("住房") == []
    assert results.total == 0 and results.hits == [] and results.unavailable
    assert "Elasticsearch search failed" in caplog.text


@pytest.mark.django_db
def test_a_cluster_that_is_down_is_empty_and_unavailable(caplog):
    down = TransportConnectionError("connection refused")
    engine, _calls, _timeouts = make_engine(Cluster(), raises=down)
    with caplog.at_level(logging.ERROR, logger="search.engines.elasticsearch"):
        results = engine.search(SearchRequest("住房补贴"))
    assert results.unavailable and results.total == 0
    assert "connection refused" in caplog.text


@pytest.mark.django_db
def test_the_page_and_the_api_say_search_is_unavailable(client, monkeypatch):
    from django.utils import translation
    from django.utils.translation import gettext

    down = TransportConnectionError("connection refused")
    engine, _calls, _timeouts = make_engine(Cluster(), raises=down)
    monkeypatch.setattr("search.engines.get_engine", lambda: engine)
    data = client.get("/api/search/", {"q": "住房补贴"})
    assert data.status_code == 200
    assert data.json()["unavailable"] is True and data.json()["total"] == 0
    page = client.get("/search/", {"q": "住房补贴"})
    assert page.status_code == 200
    with translation.override(page.headers.get("Content-Language", "zh-hans")):
        notice = gettext("Search is temporarily unavailable")
    assert notice in page.content.decode()


# --- writing: aliases only, retries, one rebuild at a time ----------------------


def test_a_bulk_answered_429_is_retried_with_backoff(monkeypatch):
    waits = []
    monkeypatch.setattr("elasticsearch.helpers.actions.time.sleep", waits.append)
    fake = Cluster(bulk_statuses=(429, 429, 201), indices={OLD}, alias_targets={OLD})
    engine, calls, _timeouts = make_engine(fake)
    engine.index(DOCS[:2])
    bulks = [body for _m, path, _p, body in calls if path == "/_bulk"]
    assert len(bulks) == 3  # two refusals, then accepted
    assert waits == [es_engine.BULK_BACKOFF, es_engine.BULK_BACKOFF * 2]
    assert all(
        "require_alias=true" in params
        for _m, path, params, _b in calls
        if path == "/_bulk"
    )


def test_writes_during_a_rebuild_also_reach_the_index_being_built():
    fake = Cluster(indices={OLD}, alias_targets={OLD})
    engine, calls, _timeouts = make_engine(fake)

    def documents():
        yield DOCS[0]
        # Published while the rebuild runs: written through both aliases.
        engine.index([DOCS[2]])
        yield DOCS[1]

    assert engine.rebuild(documents()) == 2
    written = [
        (line["index"]["_index"], line["index"]["_id"])
        for _m, path, _p, body in calls
        if path == "/_bulk"
        for line in body
        if "index" in line
    ]
    assert ("harbor-content", "news:3") in written
    assert ("harbor-content-building", "news:3") in written
    new = next(iter(fake.alias_targets))
    assert fake.indices == {new} and not fake.building


def test_only_one_rebuild_runs_at_a_time():
    fake = Cluster(indices={OLD}, alias_targets={OLD})
    engine, calls, _timeouts = make_engine(fake)
    cache.add(f"harbor_search:es_rebuild:{ALIAS}", "another process", 60)
    with pytest.raises(RebuildInProgress):
        engine.rebuild(DOCS)
    assert calls == []  # nothing created, nothing deleted
    cache.delete(f"harbor_search:es_rebuild:{ALIAS}")
    engine.rebuild(DOCS)
    # Released after a rebuild, also after a failed one.
    assert cache.get(f"harbor_search:es_rebuild:{ALIAS}") is None
    failing = Cluster(bulk_statuses=(400,), indices={OLD}, alias_targets={OLD})
    engine, _calls, _timeouts = make_engine(failing)
    with pytest.raises(Exception):  # noqa: B017 (the client's bulk error)
        engine.rebuild(DOCS)
    assert cache.get(f"harbor_search:es_rebuild:{ALIAS}") is None


# --- query: single characters, optional terms, undated, facets ------------------


def test_a_single_character_matches_the_unigram_subfields():
    clause = es_query.term_query(["房"], set()).to_dict()
    fields = [
        match["multi_match"]["fields"]
        for match in clause["bool"]["should"]
        if "multi_match" in match
    ]
    assert ["title.unigram^1.5", "body.unigram^0.5"] in fields
    # A longer word keeps to the bigram phrase.
    longer = es_query.term_query(["住房"], set()).to_dict()
    assert "unigram" not in str(longer)


def test_optional_terms_add_to_the_score_and_never_narrow():
    plan = QueryPlan(raw="带孩子", terms=[["带"], ["孩子"]], optional=[0])
    query = es_query.text_query(plan).to_dict()["bool"]
    assert len(query["must"]) == 1 and "孩子" in str(query["must"])
    assert len(query["should"]) == 1 and "带" in str(query["should"])
    assert not es_query.can_relax(
        QueryPlan(raw="x", terms=[["a"], ["b"], ["带"]], optional=[2])
    )


def test_undated_documents_rank_as_old_ones_not_as_new():
    functions = es_query.ranked(es_query.Q("match_all")).to_dict()["function_score"][
        "functions"
    ]
    undated = [f for f in functions if "exists" in str(f.get("filter", ""))]
    assert undated == [
        {
            "filter": {"bool": {"must_not": [{"exists": {"field": "issued_on"}}]}},
            "weight": es_query.AGE_DECAY["decay"],
        }
    ]
    assert undated[0]["weight"] < 1


def test_facet_values_are_strings_on_both_engines():
    facets = es_query.facets_from(
        {
            "year": {"buckets": [{"key": 2024, "doc_count": 3}]},
            "department": {"buckets": [{"key": 7, "doc_count": 1}]},
        }
    )
    assert facets["year"] == [{"value": "2024", "count": 3}]
    assert facets["department"] == [{"value": "7", "count": 1}]


@pytest.mark.django_db
def test_search_rebuild_says_another_rebuild_is_running(monkeypatch):
    from django.core.management import CommandError, call_command

    engine, calls, _timeouts = make_engine(Cluster(indices={OLD}, alias_targets={OLD}))
    monkeypatch.setattr(
        "search.management.commands.search_rebuild.get_engine", lambda: engine
    )
    cache.add(f"harbor_search:es_rebuild:{ALIAS}", "another process", 60)
    with pytest.raises(CommandError, match="already running"):
        call_command("search_rebuild", "--no-progress")
    assert calls == []
