"""The site's search page and the JSON API, both over search.query."""

from __future__ import annotations

from collections.abc import Iterator
from typing import overload

from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from search.query import (
    Hit,
    InvalidSearch,
    SearchRequest,
    SearchResults,
    empty_results,
    parameter_text,
)
from search.query import search as run_search
from search.query import suggest as run_suggest

PAGE_SIZE = 10
FACET_ORDER = ("type", "category", "department", "tier", "year", "status")
FACET_TITLES = {
    "type": gettext_lazy("Type"),
    "category": gettext_lazy("Service category"),
    "department": gettext_lazy("Department"),
    "tier": gettext_lazy("Talent tier"),
    "year": gettext_lazy("Year"),
    "status": gettext_lazy("Status"),
}


class _ResultWindow:
    """Lets Django's Paginator page through a search that fetched one page."""

    def __init__(self, results: SearchResults) -> None:
        self.results = results

    def __len__(self) -> int:
        return self.results.total

    @overload
    def __getitem__(self, window: int) -> Hit: ...

    @overload
    def __getitem__(self, window: slice) -> list[Hit]: ...

    def __getitem__(self, window: int | slice) -> Hit | list[Hit]:
        # The paginator only slices, for the page the search already fetched.
        if not isinstance(window, slice):
            raise TypeError("a window of search results is only sliced")
        return self.results.hits

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.results.hits)


def _url_with(params, key: str, value) -> str:
    """This search with one filter set (or cleared), back on the first page."""
    query = params.copy()
    query.pop("page", None)
    query.pop(key, None)
    if value not in (None, ""):
        query[key] = value
    return "?" + query.urlencode()


def _facet_groups(params, req: SearchRequest, results: SearchResults) -> list[dict]:
    groups = []
    for key in FACET_ORDER:
        buckets = results.facets.get(key) or []
        selected = str(req.filters.get(key, ""))
        if not buckets and not selected:
            continue
        groups.append(
            {
                "key": key,
                "title": str(FACET_TITLES[key]),
                "selected": selected,
                "clear_url": _url_with(params, key, None),
                "buckets": [
                    {
                        **bucket,
                        # Counted on a sample of many hits: say so.
                        "count": (
                            _("about %(count)s") % {"count": bucket["count"]}
                            if results.facets_approximate
                            else bucket["count"]
                        ),
                        "is_selected": str(bucket["value"]) == selected,
                        "url": _url_with(params, key, bucket["value"]),
                    }
                    for bucket in buckets
                ],
            }
        )
    return groups


@require_GET
def search(request):
    error = ""
    try:
        req = SearchRequest.from_params(request.GET, page_size=PAGE_SIZE)
    except InvalidSearch as invalid:
        error = invalid.message
        req = SearchRequest(
            parameter_text(request.GET.get("q"))[:100], page_size=PAGE_SIZE
        )
    results = run_search(req) if req.query else empty_results(req)
    paginator: Paginator[Hit] = Paginator(_ResultWindow(results), PAGE_SIZE)
    try:
        page_obj = paginator.page(req.page)
    except EmptyPage:
        page_obj = None
    response = render(
        request,
        "search/search_results.html",
        {
            "query": req.query,
            "search_request": req,
            "results": results,
            "page_obj": page_obj,
            "facet_groups": _facet_groups(request.GET, req, results),
            "error": error,
            "page_title": _("Search"),
        },
        status=400 if error else 200,
    )
    return response


def _json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_GET
def api_search(request):
    """GET /api/search/?q=&department=&category=&tier=&type=&year=&status=&page="""
    try:
        req = SearchRequest.from_params(request.GET, page_size=PAGE_SIZE)
    except InvalidSearch as invalid:
        return _json_error(invalid.message)
    if not req.query:
        return _json_error(_("Enter a search query in the “q” parameter."))
    results = run_search(req)
    return JsonResponse(
        {
            "total": results.total,
            "page": results.page,
            "num_pages": results.num_pages,
            "results": [hit.as_json() for hit in results.hits],
            "facets": results.facets,
            # True when facet counts were taken on a sample of many hits.
            "facets_approximate": results.facets_approximate,
            # True when the engine could not answer (the results are empty).
            "unavailable": results.unavailable,
            "suggestions": results.suggestions,
            # Pages administrators promote for this query (first page, no filters).
            "best_bets": [bet.as_json() for bet in results.best_bets],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def api_suggest(request):
    """GET /api/search/suggest/?q= : titles that start with or contain q."""
    prefix = parameter_text(request.GET.get("q"))
    if len(prefix) > 50:
        return _json_error(
            _("The text to complete is too long (at most 50 characters).")
        )
    suggestions = run_suggest(prefix, limit=8) if prefix else []
    return JsonResponse(
        {"query": prefix, "suggestions": suggestions},
        json_dumps_params={"ensure_ascii": False},
    )
