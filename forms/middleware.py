"""Refuse oversized requests before anything reads their body (docs/security.md F2).

Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves file uploads out, and the CSRF check
parses the whole body, so the limit has to come first, from Content-Length.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.APPLICATION_MAX_REQUEST_SIZE:
            if request.path.startswith("/api/v1/"):
                from forms.api.problems import problem_response

                problem = problem_response("too_large")
                problem["Connection"] = "close"
                return problem
            message = _(
                "The files sent at once are too large (%(size)s MB at most). Upload "
                "them a few at a time."
            ) % {"size": settings.APPLICATION_MAX_REQUEST_SIZE // (1024 * 1024)}
            # Closing the connection stops the client from sending the rest.
            response = HttpResponse(message, status=413, content_type="text/plain")
            response["Connection"] = "close"
            return response
        return self.get_response(request)
