"""Who calls the API: an app with a bearer access token, or the site's own
pages with their session (and its CSRF token). Sign-in endpoints live here."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Path, Router, Status
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from cms.accounts.backends import forget_failed_logins_from
from forms.api import schemas, tokens
from forms.api.problems import Problem


def _refuse_staff(user):
    if not tokens.usable_by(user):
        raise Problem("staff_not_allowed")
    return user


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <access token>``; never a token in the URL."""

    def authenticate(self, request, token):
        try:
            sign_in = tokens.check_access(token)
        except tokens.AccessRefused as refused:
            raise Problem(
                "token_expired" if refused.expired else "not_authenticated"
            ) from None
        request.user = sign_in.user
        request.app_sign_in = sign_in
        return sign_in.user


class SiteSessionAuth(APIKeyCookie):
    """The site's session, for its own pages: a write needs the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request):
            raise Problem("csrf_failed")
        return _refuse_staff(user)

    def authenticate(self, request, key):  # pragma: no cover - __call__ decides
        return None


AUTH = [BearerAuth(), SiteSessionAuth()]

router = Router(tags=["auth"])


def _pair_out(sign_in, access: str, refresh: str) -> dict:

    return {
        "token_type": "Bearer",
        "access_token": access,
        "expires_in": int(settings.API_ACCESS_TOKEN_LIFETIME.total_seconds()),
        "refresh_token": refresh,
        "refresh_expires_at": sign_in.expires_at,
        "sign_in_id": sign_in.pk,
    }


@router.post(
    "/token",
    auth=None,
    response={200: schemas.TokenPairOut},
    summary="Sign in with password",
)
def sign_in(request, body: schemas.PasswordSignIn):
    """The site's sign-in (mobile number, e-mail or user name and password),
    with the same lockout after repeated failures (django-axes)."""
    user = authenticate(request, username=body.username, password=body.password)
    if getattr(request, "axes_locked_out", False):
        # Answered here as problem+json rather than by axes' HTML page.
        request.axes_locked_out = False
        raise Problem("locked_out")
    if user is None:
        raise Problem("invalid_credentials")
    _refuse_staff(user)
    forget_failed_logins_from(request, user)
    record, access, refresh = tokens.issue(user, body.device)
    return _pair_out(record, access, refresh)


@router.post(
    "/refresh",
    auth=None,
    response={200: schemas.TokenPairOut},
    summary="Trade a refresh token for a new pair",
)
def refresh(request, body: schemas.RefreshIn):
    try:
        record, access, new_refresh = tokens.rotate(body.refresh_token)
    except tokens.RefreshRefused:
        raise Problem("invalid_refresh_token") from None
    return _pair_out(record, access, new_refresh)


@router.post("/sign-out", auth=[BearerAuth()], response={204: None})
def sign_out(request):
    """End the sign-in whose access token made this call."""
    tokens.revoke(
        tokens.AppSignIn.objects.filter(pk=request.app_sign_in.pk), by=request.user
    )
    return Status(204, None)


@router.get("/sign-ins", auth=AUTH, response=list[schemas.SignInOut])
def my_sign_ins(request):
    """The user's app sign-ins that still work."""
    return [
        record
        for record in tokens.AppSignIn.objects.filter(
            user=request.user, revoked_at__isnull=True
        )
        if record.is_active
    ]


@router.delete("/sign-ins/{sign_in_id}", auth=AUTH, response={204: None})
def revoke_sign_in(request, sign_in_id: int = Path(..., ge=1, le=schemas.MAX_ID)):
    """End one of the user's app sign-ins (a lost phone)."""
    found = tokens.AppSignIn.objects.filter(pk=sign_in_id, user=request.user)
    if not found.exists():
        raise Problem("not_found", _("No such sign-in."))
    tokens.revoke(found, by=request.user)
    return Status(204, None)
