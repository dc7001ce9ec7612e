"""Public views that belong to no content app."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from cms.core import i18n


@never_cache
def switch_language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Remember the visitor's language in the language cookie and go back.

    A plain link rather than Django's POST-only ``set_language``: the POST form
    needs a CSRF token on every page, and that token would put a ``Set-Cookie``
    header on anonymous public pages that must stay cacheable (docs/security.md C4).
    Choosing a display language changes nothing else, so a GET is harmless; the
    response itself is never cached. A page goes to its version in that
    language (cms/core/i18n.py).
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    # The same page in the chosen language: page addresses carry it.
    response = HttpResponseRedirect(i18n.translated_url(request, next_url, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    )
    return response
