"""The Elasticsearch engine (settings.ELASTICSEARCH_URL set).

Writes and searches go through an alias (``harbor-content`` by default, setting
ELASTICSEARCH_INDEX_ALIAS); the documents live in physical indices named
``<alias>-<UTC timestamp>``. A rebuild fills a new physical index while the
old one keeps answering, moves the alias in one atomic update_aliases call, then
deletes the older physical indices: no moment without an index.

The mapping is in es_mapping, the request bodies in es_query. Nothing connects
at import time or construction: the client is made on first use.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator

from django.conf import settings
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk

from search.analysis import plan_query
from search.engines import es_query
from search.engines.base import Engine, Progress
from search.engines.es_mapping import build_index, source_of

DEFAULT_ALIAS = "harbor-content"
BULK_CHUNK = 500
REQUEST_TIMEOUT = 30


class ElasticsearchEngine(Engine):
    name = "elasticsearch"

    def __init__(
        self,
        url: str,
        alias: str | None = None,
        client: Elasticsearch | None = None,
    ) -> None:
        self.url = url
        self.alias = (
            alias or getattr(settings, "ELASTICSEARCH_INDEX_ALIAS", "") or DEFAULT_ALIAS
        )
        self._client = client
        self._alias_ready = False
        self._physical = re.compile(rf"^{re.escape(self.alias)}-\d{{20}}$")

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            self._client = Elasticsearch(self.url, request_timeout=REQUEST_TIMEOUT)
        return self._client

    # --- index lifecycle ---

    def new_index_name(self) -> str:
        # Fixed-width, so names sort in creation order; lower case as ES requires.
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias}-{stamp}"

    def create_index(self, name: str) -> None:
        body = build_index(name).to_dict()
        self.client.indices.create(
            index=name, settings=body["settings"], mappings=body["mappings"]
        )

    def indices_behind_alias(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).keys())
        except NotFoundError:
            return []

    def point_alias_at(self, name: str) -> None:
        """Move the alias to `name` in one atomic call."""
        current = self.indices_behind_alias()
        actions: list[dict] = [
            {"remove": {"index": old, "alias": self.alias}}
            for old in current
            if old != name
        ]
        if not current and self.client.indices.exists(index=self.alias):
            # A concrete index squatting the alias name (auto-created by a write
            # before any rebuild): it goes in the same atomic call.
            actions.append({"remove_index": {"index": self.alias}})
        actions.append({"add": {"index": name, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        self._alias_ready = True

    def delete_older_indices(self, keep: str) -> list[str]:
        """Physical indices of this alias created before `keep`; a newer one may
        be a rebuild still running in another process, so it stays."""
        names = self.client.indices.get(index=f"{self.alias}-*").keys()
        older = sorted(n for n in names if self._physical.match(n) and n < keep)
        for name in older:
            self.client.indices.delete(index=name)
        return older

    def ensure_alias(self) -> None:
        """Writes before the first rebuild get a properly mapped index."""
        if self._alias_ready:
            return
        if self.client.indices.exists_alias(name=self.alias):
            self._alias_ready = True
            return
        name = self.new_index_name()
        self.create_index(name)
        self.point_alias_at(name)

    # --- writing ---

    @staticmethod
    def _index_actions(docs: Iterable, index: str) -> Iterator[dict]:
        for doc in docs:
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": doc.key,
                "_source": source_of(doc),
            }

    def index(self, docs) -> None:
        self.ensure_alias()
        for _ok, _item in streaming_bulk(
            self.client,
            self._index_actions(docs, self.alias),
            chunk_size=BULK_CHUNK,
        ):
            pass

    def remove(self, keys) -> None:
        keys = list(keys)
        if not keys:
            return
        self.ensure_alias()
        actions = (
            {"_op_type": "delete", "_index": self.alias, "_id": key} for key in keys
        )
        # Deleting what is already gone is fine.
        for _ok, _item in streaming_bulk(
            self.client, actions, chunk_size=BULK_CHUNK, ignore_status=(404,)
        ):
            pass

    def rebuild(
        self, docs, total: int | None = None, progress: Progress | None = None
    ) -> int:
        name = self.new_index_name()
        self.create_index(name)
        done = 0
        try:
            for _ok, _item in streaming_bulk(
                self.client, self._index_actions(docs, name), chunk_size=BULK_CHUNK
            ):
                done += 1
                if progress is not None:
                    progress(done)
            self.client.indices.refresh(index=name)
            self.point_alias_at(name)
        except BaseException:
            # The alias still points at the old index: drop the half-built one.
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        self.delete_older_indices(keep=name)
        return done

    def refresh(self) -> None:
        """Make recent writes searchable now (tests; Elasticsearch does it each
        second by itself)."""
        self.client.indices.refresh(index=self.alias)

    # --- reading ---

    def search(self, req, plan=None):
        plan = plan if plan is not None else plan_query(req.query)
        if plan.is_empty:
            from search.query import empty_results

            return empty_results(req, plan)
        response = self._search(es_query.search_body(req, plan))
        if not _total(response) and es_query.can_relax(plan):
            response = self._search(es_query.search_body(req, plan, relaxed=True))
        return es_query.results_from(response, req, plan)

    def _search(self, body: dict) -> dict:
        return _as_dict(self.client.search(index=self.alias, body=body))

    def suggest(self, prefix: str, limit: int = 8, hidden=frozenset()) -> list[dict]:
        prefix = prefix.strip()
        if not prefix:
            return []
        response = self._search(es_query.suggest_body(prefix, limit, hidden))
        return es_query.suggestions_from(response, limit)


def _total(response: dict) -> int:
    total = response.get("hits", {}).get("total", 0)
    return int(total.get("value", 0) if isinstance(total, dict) else total)


def _as_dict(response) -> dict:
    # ObjectApiResponse behaves like a dict; its .body is the plain dict.
    return getattr(response, "body", response)
