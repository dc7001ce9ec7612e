"""Sign in with a mobile number, an e-mail address or (staff) a user name."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from cms.core.identifiers import normalize_code


def normalize_login(identifier: str) -> str:
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return identifier.lower()
    return identifier


def axes_username(request, credentials) -> str:
    """The key django-axes counts failures under: the same for every spelling."""
    raw = (credentials or {}).get("username") or (request.POST.get("username") if request else "")
    return normalize_login(raw or "")


class MobileOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        identifier = normalize_login(username)
        query = Q(username=identifier) | Q(email__iexact=identifier)
        if normalize_code(identifier).isdigit():
            query |= Q(mobile=normalize_code(identifier))
        users = list(get_user_model()._default_manager.filter(query)[:2])
        if len(users) != 1:
            # Run the hasher anyway so that timing does not reveal unknown accounts.
            get_user_model()().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
