"""The interface every search engine implements (embedded and Elasticsearch)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.analysis import QueryPlan
    from search.documents import SearchDocument
    from search.query import SearchRequest, SearchResults

Progress = Callable[[int], None]


class RebuildInProgress(RuntimeError):
    """Another rebuild of the same index is running."""


class Engine:
    """Stores SearchDocuments and answers SearchRequests.

    ``rebuild`` replaces the whole index with ``docs`` and returns how many were
    indexed; ``progress`` (if given) is called with the number done so far.
    """

    name = "base"

    def index(self, docs: Iterable[SearchDocument]) -> None:
        raise NotImplementedError

    def remove(self, keys: Iterable[str]) -> None:
        raise NotImplementedError

    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        total: int | None = None,
        progress: Progress | None = None,
    ) -> int:
        raise NotImplementedError

    def search(
        self, req: SearchRequest, plan: QueryPlan | None = None
    ) -> SearchResults:
        """``plan``: plan_query(req.query), when the caller already made it.
        No hit is one of ``req.hidden``."""
        raise NotImplementedError

    def suggest(
        self, prefix: str, limit: int = 8, hidden: frozenset[str] = frozenset()
    ) -> list[dict]:
        """Title suggestions: [{"title", "url", "type"}], none of the keys in
        ``hidden``."""
        raise NotImplementedError
