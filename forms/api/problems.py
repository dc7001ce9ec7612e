"""Errors as problem details (RFC 9457): JSON with a stable ``code`` per error.

``type`` is a URN built from the code, so clients branch on ``code`` (or
``type``) and show ``title``/``detail``, which are in the request's language.
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger("harbor.api")

CONTENT_TYPE = "application/problem+json"

# code: (status, title). One place for every error the API gives.
PROBLEMS = {
    "bad_request": (400, gettext_lazy("The request could not be read.")),
    "not_authenticated": (401, gettext_lazy("Sign in first.")),
    "token_expired": (
        401,
        gettext_lazy("The access token has expired. Refresh it and try again."),
    ),
    "invalid_credentials": (
        401,
        gettext_lazy(
            "The account or the password is wrong. Both may be case-sensitive."
        ),
    ),
    "invalid_refresh_token": (
        401,
        gettext_lazy("The refresh token is not valid any more. Sign in again."),
    ),
    "csrf_failed": (403, gettext_lazy("The page's security check failed. Reload it.")),
    "staff_not_allowed": (
        403,
        gettext_lazy("Staff accounts use the administration site, not the app."),
    ),
    "locked_out": (
        403,
        gettext_lazy(
            "Too many failed sign-ins. The account is locked for a while; try "
            "again later or reset the password."
        ),
    ),
    "cannot_apply": (403, gettext_lazy("You cannot apply with this form.")),
    "not_found": (404, gettext_lazy("Nothing was found here.")),
    "no_match": (
        404,
        gettext_lazy(
            "No application matches this receipt number and these characters "
            "of the ID number."
        ),
    ),
    "method_not_allowed": (405, gettext_lazy("This method is not allowed here.")),
    "not_a_draft": (409, gettext_lazy("This application is no longer a draft.")),
    "step_hidden": (
        409,
        gettext_lazy("This step does not apply given the answers so far."),
    ),
    "idempotency_key_reused": (
        409,
        gettext_lazy("This Idempotency-Key was already used for another application."),
    ),
    "conflict": (
        409,
        gettext_lazy("The application changed meanwhile. Check it and try again."),
    ),
    "not_allowed_now": (409, gettext_lazy("This cannot be done at this stage.")),
    "request_changed": (
        409,
        gettext_lazy("The request changed meanwhile. Read it again."),
    ),
    "too_large": (413, gettext_lazy("The request is too large.")),
    "invalid_request": (422, gettext_lazy("Some values of the request are not valid.")),
    "invalid_answers": (
        422,
        gettext_lazy("Some answers need your attention. They were kept in the draft."),
    ),
    "incomplete": (422, gettext_lazy("Some answers need your attention.")),
    "rate_limited": (
        429,
        gettext_lazy("Too many requests. Please wait a while and try again."),
    ),
    "storage_full": (
        503,
        gettext_lazy(
            "Your files could not be stored: the server has no space left. "
            "Nothing was saved; please try again later."
        ),
    ),
    "server_error": (500, gettext_lazy("Something went wrong on our side.")),
}


class Problem(Exception):
    """Raised anywhere in an endpoint: answered as problem+json."""

    def __init__(self, code: str, detail: str = "", **extra):
        super().__init__(code)
        self.code = code
        self.detail = detail
        self.extra = extra


def problem_response(code: str, detail: str = "", **extra) -> JsonResponse:
    status, title = PROBLEMS[code]
    body = {
        "type": f"urn:talent-harbor:problem:{code}",
        "title": str(title),
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = str(detail)
    body.update(extra)
    response = JsonResponse(
        body,
        status=status,
        content_type=CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-store"
    return response


def field_errors(form) -> dict[str, list[dict]]:
    """A form's errors as {field key or "__all__": [{"message", "code"}]}."""
    return {
        key: [
            {"message": str(e["message"]), "code": e["code"] or "invalid"}
            for e in errors
        ]
        for key, errors in form.errors.get_json_data().items()
    }


def _validation_details(errors: list[dict]) -> list[dict]:
    details = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        details.append(
            {
                "location": location,
                "message": str(error.get("msg", "")),
                "code": str(error.get("type", "invalid")),
            }
        )
    return details


def install(api) -> None:
    """Route every error ninja or an endpoint raises to problem+json."""
    from ninja.errors import AuthenticationError, HttpError, ValidationError

    @api.exception_handler(Problem)
    def _problem(request, exc: Problem):
        return problem_response(exc.code, exc.detail, **exc.extra)

    @api.exception_handler(ValidationError)
    def _invalid(request, exc: ValidationError):
        return problem_response(
            "invalid_request", errors=_validation_details(exc.errors)
        )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        response = problem_response("not_authenticated")
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        codes = {
            400: "bad_request",
            401: "not_authenticated",
            403: "csrf_failed",
            404: "not_found",
            405: "method_not_allowed",
            413: "too_large",
            429: "rate_limited",
        }
        code = codes.get(exc.status_code, "bad_request")
        return problem_response(code)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return problem_response("not_found")

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        return problem_response("not_found")

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request, exc):
        return problem_response("too_large")

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        logger.exception("API error on %s", request.path)
        return problem_response("server_error", _("Please try again later."))
