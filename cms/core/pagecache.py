"""Whole responses of public pages, kept in the cache for anonymous visitors.

One middleware (``PageCacheMiddleware``, just inside WhiteNoise) answers a
repeated anonymous GET from the cache before sessions, authentication, routing
and templates run; on a miss it lets the request through and keeps the
response if, and only if, nothing in it can differ between two anonymous
visitors.

Exact invalidation without tracking which page shows what: every entry records
the *generation* it was rendered under, and the generation is a token in the
same cache that the signal handlers below replace on every change a public page
can show (publish, unpublish, move, delete and save of pages; sites and view
restrictions; hall settings, service categories, talent tiers, departments and
the other content models; images and documents). A lookup reads the entry and
the current generation in one round trip and serves the entry only when they
match, so an entry made before a change is never served again by any process
that shares the cache (Redis). Search pages also record the search generation,
replaced when a search index task finishes or the search vocabulary changes.

Never cached (each is checked, not assumed):
- anything but GET and HEAD; requests carrying a session or messages cookie or
  an Authorization header (signed-in users, and anonymous visitors with state);
- responses to a signed-in user, that set a cookie, used a CSRF token (every
  form on the site does), touched the session, or say ``private``,
  ``no-store``, ``no-cache`` or ``max-age=0`` (views marked ``never_cache``,
  docs/security.md C4); anything but a 200 with HTML or JSON;
- the paths in ``PAGE_CACHE_EXCLUDED_PATHS`` (admin, accounts, applications,
  documents, ...) and the page types in ``PAGE_CACHE_EXCLUDED_PAGE_MODELS``
  (application forms), wherever they sit in the tree.

The key is scheme, host (so the site), path, the whole query string (every
page echoes it in its language-switch link, so two query strings are two
pages), the language the locale middleware will choose, and the local date
(what "today" decides, such as a policy's validity, turns at midnight). Cached
responses carry ``ETag``, ``Last-Modified`` and ``Cache-Control: public,
max-age=PAGE_CACHE_MAX_AGE`` for a reverse proxy or CDN, and answer a matching
``If-None-Match`` or ``If-Modified-Since`` with 304.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from wagtail import hooks
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.core import i18n

logger = logging.getLogger("harbor.pagecache")

CACHE_ALIAS = "pages"
CONTENT_GENERATION_KEY = "generation:content"
SEARCH_GENERATION_KEY = "generation:search"
STATUS_HEADER = "X-Page-Cache"
# A query string longer than this is served, never kept: it cannot be a link of
# the site, and each one would be an entry of its own.
MAX_QUERY_STRING = 512
CACHEABLE_CONTENT_TYPES = ("text/html", "application/json")
# Headers the key already accounts for (the cookies that reach here are the
# CSRF and language cookies only; the language is in the key); a response
# that varies on anything else is not kept.
KEYED_VARY_HEADERS = ("cookie", "accept-language")
# Fields a draft save writes on the page row: the live page does not change.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "draft_title",
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)
# Models whose rows public pages show. Apps listed whole; for Wagtail's own
# apps only the models that change what a visitor sees (not revisions, logs,
# workflow states or image renditions, which rendering itself creates).
CONTENT_APPS = frozenset(
    {"core", "departments", "home", "policies", "services", "news", "taggit"}
)
CONTENT_MODELS = frozenset(
    {
        "wagtailcore.site",
        "wagtailcore.pageviewrestriction",
        "wagtailcore.collectionviewrestriction",
        "wagtailcore.locale",
        "wagtailimages.image",
        "wagtaildocs.document",
    }
)
SEARCH_APPS = frozenset({"search"})


def _cache():
    return caches[CACHE_ALIAS]


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


# --- Generations ---------------------------------------------------------------


def _replace(key: str) -> None:
    # A fresh random token rather than an increment: it needs no existing key
    # (an evicted generation simply starts a new one) and no atomic operation.
    _cache().set(key, uuid.uuid4().hex, None)


def _pending(func) -> bool:
    """Whether ``func`` already waits for the current transaction's commit: a
    publish saves a dozen rows, and one replacement after commit is enough."""
    return any(
        isinstance(entry, tuple) and len(entry) > 1 and entry[1] is func
        for entry in connection.run_on_commit
    )


def _after_commit_content() -> None:
    _replace(CONTENT_GENERATION_KEY)


def _after_commit_search() -> None:
    _replace(SEARCH_GENERATION_KEY)


def invalidate_pages() -> None:
    """Every cached page is stale from now on, in every process sharing the
    cache. Once now and once after commit: a request between the change and
    the commit may render and keep what was still the committed state."""
    _replace(CONTENT_GENERATION_KEY)
    if not _pending(_after_commit_content):
        transaction.on_commit(_after_commit_content)


def invalidate_search_pages() -> None:
    _replace(SEARCH_GENERATION_KEY)
    if not _pending(_after_commit_search):
        transaction.on_commit(_after_commit_search)


def content_generation(request: HttpRequest | None = None) -> str | None:
    """The current content generation token, read once per request (before
    anything it guards is read), or None when the cache cannot be reached.
    Caches of parts of pages (cms/core/fragments.py) key on it."""
    if request is not None:
        token = getattr(request, "_hall_content_generation", None)
        if token is not None:
            return token
    try:
        keys = [CONTENT_GENERATION_KEY]
        token = _current_generations(keys, _cache().get_many(keys))[0]
    except Exception:
        logger.exception("page cache unavailable")
        return None
    if request is not None and token is not None:
        request._hall_content_generation = token
    return token


def _current_generations(keys: list[str], values: dict) -> tuple[str, ...]:
    """The current generation tokens (from ``values`` when the lookup read
    them), starting any that is missing: evicted, or a cache never used."""
    missing = [key for key in keys if key not in values]
    if missing:
        for key in missing:
            _cache().add(key, uuid.uuid4().hex, None)
        values = {**values, **_cache().get_many(missing)}
    return tuple(values.get(key) for key in keys)


# --- Deciding --------------------------------------------------------------------


def _starts_with_any(path: str, prefixes) -> bool:
    return any(path.startswith(prefix) for prefix in prefixes)


def _request_is_anonymous(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return not (
        settings.SESSION_COOKIE_NAME in cookies
        or CookieStorage.cookie_name in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def _cache_key(request: HttpRequest) -> str | None:
    """The entry's key, or None when this request must not use the cache."""
    if request.method not in ("GET", "HEAD") or not _request_is_anonymous(request):
        return None
    path = request.path
    if _starts_with_any(path, settings.PAGE_CACHE_EXCLUDED_PATHS):
        return None
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY_STRING:
        return None
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: the stack below answers 400 itself
        return None
    language = i18n.request_language(request)
    parts = [
        request.scheme,
        host,
        path,
        query,
        language,
        timezone.localdate().isoformat(),
    ]
    if _starts_with_any(path, settings.PAGE_CACHE_ACCEPT_PATHS):
        # The API negotiates its format from Accept (and says so in Vary).
        parts.append(request.META.get("HTTP_ACCEPT", "")[:200])
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def _generation_keys(request: HttpRequest) -> list[str]:
    if _starts_with_any(request.path, settings.PAGE_CACHE_SEARCH_PATHS):
        return [CONTENT_GENERATION_KEY, SEARCH_GENERATION_KEY]
    return [CONTENT_GENERATION_KEY]


