"""Parts of public pages kept between requests, exact without tracking what
shows what: the route of a path and rendered template fragments.

Both are keyed on the content generation of the page cache
(cms/core/pagecache.py), which every change a public page can show replaces
(publish, unpublish, move, delete, sites, settings, snippets, images and
documents). It is read once per request before anything it guards, so a part
made before a change is never used after it, in any process sharing the cache.
Unlike the full-page cache this serves signed-in visitors too: nothing kept
here is personal (the header, the messages, forms and their CSRF tokens stay
outside every fragment), and previews never read or write it.

``FRAGMENT_CACHE_ENABLED`` switches both (on by default; off in the test
settings, whose tests change rows without signals, except where a test
switches it on).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpRequest
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from cms.core import pagecache

# Routes and sites remembered per process, for one generation at a time; the
# bound keeps a crawler of made-up paths from growing it (misses are not kept).
MAX_ROUTES = 5000
SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")


def enabled() -> bool:
    return getattr(settings, "FRAGMENT_CACHE_ENABLED", False)


def lazy(compute):
    """A context value computed on first use, then kept: a template whose
    fragment comes from the cache never pays for what only the fragment shows."""
    return SimpleLazyObject(compute)


# --- Routes ----------------------------------------------------------------------


class _Memo:
    generation: str | None = None
    started = 0.0
    sites: dict = {}
    routes: dict = {}
    settings: dict = {}
    # Per page and language: its versions' links and whether it stands in
    # for a missing translation (cms/core/i18n.py).
    languages: dict = {}
    # Paths of pages with a view restriction and of alias pages: a page with
    # neither among itself and its ancestors has no restriction to check.
    guarded_paths: frozenset | None = None


def _memo_for(generation: str) -> type[_Memo]:
    # Also forgotten after PAGE_CACHE_TIMEOUT: with a local-memory cache, a
    # change made in another process does not reach this one's generation.
    now = time.monotonic()
    if (
        _Memo.generation != generation
        or now - _Memo.started > settings.PAGE_CACHE_TIMEOUT
    ):
        _Memo.generation = generation
        _Memo.started = now
        _Memo.sites = {}
        _Memo.routes = {}
        _Memo.settings = {}
        _Memo.languages = {}
        _Memo.guarded_paths = None
    return _Memo


def _site_for(request: HttpRequest, memo) -> Site | None:
    """Site.find_for_request, remembered per host and port: a fresh instance
    each request, so nothing a request attaches to it reaches the next."""
    key = (request._get_raw_host(), request.get_port())
    if key not in memo.sites:
        site = Site.find_for_request(request)
        memo.sites[key] = (
            None if site is None else {f: getattr(site, f) for f in SITE_FIELDS}
        )
        return site
    fields = memo.sites[key]
    request._wagtail_site = None if fields is None else Site(**fields)
    return request._wagtail_site


def serve(request: HttpRequest, path: str):
    """Wagtail's page view, with the route of a path remembered for the
    current generation: one query for the page instead of two per level of
    the path (a routable page then routes the rest of the path itself, with
    no query). Only for GET and HEAD; a path that led nowhere is not kept."""
    from wagtail import views as wagtail_views

    if enabled() and request.method in ("GET", "HEAD"):
        _route(request, path)
    _chinese_fallback(request, path)
    return wagtail_views.serve(request, path)


def _chinese_fallback(request: HttpRequest, path: str) -> None:
    """At an English address, a page with no English version is the Chinese
    one, shown with a note (cms/core/i18n.py)."""
    default = settings.LANGUAGE_CODE
    if get_language() == default or Page.route_for_request(request, path):
        return
    del request._wagtail_route_for_request
    with translation.override(default):
        Page.route_for_request(request, path)


def _route(request: HttpRequest, path: str) -> None:
    generation = pagecache.content_generation(request)
    if generation is None:
        return
    memo = _memo_for(generation)
    site = _site_for(request, memo)
    if site is None:
        return
    _hall_settings(request, site, memo)
    # The same path leads to a page of each locale's tree.
    key = (site.pk, get_language(), path)
    known = memo.routes.get(key)
    page = None
    if known is not None:
        model, pk, consumed = known
        page = next(iter(model.objects.filter(pk=pk)), None)
        if page is not None:
            if consumed is None:
                request._wagtail_route_for_request = RouteResult(page)
            else:
                # A routable page: its own routes take the rest of the path.
                rest = [part for part in path.split("/") if part][consumed:]
                try:
                    request._wagtail_route_for_request = page.route(request, rest)
                except Http404:
                    page = None
    if page is None:
        result = Page.route_for_request(request, path)
        if result is None:
            return
        page = result.page
        consumed = None
        if result.args or result.kwargs:
            if not isinstance(page, RoutablePageMixin):
                return
            consumed = page.depth - site.root_page.depth
        if len(memo.routes) >= MAX_ROUTES:
            memo.routes.clear()
        memo.routes[key] = (type(page), page.pk, consumed)
    if memo.guarded_paths is None:
        memo.guarded_paths = frozenset(
            PageViewRestriction.objects.values_list("page__path", flat=True)
        ) | frozenset(
            Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
        )
    steplen = page.steplen
    lineage = {page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)}
    if not lineage & memo.guarded_paths:
        # Read by BasePage.get_view_restrictions, in Wagtail's on_serve_page hook.
        page._hall_unrestricted = True


def _hall_settings(request: HttpRequest, site: Site, memo) -> None:
    """The hall settings of the site, as the settings context processor would
    read them (one query per request), from the memo: they are content."""
    from cms.core.models import HallSettings

    fields = memo.settings.get(site.pk)
    if fields is None:
        instance = HallSettings.for_request(request)
        memo.settings[site.pk] = {
            field.attname: getattr(instance, field.attname)
            for field in HallSettings._meta.concrete_fields
        }
        return
    instance = HallSettings(**fields)
    instance._request = request
    setattr(request, HallSettings.get_cache_attr_name(), instance)


def page_languages(request: HttpRequest, page, compute):
    """``compute()`` for a page served from the tree, kept for the current
    generation per page, language and host (previews compute afresh)."""
    if not enabled() or getattr(request, "is_preview", None) is not False:
        return compute()
    generation = pagecache.content_generation(request)
    if generation is None:
        return compute()
    memo = _memo_for(generation)
    key = (page.pk, get_language(), request.scheme, request._get_raw_host())
    if key not in memo.languages:
        if len(memo.languages) >= MAX_ROUTES:
            memo.languages.clear()
        memo.languages[key] = compute()
    return memo.languages[key]


def urlpatterns(wagtail_patterns: list) -> list:
    """Wagtail's front-end URL patterns with its page view replaced by ours
    (same name, same pattern)."""
    from django.urls import URLPattern, re_path

    patterns = []
    for pattern in wagtail_patterns:
        if isinstance(pattern, URLPattern) and pattern.name == "wagtail_serve":
            pattern = re_path(pattern.pattern.regex.pattern, serve, name=pattern.name)
        patterns.append(pattern)
    return patterns


# --- Template fragments ---------------------------------------------------------


def fragment_key(request: HttpRequest, name: str, page) -> str | None:
    """The key of a page's fragment, or None when it must be rendered afresh:
    previews, pages not served from the tree, the cache switched off or out of
    reach."""
    if not enabled() or request is None or page is None or page.pk is None:
        return None
    # Page.serve sets False; previews set True; other renders leave it unset.
    if getattr(request, "is_preview", None) is not False:
        return None
    generation = pagecache.content_generation(request)
    if generation is None:
        return None
    parts = [
        name,
        str(page.pk),
        str(page.live_revision_id),
        request.scheme,
        request._get_raw_host(),
        get_language() or "",
        # What "today" decides (a policy's validity) turns at midnight.
        timezone.localdate().isoformat(),
        generation,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"fragment:{digest}"


def cache():
    return caches[pagecache.CACHE_ALIAS]
