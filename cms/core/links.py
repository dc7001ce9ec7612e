"""Links the public templates need on every request, built without loading pages.

A link needs only a page's ``url_path``: loading the page itself (its specific
row, its StreamFields) to call ``get_url`` is most of what a menu used to cost.
``page_url`` turns a url_path into the URL ``Page.get_url`` would give, and the
fixed pages every header and footer link to (the policy list, the news list)
are looked up once and kept in the cache until a page or site changes.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

# The pages the header, footer and home page link to ({% fixed_page_url %}), by
# name: a page type says `fixed_page_name = "news"` in its own app, and an
# editor may rename the page's slug while the links follow.


def fixed_page_models() -> dict[str, type[Page]]:
    return {
        model.fixed_page_name: model
        for model in get_page_models()
        if getattr(model, "fixed_page_name", None)
    }


FIXED_PAGES_CACHE_KEY = "hall:fixed-pages"
# A bound on staleness where a signal cannot reach (another process's
# local-memory cache); with Redis every process sees the invalidation at once.
FIXED_PAGES_TIMEOUT = 5 * 60


def _site_root_paths(request: HttpRequest | None):
    if request is None:
        return Site.get_site_root_paths()
    try:
        return request._hall_site_root_paths
    except AttributeError:
        request._hall_site_root_paths = Site.get_site_root_paths()
        return request._hall_site_root_paths


def page_url(url_path: str | None, request: HttpRequest | None = None) -> str | None:
    """The URL of the page with this url_path, as ``Page.get_url`` would give it:
    relative on the current (or only) site, absolute on another, None when no
    site serves it."""
    if not url_path:
        return None
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        # Localised root paths need Wagtail's own language handling.
        return Page(id=0, url_path=url_path).get_url(request=request)
    root_paths = _site_root_paths(request)
    candidates = [srp for srp in root_paths if url_path.startswith(srp.root_path)]
    if not candidates:
        return None
    current_site = Site.find_for_request(request) if request is not None else None
    chosen = candidates[0]
    if current_site is not None:
        chosen = next((c for c in candidates if c.site_id == current_site.pk), chosen)
    try:
        path = reverse("wagtail_serve", args=(url_path[len(chosen.root_path) :],))
    except NoReverseMatch:
        return None
    if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and path != "/":
        path = path.rstrip("/")
    single_site = len({srp.site_id for srp in root_paths}) == 1
    if single_site or (current_site is not None and chosen.site_id == current_site.pk):
        return path
    return chosen.root_url + path


def _fixed_pages() -> list[tuple[str, str]]:
    """(name, url_path) of every live fixed page, in tree order."""
    pages = cache.get(FIXED_PAGES_CACHE_KEY)
    if pages is None:
        fixed = fixed_page_models()
        content_types = ContentType.objects.get_for_models(*fixed.values())
        names = {content_types[model].pk: name for name, model in fixed.items()}
        pages = [
            (names[content_type_id], url_path)
            for content_type_id, url_path in Page.objects.live()
            .filter(content_type_id__in=names)
            .order_by("path")
            .values_list("content_type_id", "url_path")
        ]
        cache.set(FIXED_PAGES_CACHE_KEY, pages, FIXED_PAGES_TIMEOUT)
    return pages


def fixed_page_url(name: str, request: HttpRequest | None = None) -> str | None:
    """The URL of a fixed page (a `fixed_page_name` of a page type): the one of the
    current site first, else the first anywhere; None if none is live. From the
    cache, where ``{% slugurl %}`` cost a query per link."""
    if request is not None:
        memo = request.__dict__.setdefault("_hall_fixed_page_urls", {})
        if name in memo:
            return memo[name]
    pages = [url_path for page_name, url_path in _fixed_pages() if page_name == name]
    url_path = None
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        site_roots = {
            srp.root_path for srp in _site_root_paths(request) if srp.site_id == site.pk
        }
        url_path = next(
            (p for p in pages if any(p.startswith(root) for root in site_roots)), None
        )
    if url_path is None and pages:
        url_path = pages[0]
    url = page_url(url_path, request)
    if request is not None:
        memo[name] = url
    return url


def invalidate_fixed_pages() -> None:
    cache.delete(FIXED_PAGES_CACHE_KEY)
    # Again after commit: a request between the change and the commit may have
    # cached what was still the committed state.
    transaction.on_commit(lambda: cache.delete(FIXED_PAGES_CACHE_KEY))


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(sender, **kwargs) -> None:
    invalidate_fixed_pages()


@receiver(post_save)
@receiver(post_delete)
def _page_or_site_saved(sender, instance, **kwargs) -> None:
    # Slugs and url_paths also change through a plain save (importers, the
    # demo, a draft saved over a page that was never published).
    if isinstance(instance, Page | Site):
        invalidate_fixed_pages()


def exclude_private(queryset, request: HttpRequest | None = None):
    """``queryset.public()`` with the private sections read once per request
    rather than once per queryset."""
    private_paths = None
    if request is not None:
        private_paths = getattr(request, "_hall_private_paths", None)
    if private_paths is None:
        private_paths = list(
            PageViewRestriction.objects.values_list("page__path", flat=True)
        )
        if request is not None:
            request._hall_private_paths = private_paths
    if not private_paths:
        return queryset
    private = Q()
    for path in private_paths:
        private |= Q(path__startswith=path)
    return queryset.exclude(private)