def _is_personal(
    request: HttpRequest, response: HttpResponse, *, check_user: bool = True
) -> bool:
    """Whether the response holds anything of this visitor: a session, a
    signed-in user, a cookie, a CSRF token (which also sets the cookie)."""
    if response.cookies or response.has_header("Set-Cookie"):
        return True
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get(
        "CSRF_COOKIE_USED"
    ):
        return True
    user = getattr(request, "user", None) if check_user else None
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    if session is not None and (session.modified or session.session_key):
        return True
    return False


def _refuses_shared_caching(response: HttpResponse) -> bool:
    directives = {
        part.strip().split("=", 1)[0].lower(): part.strip()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }
    if {"private", "no-store", "no-cache"} & directives.keys():
        return True
    return directives.get("max-age", "").replace(" ", "") == "max-age=0"


def _varies_on_unkeyed_header(request: HttpRequest, response: HttpResponse) -> bool:
    if not response.has_header("Vary"):
        return False
    keyed = set(KEYED_VARY_HEADERS)
    if _starts_with_any(request.path, settings.PAGE_CACHE_ACCEPT_PATHS):
        keyed.add("accept")
    varies = {
        header.strip().lower() for header in response["Vary"].split(",") if header
    }
    return bool(varies - keyed)


def cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether two anonymous visitors would get this very response."""
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not getattr(request, "_page_cache_refused", False)
        and response.get("Content-Type", "").startswith(CACHEABLE_CONTENT_TYPES)
        and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
        and not _refuses_shared_caching(response)
        and not _varies_on_unkeyed_header(request, response)
        and not _is_personal(request, response)
    )


def _public_headers(response: HttpResponse) -> None:
    """Validators and freshness for the browser and for a proxy or CDN."""
    if not response.has_header("ETag"):
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response["ETag"] = quote_etag(digest)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(time.time())
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)


def _from_entry(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=_parse_date(response.get("Last-Modified")),
        response=response,
    )


def _parse_date(value: str | None) -> int | None:
    return parse_http_date_safe(value) if value else None


class PageCacheMiddleware:
    """Answers anonymous GETs of public pages from the cache (module docstring).

    Sits inside SecurityMiddleware, CSPMiddleware and WhiteNoise, so a cached
    page still gets the HTTPS redirect and the security headers they add, and
    outside everything else, which a hit skips."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _cache_key(request) if enabled() else None
        if key is None:
            response = self.get_response(request)
            self._mark_personal(request, response)
            return response

        generation_keys = _generation_keys(request)
        try:
            values = _cache().get_many([key, *generation_keys])
            generations = _current_generations(generation_keys, values)
        except Exception:
            # The cache is down: serve the page as if it were switched off.
            logger.exception("page cache unavailable")
            response = self.get_response(request)
            self._mark_personal(request, response)
            return response
        # Read before rendering, so the parts of the page cached on it
        # (cms/core/fragments.py) need no second round trip.
        request._hall_content_generation = generations[0]
        entry = values.get(key)
        if entry is not None and entry["generations"] == generations:
            response = _from_entry(entry)
            response[STATUS_HEADER] = "hit"
            return _conditional(request, response)

        response = self.get_response(request)
        if None not in generations and cacheable(request, response):
            _public_headers(response)
            try:
                _cache().set(
                    key,
                    {
                        # Read before rendering: a change made meanwhile
                        # replaced the generation, and this entry is stale.
                        "generations": generations,
                        "status": response.status_code,
                        "headers": list(response.items()),
                        "content": response.content,
                    },
                    settings.PAGE_CACHE_TIMEOUT,
                )
            except Exception:
                logger.exception("page cache unavailable")
            response[STATUS_HEADER] = "miss"
            return _conditional(request, response)
        self._mark_personal(request, response)
        return response

    @staticmethod
    def _mark_personal(request: HttpRequest, response: HttpResponse) -> None:
        """A page made for one visitor (their name in the header, a form's
        token) that says nothing about caching is kept out of shared caches;
        views that chose their own Cache-Control keep it (docs/security.md C4)."""
        if (
            request.method in ("GET", "HEAD")
            and not response.has_header("Cache-Control")
            and (
                not _request_is_anonymous(request)
                or _is_personal(request, response, check_user=False)
            )
        ):
            patch_cache_control(response, private=True, no_store=True)


