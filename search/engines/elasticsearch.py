"""The Elasticsearch engine (settings.ELASTICSEARCH_URL set).

Writes and searches go through an alias (``harbor-content`` by default, setting
ELASTICSEARCH_INDEX_ALIAS); the documents live in physical indices named
``<alias>-<UTC timestamp>``. A rebuild fills a new physical index while the
old one keeps answering, moves the alias in one atomic update_aliases call, then
deletes the older physical indices: no moment without an index.

While a rebuild runs, a second alias (``<alias>-building``) points at the
index being filled, and every write goes through both aliases, so a change
published during the rebuild is in the new index when it takes over. Only one
rebuild runs at a time (a lock in the cache). Every write passes
``require_alias=True``: nothing ever auto-creates an index with a dynamic
mapping. Bulk writes retry a 429 (cluster busy) with backoff.

Searches and suggestions give up after SEARCH_TIMEOUT seconds; any client error
(cluster down, no index yet, timeout) is logged and answered with empty
results marked ``unavailable`` (the page and the API say so), never a 500.

Connection settings: ELASTICSEARCH_URL, and for a default Elasticsearch 8
install (HTTPS with its own CA) ELASTICSEARCH_CA_CERTS (a CA file) or
ELASTICSEARCH_SSL_FINGERPRINT (the CA's SHA-256 fingerprint), and
ELASTICSEARCH_API_KEY (or user:password in the URL). See docs/search.md.

The mapping is in es_mapping, the request bodies in es_query. Nothing connects
at import time or construction: the client is made on first use.
"""

from __future__ import annotations

import datetime
import logging
import re
import uuid
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.cache import cache
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.helpers import BulkIndexError, streaming_bulk

from search.analysis import plan_query
from search.engines import es_query
from search.engines.base import Engine, Progress, RebuildInProgress
from search.engines.es_mapping import build_index, source_of

logger = logging.getLogger(__name__)

DEFAULT_ALIAS = "harbor-content"
BULK_CHUNK = 500
SEARCH_TIMEOUT = 5  # seconds: a search that takes longer is answered empty
REQUEST_TIMEOUT = 30  # index management (create, aliases, refresh, delete)
BULK_TIMEOUT = 300  # one bulk chunk of a rebuild may wait on a busy cluster
# A 429 (too many requests) is retried this many times, waiting 2, 4, 8 ... s.
BULK_RETRIES = 6
BULK_BACKOFF = 2
BULK_MAX_BACKOFF = 120
BUILDING_SUFFIX = "-building"
# A rebuild of 100,000 documents takes minutes; a crashed one frees the lock
# after this long.
REBUILD_LOCK_SECONDS = 6 * 3600
# What the client raises when the cluster cannot answer as asked.
CLIENT_ERRORS = (ApiError, TransportError, BulkIndexError)


