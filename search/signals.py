"""Index sync: Wagtail's page signals and the service catalogue's saves."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.core.models import ServiceCategory, TalentTier
from cms.departments.models import Department
from cms.news.models import NewsPage
from cms.policies.models import PolicyPage
from cms.services.models import ServiceGuidePage, ServiceItem
from search import indexing
from search.analysis import mark_dictionary_changed
from search.models import SearchTerm, SynonymGroup
from search.query import mark_facet_labels_changed


def _specific(page):
    return page.specific if type(page) is Page else page


def _index_service_item(page) -> None:
    """A live guide stands for its service item; without one the item is found
    by itself: it follows every change of its guide."""
    item = getattr(page, "service_item", None) if hasattr(page, "item_code") else None
    if item is not None:
        indexing.index_object(item)


def on_page_published(sender, instance, **kwargs):
    page = _specific(instance)
    indexing.index_object(page)
    _index_service_item(page)


def on_page_unpublished(sender, instance, **kwargs):
    page = _specific(instance)
    indexing.index_object(page)
    _index_service_item(page)


def on_page_deleting(sender, instance, **kwargs):
    # Before the delete, while the item still names its guide; the task runs
    # after commit and finds the item without it.
    _index_service_item(instance)


def on_page_deleted(sender, instance, **kwargs):
    indexing.remove_object(instance)


def on_page_moved(sender, instance, **kwargs):
    if kwargs.get("url_path_before") != kwargs.get("url_path_after"):
        indexing.index_subtree(instance)


def on_view_restriction_changed(sender, instance, **kwargs):
    """Setting, changing or lifting a page's privacy hides or shows the page and
    everything below it: they leave or re-enter the index at once."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # gone with its page: the page's delete removed it
        indexing.index_subtree(page)


def on_item_saved(sender, instance, **kwargs):
    indexing.index_object(instance)


def on_item_deleted(sender, instance, **kwargs):
    indexing.remove_object(instance)


def on_dictionary_changed(sender, **kwargs):
    mark_dictionary_changed()


def on_facet_label_changed(sender, **kwargs):
    mark_facet_labels_changed()


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="harbor_search_published")
    page_unpublished.connect(
        on_page_unpublished, dispatch_uid="harbor_search_unpublished"
    )
    post_page_move.connect(on_page_moved, dispatch_uid="harbor_search_moved")
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"harbor_search_privacy_{id(signal)}",
        )
    for model in (PolicyPage, ServiceGuidePage, NewsPage):
        post_delete.connect(
            on_page_deleted,
            sender=model,
            dispatch_uid=f"harbor_search_del_{model.__name__}",
        )
    pre_delete.connect(
        on_page_deleting,
        sender=ServiceGuidePage,
        dispatch_uid="harbor_search_guide_deleting",
    )
    post_save.connect(
        on_item_saved, sender=ServiceItem, dispatch_uid="harbor_search_item"
    )
    post_delete.connect(
        on_item_deleted, sender=ServiceItem, dispatch_uid="harbor_search_item_del"
    )
    for dictionary_model in (SearchTerm, SynonymGroup):
        for signal in (post_save, post_delete):
            signal.connect(
                on_dictionary_changed,
                sender=dictionary_model,
                dispatch_uid=(
                    f"harbor_search_dict_{dictionary_model.__name__}_{id(signal)}"
                ),
            )
    # Facet labels (names by id) are kept per process: see search.query.
    for label_model in (Department, ServiceCategory, TalentTier):
        for signal in (post_save, post_delete):
            signal.connect(
                on_facet_label_changed,
                sender=label_model,
                dispatch_uid=f"harbor_search_labels_{label_model.__name__}_{id(signal)}",
            )
