"""The site's search page.

For now a plain query over Wagtail's search backend (the embedded database backend by
default); the search issue replaces the engine behind it with Chinese analysis,
facets and Elasticsearch, keeping this URL.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page

MAX_QUERY_LENGTH = 100


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "search/search_results.html",
        {"query": query, "results": page, "page_title": _("Search")},
    )
