"""The page editor's "as an applicant" preview of an application form.

Every step of the form being edited is rendered at once, unsaved blocks
included; the browser shows one step at a time and skips the steps whose
conditions do not hold, with the same condition script the live steps use. The
preview is a page with no form action and no token: it can write nothing.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from forms.builder.definition import DefinitionError, validate_definition
from forms.builder.engine import StepForm, split_steps

APPLICANT = "applicant"
MODES = [
    ("", pgettext_lazy("preview mode", "Form page")),
    (APPLICANT, gettext_lazy("As an applicant, step by step")),
]


def preview_steps(page) -> list[dict]:
    """Each step with its entries and their unbound fields."""
    steps = []
    for step in split_steps(page.definition, page.title):
        form = StepForm(step, {})
        steps.append(
            {
                "step": step,
                "entries": [
                    (entry, form[entry.field_key] if entry.is_field else None)
                    for entry in step.entries
                ],
            }
        )
    return steps


def as_applicant(request, page):
    try:
        validate_definition(page.definition)
    except DefinitionError as error:
        problems = error.errors
    else:
        problems = []
    return render(
        request,
        "forms/preview.html",
        {
            "page": page,
            "steps": [] if problems else preview_steps(page),
            "problems": problems,
            "page_title": _("Preview: %(title)s") % {"title": page.title},
        },
    )
