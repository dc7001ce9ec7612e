"""The page editor's form for application forms: the Review tab of a new form
starts from the city's usual steps, and a form is published (or sent for
moderation) only with review steps or an explicit "no review" choice. Drafts
save either way, and a refused publish keeps everything the builder entered."""

from django.contrib.auth.models import Group
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

# The buttons of the page editor that publish now or later.
PUBLISHING_ACTIONS = ("action-publish", "action-submit")


def default_review_steps() -> list[dict]:
    """The runtime default (window acceptance → central review → final
    approval with their time limits), handled by the city's roles."""
    from forms.casework.roles import APPROVERS, REVIEWERS, WINDOW_CLERKS
    from forms.casework.timelimits import DEFAULT_WORKFLOW
    from forms.models import StepKind

    role_of = {
        StepKind.ACCEPT: WINDOW_CLERKS,
        StepKind.REVIEW: REVIEWERS,
        StepKind.APPROVE: APPROVERS,
    }
    groups = dict(
        Group.objects.filter(name__in=role_of.values()).values_list("name", "pk")
    )
    return [
        {
            "kind": step["kind"],
            "name": "",
            "handler_group": groups.get(role_of.get(step["kind"], "")),
            "time_limit_days": step["days"],
            "ORDER": order,
        }
        for order, step in enumerate(DEFAULT_WORKFLOW, start=1)
    ]


class ApplicationFormPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        steps = self.formsets.get("review_steps")
        if steps is not None and not self.is_bound and self.instance.pk is None:
            # Offered as unsaved rows: the builder may change or remove them.
            defaults = default_review_steps()
            steps.extra = len(defaults)
            steps.initial_extra = defaults

    def _refuse(self, message: str) -> None:
        # The reason at the top of the editor, whichever tab is open, and a
        # pointer beside the choice (the Review tab then shows an error count).
        self.add_error(None, message)
        self.add_error(
            "review_none", _("Add review steps below, or tick this box, to publish.")
        )

    def _kept_steps(self) -> list[dict]:
        steps = self.formsets.get("review_steps")
        if steps is None or not steps.is_valid():
            return []
        return [
            form.cleaned_data
            for form in steps.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("kind")
        ]

    def clean(self):
        cleaned_data = super().clean()
        if not any(self.data.get(action) for action in PUBLISHING_ACTIONS):
            return cleaned_data
        steps = self._kept_steps()
        if cleaned_data.get("review_none"):
            if steps:
                self._refuse(
                    _(
                        "Either remove the review steps or untick 'no review': a "
                        "form cannot have both."
                    ),
                )
        elif not steps:
            self._refuse(
                _(
                    "This form cannot be published without review: add at least one "
                    "review step on the Review tab, or tick 'no review' if "
                    "applications need none. Nothing you entered was lost."
                ),
            )
        else:
            self._check_statutory_limit(steps)
        return cleaned_data

    def _check_statutory_limit(self, steps: list[dict]) -> None:
        from forms.casework.timelimits import limits_of

        guide = self.parent_page.specific if self.parent_page else None
        statutory = getattr(guide, "statutory_limit_days", None)
        promised = limits_of(
            [{"kind": s["kind"], "days": s.get("time_limit_days") or 0} for s in steps]
        ).promised
        if statutory is not None and promised > statutory:
            self._refuse(
                _(
                    "The review steps take %(promised)s working days in all (publicity "
                    "aside), more than the guide's statutory time limit of "
                    "%(statutory)s working days. Shorten the steps or correct the "
                    "guide."
                )
                % {"promised": promised, "statutory": statutory},
            )
