"""Writes the demo application forms under their service guides, then the demo
applications filled in them.

Each form is a form file (data/forms/<guide slug>.json) imported with import_form
(forms/builder/form_files.py) under its guide, as an administrator would. A form
already under its guide is left alone (an administrator may have changed it
since, and importing again would publish a new version over theirs). Importing
publishes through a revision, so the page_published signal freezes the first
FormVersion.
"""

from forms.builder.form_files import FormFileError, import_form
from forms.models import ApplicationFormPage

from .files import DemoDataError, read_json
from .progress import Progress

# The form files, in the order the generated cases were planned over.
FORM_GUIDES = (
    "gaocengci-rencai-rending",
    "jinjiang-anju-buzhu",
    "zinv-yiwu-jiaoyu-ruxue",
    "peiou-jiuye-anzhi",
    "waiji-rencai-juliu-xuke",
)
FORMS = [{**read_json(f"forms/{guide}.json"), "guide": guide} for guide in FORM_GUIDES]


def _form_file(spec: dict) -> dict:
    return {key: value for key, value in spec.items() if key != "guide"}


def write_forms(progress: Progress, guides: dict) -> dict[str, ApplicationFormPage]:
    """The demo forms, keyed by their guide's slug."""
    pages = {}
    for spec in FORMS:
        guide = guides[spec["guide"]]
        page = (
            ApplicationFormPage.objects.child_of(guide)
            .filter(slug=spec["slug"])
            .first()
        )
        progress.record("application forms", page is None)
        if page is None:
            try:
                page, _created = import_form(_form_file(spec), parent=guide)
            except FormFileError as error:
                # A broken demo file must fail here, not in front of a visitor.
                raise DemoDataError(
                    f"forms/{spec['guide']}.json: {'; '.join(error.errors)}"
                ) from error
        pages[spec["guide"]] = page
    return pages


def write_forms_and_applications(progress: Progress, guides: dict) -> dict:
    """The loader's single entry: forms first, then applications in them."""
    from .applications import write_applications

    pages = write_forms(progress, guides)
    applications = write_applications(progress, pages)
    progress.report("application forms", "demo applicants", "demo applications")
    return {"forms": pages, "applications": applications}
