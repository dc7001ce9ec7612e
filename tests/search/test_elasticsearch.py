"""The Elasticsearch engine without a server: the mapping, settings and request
bodies are compared as JSON, responses are translated from recorded dicts, and
the engine talks to a recording transport node that answers like Elasticsearch.

The live suite (tests/search/live/) runs the same engine against a real cluster.
"""

import dataclasses
import datetime
import json

import pytest
from django.test import override_settings
from django.utils.safestring import SafeString
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch
from elasticsearch.helpers import BulkIndexError

from search.analysis import QueryPlan
from search.documents import SearchDocument
from search.engines import es_query
from search.engines.elasticsearch import ElasticsearchEngine
from search.engines.es_mapping import ContentDocument, build_index, source_of
from search.query import SearchRequest

ANALYZERS = {
    "harbor_segmented": {
        "type": "custom",
        "tokenizer": "whitespace",
        "filter": ["lowercase"],
    },
    "harbor_bigram": {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase", "cjk_bigram"],
    },
    "harbor_unigram": {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase"],
    },
    "harbor_pinyin": {
        "type": "custom",
        "tokenizer": "whitespace",
        "filter": ["lowercase"],
    },
}
BIGRAM = {"type": "text", "analyzer": "harbor_bigram", "index_options": "offsets"}
UNIGRAM = {"type": "text", "analyzer": "harbor_unigram"}
NGRAMS = {"bigram": BIGRAM, "unigram": UNIGRAM}
MAPPING = {
    "dynamic": "strict",
    "properties": {
        "key": {"type": "keyword"},
        "type": {"type": "keyword"},
        "object_id": {"type": "integer"},
        "title": {"type": "text", "index": False, "fields": NGRAMS},
        "title_tokens": {"type": "text", "analyzer": "harbor_segmented"},
        "body": {"type": "text", "index": False, "fields": NGRAMS},
        "body_tokens": {"type": "text", "analyzer": "harbor_segmented"},
        "pinyin": {
            "type": "text",
            "analyzer": "harbor_pinyin",
            "index_prefixes": {"min_chars": 1, "max_chars": 10},
        },
        "url": {"type": "keyword", "index": False},
        "department": {"type": "keyword"},
        "department_id": {"type": "integer"},
        "category": {"type": "keyword"},
        "category_id": {"type": "integer"},
        "tiers": {"type": "keyword"},
        "status": {"type": "keyword"},
        "repealed": {"type": "boolean"},
        "issued_on": {"type": "date", "format": "strict_date"},
        "year": {"type": "integer"},
        "doc_number": {"type": "keyword"},
    },
}
# Tokenizers and filters that ship with Elasticsearch: no plugin to install.
BUILT_IN = {"whitespace", "standard", "lowercase", "cjk_width", "cjk_bigram"}

TITLE_FIELDS = ["title_tokens^4", "body_tokens"]
PINYIN_FIELDS = ["title_tokens^4", "pinyin^3", "body_tokens"]
BIGRAM_FIELDS = ["title.bigram^1.5", "body.bigram^0.5"]


def tokens_match(query, boost, fields=TITLE_FIELDS):
    return {
        "multi_match": {
            "query": query,
            "fields": fields,
            "type": "best_fields",
            "operator": "and",
            "boost": boost,
        }
    }


def bigram_match(query, boost):
    return {
        "multi_match": {
            "query": query,
            "fields": BIGRAM_FIELDS,
            "type": "phrase",
            "boost": boost,
        }
    }


def term(*clauses):
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


CHILD_SCHOOL = QueryPlan(
    raw="孩子上学",
    terms=[["孩子", "子女", "小孩"], ["上学", "入学", "就读"]],
)


# --- index settings and mapping ---------------------------------------------


def test_index_has_our_analyzers_one_shard_and_the_exact_mapping():
    assert build_index("harbor-content-1").to_dict() == {
        "settings": {"number_of_shards": 1, "analysis": {"analyzer": ANALYZERS}},
        "mappings": MAPPING,
    }


