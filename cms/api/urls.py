"""Read-only headless API for apps and WeChat mini-programs: Wagtail's page API (v2).

Only the pages endpoint is mounted (docs/security.md A5: only what is used). Wagtail
8's v3 API is deliberately not mounted: see README, "Headless API".
"""

from wagtail.api.v2.router import WagtailAPIRouter

from .views import PublicPagesAPIViewSet

router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", PublicPagesAPIViewSet)
