from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.api.urls import router as api_router
from cms.core import fragments
from cms.core.views import switch_language
from forms.api.app import urls as application_api_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("cms.accounts.urls")),
    path("services/", include("cms.services.urls")),
    path("search/", include("search.urls")),
    path("api/search/", include("search.api_urls")),
    path("applications/", include("forms.urls")),
    path("performance/", include("forms.reporting.urls")),
    path("publicity/", include("forms.publicity.urls")),
    path("calculator/", include("forms.eligibility.urls")),
    path("verify/", include("forms.cards.urls")),
    path("api/v2/", api_router.urls),
    path("api/v1/", application_api_urls()),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/<str:code>/", switch_language, name="switch_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving comes last: it matches every remaining path. Its
# view goes through the route memo of cms/core/fragments.py. Chinese pages
# have no prefix, English ones "/en/" (cms/core/i18n.py).
urlpatterns += i18n_patterns(
    path("", include(fragments.urlpatterns(wagtail_urls.urlpatterns))),
    prefix_default_language=False,
)