def test_the_document_class_carries_the_same_mapping():
    assert ContentDocument._doc_type.mapping.to_dict() == MAPPING


def test_index_settings_need_no_plugin():
    for spec in ANALYZERS.values():
        assert spec["tokenizer"] in BUILT_IN
        assert set(spec["filter"]) <= BUILT_IN
    settings = build_index("x").to_dict()["settings"]["analysis"]
    assert set(settings) == {"analyzer"}  # no custom tokenizer or filter types


@pytest.mark.django_db
def test_stored_source_has_exactly_the_mapped_public_fields():
    doc = SearchDocument(
        key="policy:7",
        type="policy",
        object_id=7,
        title="泉州市高层次人才住房保障实施办法",
        body="购房补贴扩大到第一至第七层次人才。",
        url="/zhujian/zhufang/",
        department="泉州市住房和城乡建设局",
        department_id=3,
        category="住房安居",
        category_id=4,
        tiers=["tier-1", "tier-2"],
        status="in_force",
        issued_on=datetime.date(2024, 5, 10),
        year=2024,
        doc_number="泉建规〔2024〕2号",
    )
    source = source_of(doc)
    assert set(source) == set(MAPPING["properties"])
    assert source["issued_on"] == "2024-05-10"
    assert source["tiers"] == ["tier-1", "tier-2"]
    assert "住房" in source["title_tokens"].split()
    assert "购房补贴" in source["body_tokens"].split()
    assert {"zhufang", "gfbt"} <= set(source["pinyin"].split())  # 住房, 购房补贴
    assert source["repealed"] is False
    assert source_of(dataclasses.replace(doc, status="repealed"))["repealed"] is True


def test_empty_facet_values_are_not_stored_as_empty_strings():
    class Bare:
        key, type, object_id, title, body, url = "service:1", "service", 1, "t", "", "/"
        title_tokens = body_tokens = pinyin = ""
        department, department_id, category, category_id = "", None, "", None
        tiers, status, issued_on, year, doc_number = [], "", None, None, ""

    source = source_of(Bare())
    assert source["repealed"] is False
    assert source["department"] is None
    assert source["status"] is None
    assert source["doc_number"] is None
    assert source["issued_on"] is None


# --- query JSON ---------------------------------------------------------------


def test_each_term_is_a_should_over_its_synonyms_and_every_term_must_match():
    assert es_query.text_query(CHILD_SCHOOL).to_dict() == {
        "bool": {
            "must": [
                term(
                    tokens_match("孩子", 1.0),
                    bigram_match("孩子", 1.0),
                    tokens_match("子女", 0.8),
                    bigram_match("子女", 0.8),
                    tokens_match("小孩", 0.8),
                    bigram_match("小孩", 0.8),
                ),
                term(
                    tokens_match("上学", 1.0),
                    bigram_match("上学", 1.0),
                    tokens_match("入学", 0.8),
                    bigram_match("入学", 0.8),
                    tokens_match("就读", 0.8),
                    bigram_match("就读", 0.8),
                ),
            ]
        }
    }


def test_pinyin_matches_the_pinyin_keys_and_long_pinyin_also_as_a_prefix():
    plan = QueryPlan(raw="zfbt", terms=[["zfbt"]], pinyin=["zfbt"])
    assert es_query.text_query(plan).to_dict() == {
        "bool": {
            "must": [
                term(
                    tokens_match("zfbt", 1.0, PINYIN_FIELDS),
                    {"prefix": {"pinyin": {"value": "zfbt", "boost": 1.0}}},
                )
            ]
        }
    }
    short = QueryPlan(raw="rc", terms=[["rc"]], pinyin=["rc"])
    assert es_query.text_query(short).to_dict() == {
        "bool": {"must": [term(tokens_match("rc", 1.0, PINYIN_FIELDS))]}
    }


