"""Wagtail's own search (the admin's page search, page choosers, snippet and
image listings) on segmented Chinese text.

Wagtail's database backend (django-modelsearch) tokenizes text on spaces and
punctuation: a Chinese title is one long token, so 补贴 found none of the pages
whose titles contain it. This backend is the same database backend with both
ends segmented by the hall's analyser (jieba with the hall's dictionary, search
mode): every text value is indexed as its space-separated words, and every
query string is read the same way, so a word matches wherever the analyser
cut it out of a title or a body. Text without Chinese characters is left as
it is. Pages indexed before this backend was configured need
`manage.py update_index` once.

Configured in WAGTAILSEARCH_BACKENDS as "search.wagtail_backend".
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

from modelsearch.backends.database import SearchBackend as _vendor_backend

from search.analysis import segmented

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# The vendor modules build their ObjectIndexer by its module-level name inside
# add_items (no hook takes a class): the segmenting one stands in for it while
# this backend indexes, one indexing call at a time.
_INDEXER_SWAP = threading.RLock()
_classes: dict[type, type] = {}


def segmented_text(text: str) -> str:
    """The text as the analyser's words, space-separated, if it holds Chinese."""
    if not text or not _CJK.search(text):
        return text
    return segmented(text) or text


def _segmenting_index(index_class: type) -> type:
    module = sys.modules[index_class.__module__]
    # The vendor's class, found by name at run time: typed Any, as modelsearch
    # ships no types.
    base_indexer: Any = getattr(module, "ObjectIndexer", None)
    if base_indexer is None:  # the fallback backend indexes nothing itself
        return index_class

    class SegmentingIndexer(base_indexer):
        def prepare_value(self, value):
            return segmented_text(super().prepare_value(value))

    class SegmentingIndex(index_class):
        def add_items(self, model, objs):
            with _INDEXER_SWAP:
                setattr(module, "ObjectIndexer", SegmentingIndexer)  # noqa: B010
                try:
                    return super().add_items(model, objs)
                finally:
                    setattr(module, "ObjectIndexer", base_indexer)  # noqa: B010

    SegmentingIndex.__name__ = f"Segmenting{index_class.__name__}"
    return SegmentingIndex


def _segmenting_backend(backend_class: type[Any]) -> type:
    if backend_class not in _classes:

        class SegmentingBackend(backend_class):
            index_class = _segmenting_index(backend_class.index_class)

            def _search(self, query_compiler_class, query, model_or_queryset, **kw):
                if isinstance(query, str):
                    query = segmented_text(query)
                return super()._search(
                    query_compiler_class, query, model_or_queryset, **kw
                )

        SegmentingBackend.__name__ = f"Segmenting{backend_class.__name__}"
        _classes[backend_class] = SegmentingBackend
    return _classes[backend_class]


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks for)
    """The database backend of the connection's vendor, segmenting."""
    vendor_backend = _vendor_backend(params)
    return _segmenting_backend(type(vendor_backend))(params)
