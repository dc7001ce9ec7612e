"""Sign in with a mobile number, an e-mail address or (staff) a user name."""

from axes.helpers import get_client_ip_address
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from cms.core.identifiers import phone_key


def normalize_login(identifier: str) -> str:
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return identifier.lower()
    return identifier


def matching_users(identifier: str) -> list:
    """At most two accounts the identifier could name: two means it is ambiguous."""
    query = Q(username=identifier) | Q(email__iexact=identifier)
    key = phone_key(identifier)
    if key.startswith("+"):  # 138 0013 8000 names the account of +8613800138000
        query |= Q(mobile=key)
    return list(get_user_model()._default_manager.filter(query)[:2])


ACCOUNT_KEY_PREFIX = "account:"


def lockout_key(user) -> str:
    return f"{ACCOUNT_KEY_PREFIX}{user.pk}"


def clear_failed_logins(user) -> None:
    """After the owner proved themselves by a reset link or SMS code, the
    failures counted against the account no longer stand between them and it."""
    reset(username=lockout_key(user))


def forget_failed_logins_from(request, user) -> None:
    """What django-axes does after a successful sign-in (AXES_RESET_ON_SUCCESS),
    for a password proved without signing in: the account's failures from this
    address stop counting."""
    if settings.AXES_RESET_ON_SUCCESS:
        reset(ip=get_client_ip_address(request), username=lockout_key(user))


def axes_username(request, credentials) -> str:
    """The key django-axes counts failures under: one per account, whichever of
    mobile number, e-mail or user name is typed, so each spelling does not get its
    own five tries. Unknown identifiers are counted as typed (normalized)."""
    raw = (credentials or {}).get("username") or (
        request.POST.get("username") if request else ""
    )
    identifier = normalize_login(raw or "")
    if not identifier:
        return ""
    users = matching_users(identifier)
    if len(users) == 1:
        return lockout_key(users[0])
    return identifier


class MobileOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        users = matching_users(normalize_login(username))
        if len(users) != 1:
            # Run the hasher anyway so that timing does not reveal unknown accounts.
            get_user_model()().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