def test_a_homophone_fix_and_a_multi_token_alternative_match_tokens_only():
    # '住房不贴' typed: the typed tokens first, the fix, then the fix's parts.
    plan = QueryPlan(
        raw="住房不贴",
        terms=[["住房 不贴", "住房补贴", "住房 补贴"]],
        corrections={"住房不贴": "住房补贴"},
    )
    assert es_query.text_query(plan).to_dict() == {
        "bool": {
            "must": [
                term(
                    tokens_match("住房 不贴", 1.0),
                    tokens_match("住房补贴", 0.8),
                    bigram_match("住房补贴", 0.8),
                    tokens_match("住房 补贴", 0.8),
                )
            ]
        }
    }


def test_relaxed_query_needs_sixty_percent_of_the_first_six_terms():
    plan = QueryPlan(raw="x", terms=[[f"词{n}"] for n in range(8)])
    query = es_query.text_query(plan, relaxed=True).to_dict()["bool"]
    assert query["minimum_should_match"] == 4  # ceil(6 * 0.6)
    assert len(query["should"]) == 6
    assert es_query.can_relax(plan)
    assert not es_query.can_relax(CHILD_SCHOOL)


def test_filters_are_term_filters_on_keyword_and_number_fields():
    filters = {
        "type": "policy",
        "department": 3,
        "category": 4,
        "tier": "tier-1",
        "year": 2024,
        "status": "in_force",
    }
    assert [q.to_dict() for q in es_query.filter_clauses(filters)] == [
        {"term": {"type": "policy"}},
        {"term": {"department_id": 3}},
        {"term": {"category_id": 4}},
        {"term": {"tiers": "tier-1"}},
        {"term": {"year": 2024}},
        {"term": {"status": "in_force"}},
    ]
    assert es_query.filter_clauses({}) == []


SORT = [
    {"repealed": {"order": "asc", "missing": "_first"}},
    "_score",
    {"issued_on": {"order": "desc", "missing": "_last"}},
    {"key": "asc"},
]
RANKING = [
    {"filter": {"term": {"status": "amended"}}, "weight": 0.7},
    {"exp": {"issued_on": {"origin": "now/d", "scale": "3650d", "decay": 0.8}}},
    # Undated: as a ten-year-old document, not as one of today.
    {
        "filter": {"bool": {"must_not": [{"exists": {"field": "issued_on"}}]}},
        "weight": 0.8,
    },
]


def _phrases(field, *words):
    return {"bool": {"should": [{"match_phrase": {field: w}} for w in words]}}


def test_search_body_ranks_highlights_counts_and_pages():
    request = SearchRequest(
        "孩子上学", filters={"type": "policy"}, page=2, page_size=10
    )
    body = es_query.search_body(request, CHILD_SCHOOL)
    assert body == {
        "query": {
            "function_score": {
                "query": {
                    "bool": {
                        "must": [es_query.text_query(CHILD_SCHOOL).to_dict()],
                        "filter": [{"term": {"type": "policy"}}],
                    }
                },
                "functions": RANKING,
                "score_mode": "multiply",
                "boost_mode": "multiply",
            }
        },
        "highlight": {
            "encoder": "html",
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "fields": {
                "title.bigram": {
                    "number_of_fragments": 0,
                    "highlight_query": _phrases(
                        "title.bigram", "上学", "入学", "子女", "孩子", "小孩", "就读"
                    ),
                },
                "body.bigram": {
                    "fragment_size": 120,
                    "number_of_fragments": 2,
                    "no_match_size": 120,
                    "highlight_query": _phrases(
                        "body.bigram", "上学", "入学", "子女", "孩子", "小孩", "就读"
                    ),
                },
            },
        },
        "aggs": {
            "type": {
                "terms": {"field": "type", "size": 10, "order": {"_count": "desc"}}
            },
            "department": {
                "terms": {
                    "field": "department_id",
                    "size": 50,
                    "order": {"_count": "desc"},
                }
            },
            "category": {
                "terms": {
                    "field": "category_id",
                    "size": 50,
                    "order": {"_count": "desc"},
                }
            },
            "tier": {"terms": {"field": "tiers", "size": 20, "order": {"_key": "asc"}}},
            "year": {"terms": {"field": "year", "size": 30, "order": {"_key": "desc"}}},
            "status": {
                "terms": {"field": "status", "size": 5, "order": {"_count": "desc"}}
            },
        },
        "sort": SORT,
        "_source": [
            "key",
            "type",
            "title",
            "url",
            "department",
            "category",
            "status",
            "issued_on",
        ],
        "from": 10,
        "size": 10,
        "track_total_hits": True,
    }
    json.dumps(body)  # plain JSON, nothing left as a DSL object


