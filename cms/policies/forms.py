"""The policy editor's form: a department issues policies in its own name only.

`issuing_department` is shown on the public site and in the API as the policy's
author; an editor of one department must not publish in another's name
(docs/security.md D2). The choice list is the first line, the form's validation
against that same list the real one.
"""

from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm

from cms.departments.forms import departments_of_user


class PolicyPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("issuing_department")
        if field is None:
            return
        self._default_to_the_modules_department(field)
        user = self.for_user
        if user is None or user.is_superuser:
            return

        allowed = Q(pk__in=departments_of_user(user).values("pk"))
        current_id = self.instance.issuing_department_id
        if current_id is not None:
            # Editing a joint policy issued under another department keeps working.
            allowed |= Q(pk=current_id)
        field.queryset = field.queryset.filter(allowed)

    def _default_to_the_modules_department(self, field) -> None:
        if self.instance.pk or self.parent_page is None:
            return
        module = self.parent_page.specific
        department_id = getattr(module, "department_id", None)
        if department_id is not None and not self.initial.get("issuing_department"):
            self.initial["issuing_department"] = department_id