def client_options() -> dict:
    """Keyword arguments of Elasticsearch() from the settings, besides the URL."""
    options: dict = {"request_timeout": REQUEST_TIMEOUT}
    ca_certs = getattr(settings, "ELASTICSEARCH_CA_CERTS", "")
    fingerprint = getattr(settings, "ELASTICSEARCH_SSL_FINGERPRINT", "")
    api_key = getattr(settings, "ELASTICSEARCH_API_KEY", "")
    if ca_certs:
        options["ca_certs"] = ca_certs
    if fingerprint:
        options["ssl_assert_fingerprint"] = fingerprint
    if api_key:
        options["api_key"] = api_key
    return options


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
        self.building_alias = f"{self.alias}{BUILDING_SUFFIX}"

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            self._client = Elasticsearch(self.url, **client_options())
        return self._client

    # --- index lifecycle ---

    def new_index_name(self) -> str:
        # Fixed-width, so names sort in creation order; lower case as ES requires.
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias}-{stamp}"

    def create_index(self, name: str, aliases: dict | None = None) -> None:
        body = build_index(name).to_dict()
        # The client leaves a None argument out of the request body.
        self.client.indices.create(
            index=name,
            settings=body["settings"],
            mappings=body["mappings"],
            aliases=aliases or None,
        )

    def indices_behind_alias(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).keys())
        except NotFoundError:
            return []

    def point_alias_at(self, name: str, building: bool = False) -> None:
        """Move the alias to `name` in one atomic call (and take the building
        alias off it, after a rebuild)."""
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
        if building:
            # Writes go to the new index through the main alias from now on.
            actions.append({"remove": {"index": name, "alias": self.building_alias}})
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

    def _write_targets(self) -> list[str]:
        """The alias, and the building alias while a rebuild fills a new index."""
        targets = [self.alias]
        if self.client.indices.exists_alias(name=self.building_alias):
            targets.append(self.building_alias)
        return targets

    def _bulk(self, actions, ignore_status: tuple = ()) -> Iterator:
        """streaming_bulk through aliases only, retrying 429s with backoff.

        The helper retries a document refused with 429 only when it does not
        raise on the first error itself; failures left after the retries are
        raised here, once the stream is through."""
        failed = []
        for ok, item in streaming_bulk(
            self.client.options(request_timeout=BULK_TIMEOUT),
            actions,
            chunk_size=BULK_CHUNK,
            max_retries=BULK_RETRIES,
            initial_backoff=BULK_BACKOFF,
            max_backoff=BULK_MAX_BACKOFF,
            raise_on_error=False,
            ignore_status=ignore_status,
            require_alias=True,
        ):
            if not ok:
                ((_action, info),) = item.items()
                if info.get("status") not in ignore_status:
                    failed.append(item)
            yield ok, item
        if failed:
            raise BulkIndexError(f"{len(failed)} document(s) failed to index.", failed)

    def index(self, docs) -> None:
        self.ensure_alias()
        docs = list(docs)
        for target in self._write_targets():
            for _ok, _item in self._bulk(self._index_actions(docs, target)):
                pass

    def remove(self, keys) -> None:
        keys = list(keys)
        if not keys:
            return
        self.ensure_alias()
        for target in self._write_targets():
            actions = (
                {"_op_type": "delete", "_index": target, "_id": key} for key in keys
            )
            # Deleting what is already gone is fine.
            for _ok, _item in self._bulk(actions, ignore_status=(404,)):
                pass

    def _lock_key(self) -> str:
        return f"harbor_search:es_rebuild:{self.alias}"

    def rebuild(
        self, docs, total: int | None = None, progress: Progress | None = None
    ) -> int:
        token = uuid.uuid4().hex
        if not cache.add(self._lock_key(), token, REBUILD_LOCK_SECONDS):
            raise RebuildInProgress(
                f"A rebuild of {self.alias} is already running; try again later."
            )
        try:
            return self._rebuild(docs, progress)
        finally:
            if cache.get(self._lock_key()) == token:
                cache.delete(self._lock_key())

    def _rebuild(self, docs, progress: Progress | None) -> int:
        name = self.new_index_name()
        # Writes from now on reach the new index too (see _write_targets).
        self.create_index(name, aliases={self.building_alias: {}})
        done = 0
        try:
            for _ok, _item in self._bulk(
                self._index_actions(docs, self.building_alias)
            ):
                done += 1
                if progress is not None:
                    progress(done)
            self.client.indices.refresh(index=name)
            self.point_alias_at(name, building=True)
        except BaseException:
            # The alias still points at the old index: drop the half-built one
            # (and the building alias with it).
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
        from search.query import empty_results

        plan = plan if plan is not None else plan_query(req.query)
        if plan.is_empty:
            return empty_results(req, plan)
        try:
            response = self._search(es_query.search_body(req, plan))
            if es_query.can_relax(plan, _total(response)):
                response = self._search(es_query.search_body(req, plan, relaxed=True))
        except CLIENT_ERRORS as error:
            logger.error("Elasticsearch search failed on %s: %r", self.alias, error)
            results = empty_results(req, plan)
            results.unavailable = True
            return results
        return es_query.results_from(response, req, plan)

    def _search(self, body: dict) -> dict:
        client = self.client.options(request_timeout=SEARCH_TIMEOUT)
        return _as_dict(client.search(index=self.alias, body=body))

    def suggest(self, prefix: str, limit: int = 8, hidden=frozenset()) -> list[dict]:
        prefix = prefix.strip()
        if not prefix:
            return []
        try:
            response = self._search(es_query.suggest_body(prefix, limit, hidden))
        except CLIENT_ERRORS as error:
            logger.error("Elasticsearch suggest failed on %s: %r", self.alias, error)
            return []
        return es_query.suggestions_from(response, limit)


def _total(response: dict) -> int:
    total = response.get("hits", {}).get("total", 0)
    return int(total.get("value", 0) if isinstance(total, dict) else total)


def _as_dict(response) -> dict:
    # ObjectApiResponse behaves like a dict; its .body is the plain dict.
    return getattr(response, "body", response)