@hooks.register("before_serve_page")
def _refuse_excluded_page_types(page, request, serve_args, serve_kwargs):
    """Application forms and any page type that says ``cache_full_page =
    False`` are never kept, whatever their path (a form sits under its guide)."""
    excluded = tuple(_excluded_page_models())
    if isinstance(page, excluded) or not getattr(page, "cache_full_page", True):
        request._page_cache_refused = True


def _excluded_page_models():
    from django.apps import apps

    for label in settings.PAGE_CACHE_EXCLUDED_PAGE_MODELS:
        try:
            yield apps.get_model(label)
        except LookupError:
            continue


# --- Signals ---------------------------------------------------------------------


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(sender, instance=None, **kwargs) -> None:
    invalidate_pages()
    if instance is not None:
        _purge_frontend_cache(instance)


@receiver(post_save)
@receiver(post_delete)
def _content_saved(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
            return
        invalidate_pages()
        return
    meta = sender._meta
    if meta.app_label in CONTENT_APPS or meta.label_lower in CONTENT_MODELS:
        invalidate_pages()
    elif meta.app_label in SEARCH_APPS:
        # Best bets, the dictionary, synonyms and the index tables themselves.
        invalidate_search_pages()


def _connect_task_signal() -> None:
    from django_tasks.signals import task_finished

    @receiver(task_finished, weak=False, dispatch_uid="harbor_pagecache_search")
    def _task_finished(sender, task_result=None, **kwargs) -> None:
        task = getattr(task_result, "task", None)
        module = getattr(task, "module_path", "") if task is not None else ""
        if module.startswith("search."):
            invalidate_search_pages()


_connect_task_signal()


# --- Front-end cache (a CDN or reverse proxy with purge) --------------------------


def _purge_frontend_cache(page) -> None:
    """Wagtail's frontend_cache app purges a published page's own URL; the
    pages that list it (its parent, the site's home page) and its fixed
    sub-pages (a guide's notice sheet) are purged here too."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    urls = set()
    page = page.specific_deferred
    full_url = page.get_full_url()
    if full_url:
        urls.add(full_url)
        for pattern in getattr(page, "get_subpage_urls", list)():
            try:
                subpath = page.reverse_subpage(pattern.name)
            except NoReverseMatch:  # a route that needs arguments
                continue
            urls.add(full_url.rstrip("/") + "/" + subpath.lstrip("/"))
    site = page.get_site()
    for other in (page.get_parent(), site.root_page if site else None):
        if other is not None and other.depth > 1:
            url = other.get_full_url()
            if url:
                urls.add(url)
    if urls:
        purge_urls_from_cache(sorted(urls))