def test_pages_are_capped_within_the_result_window():
    assert es_query.page_window(1, 10) == (0, 10)
    assert es_query.page_window(3, 500) == (100, 50)
    assert es_query.page_window(10_000, 50) == (9950, 50)


def test_suggest_body_matches_title_prefixes_and_pinyin_prefixes():
    body = es_query.suggest_body("zhouzh", 8)
    assert body == {
        "query": {
            "function_score": {
                "query": {
                    "bool": {
                        "should": [
                            {
                                "match_phrase_prefix": {
                                    "title.bigram": {"query": "zhouzh"}
                                }
                            },
                            {
                                "match_phrase_prefix": {
                                    "title_tokens": {"query": "zhouzh", "boost": 2}
                                }
                            },
                            {"prefix": {"pinyin": {"value": "zhouzh"}}},
                        ],
                        "minimum_should_match": 1,
                    }
                },
                "functions": RANKING,
                "score_mode": "multiply",
                "boost_mode": "multiply",
            }
        },
        "sort": SORT,
        "_source": ["title", "url", "type"],
        "size": 16,
    }
    chinese = es_query.suggest_body("人才认", 8)["query"]["function_score"]["query"]
    assert len(chinese["bool"]["should"]) == 2  # no pinyin clause for Han text


# --- responses ----------------------------------------------------------------

RESPONSE = {
    "took": 3,
    "timed_out": False,
    "hits": {
        "total": {"value": 12, "relation": "eq"},
        "max_score": 9.5,
        "hits": [
            {
                "_index": "harbor-content-20260101000000000000",
                "_id": "policy:7",
                "_score": 9.5,
                "_source": {
                    "key": "policy:7",
                    "type": "policy",
                    "title": "泉州市高层次人才子女入学照顾实施办法",
                    "url": "/jiaoyu/zinv-ruxue/",
                    "department": "泉州市教育局",
                    "category": "子女入学",
                    "status": "in_force",
                    "issued_on": "2024-03-01",
                },
                "highlight": {
                    "title.bigram": [
                        "泉州市高层次人才<mark>子女</mark><mark>入学</mark>照顾实施办法"
                    ],
                    "body.bigram": [
                        "高层次人才<mark>子女</mark>入园、<mark>入学</mark>",
                        "按&lt;就近&gt;原则",
                    ],
                },
            },
            {
                "_index": "harbor-content-20260101000000000000",
                "_id": "service:3",
                "_score": 2.0,
                "_source": {
                    "key": "service:3",
                    "type": "service",
                    "title": "高层次人才子女中考照顾加分",
                    "url": "/services/#item-3",
                    "department": "泉州市教育局",
                    "category": None,
                    "status": None,
                },
            },
        ],
    },
    "aggregations": {
        "type": {
            "buckets": [
                {"key": "policy", "doc_count": 8},
                {"key": "guide", "doc_count": 4},
            ]
        },
        "department": {"buckets": [{"key": 5, "doc_count": 12}]},
        "category": {"buckets": [{"key": 9, "doc_count": 11}]},
        "tier": {"buckets": [{"key": "tier-1", "doc_count": 6}]},
        "year": {
            "buckets": [{"key": 2024, "doc_count": 5}, {"key": 2019, "doc_count": 0}]
        },
        "status": {"buckets": [{"key": "in_force", "doc_count": 7}]},
    },
}


