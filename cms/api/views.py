"""The public, read-only page endpoint of the headless API.

Wagtail's v2 page API, fenced further: it authenticates nobody. A session cookie
or an HTTP Basic header is ignored, so the API is not a second way to log in
(SECURITY.md A5) and answers every caller as anonymous: live, public pages only,
never drafts, private pages or unpublished changes. There are no write routes;
PUT, PATCH, POST and DELETE are answered 405.
"""

from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.views import PagesAPIViewSet

from cms.policies.models import PolicyPage


class PublicPagesAPIViewSet(PagesAPIViewSet):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    # JSON only: the browsable HTML renderer is a developer convenience with its
    # own forms and templates, not something the app or mini-program needs.
    renderer_classes = [JSONRenderer]

    def get_queryset(self):
        queryset = super().get_queryset()
        # A listing of one page type reads its related rows in bulk, not per item.
        if queryset.model is PolicyPage:
            queryset = queryset.select_related(
                "issuing_department", "category"
            ).prefetch_related("tiers")
        return queryset
