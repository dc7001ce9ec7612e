"""Writes the demo application forms under their service guides, then the demo
applications filled in them.

A form is looked up by its slug under its guide and left alone when it exists
(an administrator may have changed it since). A new one is published through a
revision, so the page_published signal freezes its first FormVersion.
"""

from forms.builder.definition import stream_data_from_definition, validate_definition
from forms.models import ApplicationFormPage

from . import forms_living, forms_residence, forms_talent
from .progress import Progress

FORMS = [*forms_talent.FORMS, *forms_living.FORMS, *forms_residence.FORMS]


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
            # A broken demo definition must fail here, not in front of a visitor.
            validate_definition(spec["definition"])
            page = ApplicationFormPage(
                title=spec["title"],
                slug=spec["slug"],
                intro=spec["intro"],
                applicant_kinds=spec["applicant_kinds"],
                confirmation_text=spec["confirmation_text"],
                form_fields=stream_data_from_definition(spec["definition"]),
            )
            guide.refresh_from_db()
            guide.add_child(instance=page)
            page.save_revision().publish()
        pages[spec["guide"]] = page
    return pages


def write_forms_and_applications(progress: Progress, guides: dict) -> dict:
    """The loader's single entry: forms first, then applications in them."""
    from .applications import write_applications

    pages = write_forms(progress, guides)
    applications = write_applications(progress, pages)
    progress.report("application forms", "demo applicants", "demo applications")
    return {"forms": pages, "applications": applications}