def test_response_becomes_search_results_with_hits_highlights_and_facets():
    request = SearchRequest("孩子上学", page=1, page_size=10)
    results = es_query.results_from(RESPONSE, request, CHILD_SCHOOL)
    assert results.total == 12
    assert results.plan is CHILD_SCHOOL
    first, second = results.hits
    assert first.key == "policy:7"
    assert first.type == "policy"
    assert first.title == "泉州市高层次人才子女入学照顾实施办法"
    assert first.url == "/jiaoyu/zinv-ruxue/"
    assert first.department == "泉州市教育局"
    assert first.status == "in_force"
    assert first.issued_on == datetime.date(2024, 3, 1)
    assert first.score == 9.5
    assert isinstance(first.highlight, SafeString)
    # Elasticsearch's html encoder escaped the text: it stays escaped.
    assert first.highlight == (
        "高层次人才<mark>子女</mark>入园、<mark>入学</mark> … 按&lt;就近&gt;原则"
    )
    assert first.title_highlight == (
        "泉州市高层次人才<mark>子女</mark><mark>入学</mark>照顾实施办法"
    )
    assert second.category == ""
    assert second.status == ""
    assert second.issued_on is None
    assert second.highlight == ""
    assert results.facets == {
        "type": [{"value": "policy", "count": 8}, {"value": "guide", "count": 4}],
        "department": [{"value": "5", "count": 12}],
        "category": [{"value": "9", "count": 11}],
        "tier": [{"value": "tier-1", "count": 6}],
        "year": [{"value": "2024", "count": 5}],
        "status": [{"value": "in_force", "count": 7}],
    }


def test_suggestions_keep_one_entry_per_title():
    response = {
        "hits": {
            "hits": [
                {
                    "_source": {
                        "title": "人才周转房（人才公寓）申请",
                        "url": "/a/",
                        "type": "guide",
                    }
                },
                {
                    "_source": {
                        "title": "人才周转房（人才公寓）申请",
                        "url": "/b/",
                        "type": "service",
                    }
                },
                {
                    "_source": {
                        "title": "泉州市人才周转房管理办法",
                        "url": "/c/",
                        "type": "policy",
                    }
                },
            ]
        }
    }
    assert es_query.suggestions_from(response, 8) == [
        {"title": "人才周转房（人才公寓）申请", "url": "/a/", "type": "guide"},
        {"title": "泉州市人才周转房管理办法", "url": "/c/", "type": "policy"},
    ]
    assert len(es_query.suggestions_from(response, 1)) == 1


# --- the engine over a recording transport -----------------------------------


class RecordingNode(BaseNode):
    """Answers HTTP requests like Elasticsearch from a per-test responder and
    records them as (method, path, params, body)."""

    responder = None
    calls: list = []

    def perform_request(
        self, method, target, body=None, headers=None, request_timeout=None
    ):
        path, _, params = target.partition("?")
        parsed = None
        if body:
            text = body.decode("utf-8")
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError:  # NDJSON of the bulk API
                parsed = [json.loads(line) for line in text.splitlines() if line]
        type(self).calls.append((method, path, params, parsed))
        status, payload = type(self).responder(method, path, parsed)
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=HttpHeaders(
                {
                    "x-elastic-product": "Elasticsearch",
                    "content-type": "application/json",
                }
            ),
            duration=0.0,
            node=self.config,
        )
        return NodeApiResponse(meta, json.dumps(payload).encode("utf-8"))

    def close(self):
        pass


