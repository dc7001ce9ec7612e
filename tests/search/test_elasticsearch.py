"""The Elasticsearch engine without a server: the mapping, settings and request
bodies are compared as JSON, responses are translated from recorded dicts, and
the engine talks to a recording transport node that answers like Elasticsearch.

The live suite (tests/search/live/) runs the same engine against a real cluster.
"""

import dataclasses
import datetime
import json

import pytest
from django.utils.safestring import SafeString

from search.analysis import QueryPlan
from search.documents import SearchDocument
from search.engines import es_query
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


def test_relaxed_body_puts_the_hits_with_every_term_first():
    plan = QueryPlan(raw="x", terms=[[f"词{n}"] for n in range(3)])
    query = es_query.relaxed_query(plan).to_dict()["bool"]
    assert query["must"] == [es_query.text_query(plan, relaxed=True).to_dict()]
    assert query["should"] == [
        {
            "constant_score": {
                "filter": es_query.text_query(plan).to_dict(),
                "boost": es_query.EVERY_TERM_BOOST,
            }
        }
    ]
    body = es_query.search_body(SearchRequest("x"), plan, relaxed=True)
    assert body["query"]["function_score"]["query"]["bool"]["must"] == [{"bool": query}]
    # Fewer than a page of hits with every term: relaxed; a page or more: not.
    assert es_query.can_relax(plan, es_query.RELAX_BELOW - 1)
    assert not es_query.can_relax(plan, es_query.RELAX_BELOW)


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
