"""Django forms for the staff actions on a case (the admin's case view).

Each form carries the ``lock_version`` the page was rendered with, so that an
action decided on a stale page is refused as a conflict (docs/security.md R3), and
turns its cleaned data into the keyword arguments of ``actions.act``.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forms.builder.definition import FIELD_TYPES
from forms.casework.guidance import next_step
from forms.casework.rights import officer_candidates
from forms.casework.workflow import dispatchable_departments
from forms.models import CaseAction, StepKind

# Free-text lines offered for materials that are not fields of the form.
EXTRA_LINES = 3
MAX_DUE_DAYS = 60
# Consent is given again on resubmission, never "supplied".
NOT_REQUESTED = {"consent"}


def requestable_fields(definition: list[dict]) -> list[tuple[str, str]]:
    """(key, label) of the fields and file fields an applicant may be asked for,
    top-level only (a group is asked for as a whole), in definition order."""
    return [
        (item["key"], item.get("label") or item["key"])
        for item in definition
        if item.get("type") in FIELD_TYPES - NOT_REQUESTED and item.get("key")
    ]


class DepartmentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class CaseActionForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    comment = forms.CharField(
        label=pgettext_lazy("casework", "Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The action moves the case into its next step.
    advances = False

    def __init__(self, *args, application=None, **kwargs):
        self.application = application
        super().__init__(*args, **kwargs)
        if application is not None and not self.is_bound:
            self.initial.setdefault("lock_version", application.lock_version)
        following = next_step(application) if application and self.advances else None
        if following and following["kind"] == StepKind.DEPARTMENT:
            # Dispatch: the form's departments are only a proposal; the
            # reviewer sees them ticked and confirms or changes them.
            self.fields["departments"] = DepartmentsField(
                label=_("Dispatch to the departments"),
                queryset=dispatchable_departments(),
                initial=following.get("department_ids") or [],
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "Ticked as the form's review steps propose; change them if "
                    "this case needs other departments."
                ),
                error_messages={
                    "required": _("Choose at least one department to dispatch to.")
                },
            )

    def act_options(self) -> dict:
        """Keyword arguments for actions.act besides the comment."""
        if "departments" in self.fields:
            return {"departments": list(self.cleaned_data["departments"])}
        return {}


class AdvanceForm(CaseActionForm):
    advances = True


class CommentRequiredForm(CaseActionForm):
    comment_label = pgettext_lazy("casework", "Comment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True
        self.fields["comment"].label = self.comment_label


class RejectForm(CommentRequiredForm):
    comment_label = _("Reason for not approving")


class NoteForm(CommentRequiredForm):
    comment_label = _("Internal note (not shown to the applicant)")


class OpinionForm(CommentRequiredForm):
    comment_label = _("Opinion")
    agrees = forms.TypedChoiceField(
        label=_("The department"),
        choices=[("yes", _("agrees")), ("no", _("does not agree"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    def act_options(self) -> dict:
        return {"agrees": self.cleaned_data["agrees"]}


class OfficerChoiceField(forms.ModelChoiceField):
    """Staff by their real name, which the username only stands in for."""

    def label_from_instance(self, obj) -> str:
        return obj.real_name or obj.get_username()


class AssignForm(CaseActionForm):
    officer = OfficerChoiceField(
        label=_("Case officer"), queryset=get_user_model().objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only staff who may handle this case: naming anyone else would give
        # them lasting access to it (actions._assign checks it again).
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ModelChoiceField)
        officer.queryset = officer_candidates(self.application)

    def act_options(self) -> dict:
        return {"officer": self.cleaned_data["officer"]}


class ItemsForm(CaseActionForm):
    """Everything missing at once: ticked fields, each with a reason, and
    free-text items (一次性告知)."""

    missing_label = _("What is missing")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        definition = self.application.version.definition if self.application else []
        self.requestable = requestable_fields(definition)
        self.fields["comment"].label = _("Note to the applicant")
        for key, label in self.requestable:
            self.fields[f"item-{key}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"reason-{key}"] = forms.CharField(
                label=_("Reason"), required=False, max_length=300
            )
        for index in range(EXTRA_LINES):
            self.fields[f"extra-{index}"] = forms.CharField(
                label=_("Other item"), required=False, max_length=200
            )
            self.fields[f"extra-reason-{index}"] = forms.CharField(
                label=_("Reason"), required=False, max_length=300
            )

    def field_rows(self):
        """(checkbox, reason) bound fields per requestable field, for the template."""
        return [
            (self[f"item-{key}"], self[f"reason-{key}"]) for key, _l in self.requestable
        ]

    def extra_rows(self):
        return [
            (self[f"extra-{index}"], self[f"extra-reason-{index}"])
            for index in range(EXTRA_LINES)
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        items = [
            {
                "key": key,
                "label": label,
                "reason": cleaned.get(f"reason-{key}", "").strip(),
            }
            for key, label in self.requestable
            if cleaned.get(f"item-{key}")
        ]
        for index in range(EXTRA_LINES):
            label = cleaned.get(f"extra-{index}", "").strip()
            if label:
                reason = cleaned.get(f"extra-reason-{index}", "").strip()
                items.append({"key": "", "label": label, "reason": reason})
        if not items:
            raise forms.ValidationError(_("List everything that is missing, at once."))
        cleaned["items"] = items
        return cleaned

    def act_options(self) -> dict:
        return {**super().act_options(), "items": self.cleaned_data["items"]}


class ReturnForm(ItemsForm):
    pass


class ToleranceForm(ItemsForm):
    advances = True
    due_days = forms.IntegerField(
        label=_("Due in (working days)"),
        min_value=1,
        max_value=MAX_DUE_DAYS,
        initial=10,
    )

    def act_options(self) -> dict:
        return {
            **super().act_options(),
            "due_days": self.cleaned_data["due_days"],
        }


# Action -> (form class, button label, button style).
ACTION_FORMS = {
    CaseAction.ACCEPT: (AdvanceForm, _("Accept"), "button"),
    CaseAction.ACCEPT_WITH_TOLERANCE: (
        ToleranceForm,
        _("Accept with materials to follow"),
        "button button-secondary",
    ),
    CaseAction.RETURN: (
        ReturnForm,
        _("Return for supplement"),
        "button button-secondary",
    ),
    CaseAction.PASS: (AdvanceForm, _("Pass"), "button"),
    CaseAction.OPINION: (OpinionForm, _("Send the opinion"), "button"),
    CaseAction.APPROVE: (
        AdvanceForm,
        pgettext_lazy("casework", "Approve"),
        "button",
    ),
    CaseAction.REJECT: (RejectForm, _("Do not approve"), "button no"),
    CaseAction.ASSIGN: (AssignForm, _("Assign"), "button button-secondary"),
    CaseAction.NOTE: (NoteForm, _("Add the note"), "button button-secondary"),
}

# The order the case view shows them in.
ACTION_ORDER = list(ACTION_FORMS)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full personal data?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BulkAssignForm(forms.Form):
    """The officer for several cases; the cases come as ``case`` values
    "<uuid>:<lock_version>", each checked against its own lock version."""

    officer = forms.ModelChoiceField(queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Anyone who may handle some case; each case is checked on its own.
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ModelChoiceField)
        officer.queryset = officer_candidates()