def _bulk_answer(operations, status=201):
    items = []
    for line in operations:
        action = next(iter(line))
        if action in ("index", "delete"):
            meta = line[action]
            code = status if action == "index" else 404
            items.append(
                {action: {"_index": meta["_index"], "_id": meta["_id"], "status": code}}
            )
    return {
        "took": 1,
        "errors": any(i[next(iter(i))]["status"] >= 300 for i in items),
        "items": items,
    }


class FakeCluster:
    """State enough for the alias dance: which indices exist, what the alias
    points at."""

    def __init__(self, indices=(), alias_targets=(), bulk_status=201, searches=()):
        self.indices = set(indices)
        self.alias_targets = set(alias_targets)
        self.bulk_status = bulk_status
        self.searches = list(searches)  # answers to _search, in order

    building: set

    def __call__(self, method, path, body):
        alias = "harbor-content"
        building = f"{alias}-building"
        if not hasattr(self, "building"):
            self.building = set()
        if path == "/_bulk":
            return 200, _bulk_answer(body, self.bulk_status)
        if method == "PUT" and path.count("/") == 1:
            self.indices.add(path[1:])
            if building in (body or {}).get("aliases", {}):
                self.building.add(path[1:])
            return 200, {"acknowledged": True, "index": path[1:]}
        if path == f"/_alias/{building}" and method == "HEAD":
            return (200 if self.building else 404), {}
        if path.endswith("/_refresh"):
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if path == f"/_alias/{alias}":
            if method == "HEAD":
                return (200 if self.alias_targets else 404), {}
            if not self.alias_targets:
                return 404, {"error": "alias [harbor-content] missing", "status": 404}
            return 200, {name: {"aliases": {alias: {}}} for name in self.alias_targets}
        if path == f"/{alias}" and method == "HEAD":
            return (200 if alias in self.indices else 404), {}
        if path == "/_aliases":
            for action in body["actions"]:
                ((kind, spec),) = action.items()
                if kind == "remove" and spec["alias"] == building:
                    self.building.discard(spec["index"])
                elif kind == "remove":
                    self.alias_targets.discard(spec["index"])
                elif kind == "add":
                    self.alias_targets.add(spec["index"])
                elif kind == "remove_index":
                    self.indices.discard(spec["index"])
            return 200, {"acknowledged": True}
        if method == "GET" and path == f"/{alias}-*":
            return 200, {
                name: {} for name in self.indices if name.startswith(f"{alias}-")
            }
        if method == "DELETE":
            self.indices.discard(path[1:])
            self.building.discard(path[1:])
            return 200, {"acknowledged": True}
        if path.endswith("/_search"):
            return 200, self.searches.pop(0) if self.searches else RESPONSE
        raise AssertionError(f"unexpected request {method} {path}")


@pytest.fixture
def cluster():
    """An engine whose client talks to a FakeCluster through RecordingNode."""

    def make(**state):
        fake = FakeCluster(**state)
        node = type(
            "Node", (RecordingNode,), {"responder": staticmethod(fake), "calls": []}
        )
        client = Elasticsearch("http://es.test:9200", node_class=node)
        engine = ElasticsearchEngine(
            url="http://es.test:9200", alias="harbor-content", client=client
        )
        return engine, fake, node.calls

    return make


OLD = "harbor-content-20250101000000000000"
OLDER = "harbor-content-20240101000000000000"


class Doc:
    """The attributes of a SearchDocument that source_of reads, tokens made up."""

    def __init__(self, key, title):
        self.key, self.type, self.object_id = key, "news", int(key.split(":")[1])
        self.title, self.body, self.url = title, "", f"/{key}/"
        self.title_tokens, self.body_tokens, self.pinyin = title, "", ""
        self.department, self.department_id = "", None
        self.category, self.category_id, self.tiers = "", None, []
        self.status, self.issued_on, self.year, self.doc_number = "", None, None, ""


DOCS = [Doc("news:1", "一"), Doc("news:2", "二"), Doc("news:3", "三")]


def _requests(calls):
    return [(method, path) for method, path, _params, _body in calls]


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
