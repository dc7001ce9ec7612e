"""The public, read-only page endpoint of the headless API.

Wagtail's v2 page API, fenced further: it authenticates nobody. A session cookie
or an HTTP Basic header is ignored, so the API is not a second way to log in
(docs/security.md A5) and answers every caller as anonymous: live, public pages only,
never drafts, private pages or unpublished changes. There are no write routes;
PUT, PATCH, POST and DELETE are answered 405.
"""

from django.db import DatabaseError, transaction
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from cms.policies.models import PolicyPage


class CheckedSearchFilter(SearchFilter):
    """Wagtail's ``?search=``, answering 400 to a query the database's full-text
    syntax refuses (a lone ``"`` is an FTS5 syntax error on SQLite) instead of
    failing later, while the page is rendered, with a 500.

    The search is counted here, inside a savepoint so that PostgreSQL's
    transaction survives the error; the results keep the count, so this adds no
    query.
    """

    def filter_queryset(self, request, queryset, view):
        results = super().filter_queryset(request, queryset, view)
        if "search" in request.GET:
            try:
                with transaction.atomic():
                    results.count()
            except DatabaseError as error:
                raise BadRequestError(
                    "the search query could not be understood; use words, "
                    "without quotes or operators"
                ) from error
        return results


class PublicPagesAPIViewSet(PagesAPIViewSet):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    # JSON only: the browsable HTML renderer is a developer convenience with its
    # own forms and templates, not something the app or mini-program needs.
    renderer_classes = [JSONRenderer]
    filter_backends = [
        CheckedSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]

    def get_queryset(self):
        # Every item's meta names its locale (Wagtail's i18n is on): read in bulk.
        queryset = super().get_queryset().select_related("locale")
        # A listing of one page type reads its related rows in bulk, not per item.
        if queryset.model is PolicyPage:
            queryset = queryset.select_related(
                "issuing_department", "category"
            ).prefetch_related("tiers")
        return queryset
