"""A recording transport and a fake cluster: the Elasticsearch engine's requests,
checked as JSON without a cluster."""

import json

import pytest
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch

from search.engines.elasticsearch import ElasticsearchEngine
from tests.search.test_elasticsearch import (
    RESPONSE,
)

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
