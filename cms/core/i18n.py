"""Which language a request is in, and where the same page is in another.

Content lives in Wagtail locales: Chinese (the default, addresses without a
prefix) and English (addresses under ``/en/``). The rule, in one place:

- a path with a language prefix is in that language;
- an unprefixed path that serves pages is Chinese: the address says which
  version of the page it is, whatever the visitor's cookie;
- every other path (accounts, applications, search...) follows the visitor's
  choice: the language cookie the switch sets, then the browser's languages.

A page that has no live version in the requested language is shown in
Chinese with a note (``chinese_only``), at the address of the requested
language, so the switch never leads to a missing page.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import Http404, HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation

# HTML's spelling of each content language (hreflang, lang).
HTML_LANG = {"zh-hans": "zh-Hans", "en": "en"}


def _default() -> str:
    return settings.LANGUAGE_CODE


def serves_pages(path: str) -> bool:
    """Whether an unprefixed path is Wagtail's page view (or nothing at all)."""
    try:
        match = resolve(path)
    except Resolver404:
        return True
    return match.url_name == "wagtail_serve"


def split_prefix(path: str) -> tuple[str | None, str]:
    """The language prefix of a path, if any, and the path without it."""
    code = translation.get_language_from_path(path)
    if code and path.startswith(f"/{code}/"):
        return code, path[len(code) + 1 :]
    return None, path


def request_language(request: HttpRequest) -> str:
    """The language of a request, by the rule above (kept on the request)."""
    language = getattr(request, "_hall_language", None)
    if language is None:
        code, bare = split_prefix(request.path_info)
        if code:
            language = code
        elif serves_pages(bare):
            language = _default()
        else:
            language = translation.get_language_from_request(request)
        request._hall_language = language
    return language


class HallLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, with the language chosen by request_language."""

    def process_request(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()


def prefixed(path: str, code: str) -> str:
    """An unprefixed page path at the address of language ``code``."""
    return path if code == _default() else f"/{code}{path}"


def find_page(request: HttpRequest, path: str):
    """The page an address shows (in its own language's tree, then in
    Chinese) and what its own routes take of the path, or (None, "")."""
    from wagtail.models import Site

    code, bare = split_prefix(path)
    site = Site.find_for_request(request)
    if site is None:
        return None, ""
    components = [part for part in bare.split("/") if part]
    for language in dict.fromkeys([code or _default(), _default()]):
        with translation.override(language):
            root = site.root_page.localized.specific
        try:
            result = root.route(request, components)
        except Http404:
            continue
        page = result.page
        depth = page.depth - root.depth
        rest = "/".join(components[depth:])
        return page, (rest + "/" if rest else "")
    return None, ""


def translated_url(request: HttpRequest, next_url: str, code: str) -> str:
    """Where the language switch goes: the same page in language ``code``
    (its translation if one is live, else the page at that language's
    address, shown in Chinese with a note); other paths stay as they are."""
    parts = urlsplit(next_url)
    _prefix, bare = split_prefix(parts.path or "/")
    if not serves_pages(bare):
        return next_url
    page, rest = find_page(request, parts.path or "/")
    target = None
    if page is not None:
        translation_ = page.get_translation_or_none(_locale(code))
        if translation_ is not None and translation_.live:
            url = translation_.get_url(request=request)
            if url:
                target = url + rest
    if target is None:
        target = prefixed(bare, code)
    return urlunsplit(("", "", target, parts.query, ""))


def _locale(code: str):
    from wagtail.models import Locale

    return Locale.objects.filter(language_code=code).first()


def chinese_only(page) -> bool:
    """Whether ``page`` is shown in place of a version in the active language."""
    locale_id = getattr(page, "locale_id", None)
    if locale_id is None:
        return False
    return page.locale.language_code != translation.get_language()


def page_languages(request: HttpRequest, page) -> dict:
    """In one query: (hreflang, URL) of every live version of ``page``,
    itself included, and whether it stands in for a missing translation."""
    links = []
    own = None
    versions = (
        type(page)
        .objects.filter(translation_key=page.translation_key, live=True)
        .select_related("locale")
    )
    for version in versions:
        code = version.locale.language_code
        if version.pk == page.pk:
            own = code
        url = version.get_full_url(request=request)
        if url:
            links.append((HTML_LANG.get(code, code), url))
    if own is None:  # a draft being viewed: its locale is still known
        own = page.locale.language_code
    return {
        "alternates": sorted(links),
        "chinese_only": own != translation.get_language(),
    }
