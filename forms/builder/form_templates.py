"""Starting a form from a template or from an existing form.

Built-in templates are form files (forms/builder/form_files.py) in
forms/builder/data/templates/; copying a form exports it to the same format.
Either way the new page is created through the same checks as import_form, as
an unpublished draft with a free slug under the chosen parent, with its fields,
steps, uploads, settings and review steps.
"""

import functools
from pathlib import Path

from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from forms.builder.form_files import (
    FormFileError,
    checked_values,
    export_form,
    loads,
)
from forms.models import ApplicationFormPage

TEMPLATES_DIR = Path(__file__).resolve().parent / "data" / "templates"


@functools.cache
def builtin_templates() -> dict[str, dict]:
    """{name: form file} of the templates shipped with the hall, in name order."""
    return {
        path.stem: loads(path.read_bytes())
        for path in sorted(TEMPLATES_DIR.glob("*.json"))
    }


def template_summaries() -> list[dict]:
    return [
        {
            "name": name,
            "title": data["title"],
            "summary": strip_tags(data.get("intro") or "")[:120],
            "steps": len(data.get("review_steps") or []),
        }
        for name, data in builtin_templates().items()
    ]


def _free_slug(parent, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, suffix = slug, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{slug}-{suffix}"
    return candidate


def create_draft(data: dict, parent, user=None) -> ApplicationFormPage:
    """A new unpublished form page from a form file. Raises FormFileError."""
    target, values, steps = checked_values(data, parent)
    values["slug"] = _free_slug(target, values["slug"])
    page = ApplicationFormPage(owner=user, live=False, **values)
    page.has_unpublished_changes = True
    page.review_steps = steps or []
    with transaction.atomic():
        target.add_child(instance=page)
        page.save_revision(user=user, log_action=True)
    return page


def from_template(name: str, parent, user=None) -> ApplicationFormPage:
    data = builtin_templates().get(name)
    if data is None:
        raise FormFileError([_("There is no template of that name.")])
    return create_draft(dict(data), parent, user)


def copy_form(source: ApplicationFormPage, parent, user=None) -> ApplicationFormPage:
    """A draft copy of a form's latest draft under ``parent``."""
    latest = source.get_latest_revision_as_object()
    data = export_form(latest)
    data["title"] = _("%(title)s (copy)") % {"title": data["title"]}
    return create_draft(data, parent, user)
