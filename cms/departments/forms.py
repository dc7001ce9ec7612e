"""Admin forms of module pages: which unit a module belongs to is not an editor's call.

A module page's department (or district) decides whose groups may edit it and
whose moderators publish it; an editor who could change it would hand the module
to another unit (docs/security.md D2). Only an administrator sets it.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

UNIT_FIELD_NAMES = ("department", "district")


def departments_of_user(user) -> QuerySet:
    """The departments a staff member works for: those whose editor or moderator
    group they belong to, and the departments of a district whose group they
    belong to (those modules sit inside the district's module)."""
    # The models import this module for ModulePageForm: read them lazily.
    from cms.departments.models import Department

    groups = user.groups.all()
    return Department.objects.filter(
        Q(editors_group__in=groups)
        | Q(moderators_group__in=groups)
        | Q(district__editors_group__in=groups)
        | Q(district__moderators_group__in=groups)
    ).distinct()


class ModulePageForm(WagtailAdminPageForm):
    """Shows the module's unit read-only to everyone but administrators."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.unit_field_name = next(
            (name for name in UNIT_FIELD_NAMES if name in self.fields), None
        )
        self.unit_is_locked = bool(
            self.unit_field_name and not (user and user.is_superuser)
        )
        if self.unit_is_locked:
            self.fields[self.unit_field_name].disabled = True

    def _is_translation(self) -> bool:
        # A unit's module in another language has no unit of its own.
        instance = self.instance
        return bool(instance.pk) and instance.source_unit() is not None

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if not self.unit_is_locked:
            return cleaned_data
        name = self.unit_field_name
        current_id = getattr(self.instance, f"{name}_id", None)
        posted = self.data.get(self.add_prefix(name))
        if current_id is None and not self._is_translation():
            self.add_error(
                name, _("Only an administrator can create a department's module.")
            )
        elif posted not in (None, "", str(current_id)):
            self.add_error(
                name, _("Only an administrator can move a module to another unit.")
            )
        return cleaned_data
