"""Background tasks that keep the index in step with the content."""

from __future__ import annotations

from django.apps import apps
from django_tasks import task
from wagtail.models import Page

from search.documents import documents_for, key_for
from search.engines import get_engine


def _engine():
    return get_engine()


@task()
def update_index(model_label: str, pk: int, key: str) -> int:
    """Index the object again, or remove it when it must no longer be found."""
    model = apps.get_model(model_label)
    obj = model._default_manager.filter(pk=pk).first()
    docs = documents_for(obj) if obj is not None else []
    engine = _engine()
    if docs:
        engine.index(docs)
    else:
        engine.remove([key])
    return len(docs)


@task()
def remove_from_index(keys: list[str]) -> int:
    _engine().remove(keys)
    return len(keys)


@task()
def update_subtree(page_id: int) -> int:
    """After a move every URL below the page changes, and a view restriction set
    or lifted on it hides or shows everything below: index them all again."""

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    docs, gone = [], []
    for descendant in page.get_descendants(inclusive=True).specific().iterator():
        # A guide stands for its service item: the item follows it (documents_for).
        item = getattr(descendant, "service_item", None)
        for obj in (descendant, item) if item is not None else (descendant,):
            try:
                key = key_for(obj)
            except ValueError:
                continue
            found = documents_for(obj)
            docs.extend(found)
            if not found:
                gone.append(key)
    engine = _engine()
    if docs:
        engine.index(docs)
    if gone:
        engine.remove(gone)
    return len(docs)
