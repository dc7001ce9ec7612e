"""The one way other apps ask search to index: index_object / remove_object.

Both queue a background task once the current transaction commits, so that a
rolled-back change never reaches the index and the task sees committed data.
"""

from __future__ import annotations

import logging

from django.db import transaction

from search import tasks
from search.documents import key_for

logger = logging.getLogger(__name__)


def _searchable_key(obj) -> str | None:
    try:
        return key_for(obj)
    except ValueError:
        return None


def _enqueue(task, *args) -> None:
    def run() -> None:
        try:
            task.enqueue(*args)
        except Exception:
            # A failed index update must never fail the editor's publish; the
            # next search_rebuild repairs the index.
            logger.exception("search index update failed: %s%r", task.name, args)

    transaction.on_commit(run)


def index_object(obj) -> None:
    """Index ``obj`` again (or drop it, if it is no longer live and public)."""
    key = _searchable_key(obj)
    if key is not None:
        _enqueue(tasks.update_index, obj._meta.label, obj.pk, key)


def remove_object(obj) -> None:
    key = _searchable_key(obj)
    if key is not None:
        _enqueue(tasks.remove_from_index, [key])


def index_subtree(page) -> None:
    """A moved page and everything below it."""
    _enqueue(tasks.update_subtree, page.pk)
