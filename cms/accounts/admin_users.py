"""Wagtail's user admin, with the fields hall staff accounts need.

Wagtail's stock forms ask for a first and a last name and nothing else of ours,
so an account made at /admin/users/new/ would be a nameless "talent" outside any
department. These forms use our real name, mobile number, kind (staff by
default here), department and district instead. docs/security.md D5.
"""

from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from cms.core.identifiers import normalize_code, normalize_phone

from .models import User

# Who someone is and where they work; changed only by another administrator.
ORGANISATION_FIELDS = ("kind", "department", "district")
HARBOR_FIELDS = ("real_name", "mobile", *ORGANISATION_FIELDS)


class HarborUserFieldsMixin:
    """Shared cleaning of our fields for the create and edit forms."""

    def clean_mobile(self) -> str | None:
        mobile = normalize_code(self.cleaned_data.get("mobile") or "")
        if not mobile:
            # NULL, not "", so that many accounts may have no mobile number.
            return None
        return normalize_phone(mobile)


class HarborUserCreationForm(HarborUserFieldsMixin, UserCreationForm):
    # One real name (Chinese names do not split into first and last usefully).
    first_name = None
    last_name = None

    class Meta(UserCreationForm.Meta):
        fields = ["username", "email", *HARBOR_FIELDS, "is_superuser", "groups"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["real_name"].required = True
        if self.instance.pk is None:
            # Accounts are made here for staff; talents register themselves.
            self.initial["kind"] = User.Kind.STAFF


class HarborUserEditForm(HarborUserFieldsMixin, UserEditForm):
    first_name = None
    last_name = None

    class Meta(UserEditForm.Meta):
        fields = [
            "username",
            "email",
            *HARBOR_FIELDS,
            "is_active",
            "is_superuser",
            "groups",
        ]

    def __init__(self, *args, editing_self: bool = False, **kwargs):
        super().__init__(*args, editing_self=editing_self, **kwargs)
        if editing_self:
            # Like Wagtail's is_superuser: nobody moves themselves to another
            # department or makes themselves staff.
            for name in ORGANISATION_FIELDS:
                del self.fields[name]


class UserViewSet(WagtailUserViewSet):
    """Named by HarborUsersConfig.user_viewset (cms/accounts/apps.py)."""

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return HarborUserEditForm if for_update else HarborUserCreationForm
