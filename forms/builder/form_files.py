"""Forms as files: a form page as one JSON document, and back.

A form moves between cities or lives in version control as::

    {"format": "talent-harbor-form", "version": 1, "slug": ..., "title": ...,
     "intro": ..., "applicant_kinds": ..., "is_open": ..., "receipt_prefix": ...,
     "confirmation_text": ..., "parent": "/home/renshe/guide/" or null,
     "review_none": false, "review_steps": [{"kind": "accept", "name": "受理",
     "days": 2, "group": "受理", "departments": []}, ...], "definition": [...]}

``definition`` is the JSON of forms/builder/definition.py. Importing checks everything the
admin would (the definition rules, then each block and the page itself through
``full_clean``) and refuses the file with every reason; a valid file creates the
page, or publishes a new revision of the page with that slug under the parent, so
a changed definition becomes a new FormVersion and earlier applications keep theirs.
Review steps name their group and departments by name; a file without
``review_steps`` leaves a page's steps as they are. The same format and checks
create the unpublished copies and templates of the builder (form_templates).
"""

import json
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Page

from cms.core.params import parse_int
from cms.departments.models import Department
from forms.builder.definition import (
    DefinitionError,
    stream_data_from_definition,
    validate_definition,
)
from forms.models import ApplicantKinds, ApplicationFormPage, ReviewStep, StepKind

FORMAT = "talent-harbor-form"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 2 * 1024 * 1024
REQUIRED_KEYS = ("format", "version", "slug", "title", "definition")
# Optional keys, their type and default.
OPTIONAL_KEYS: dict[str, tuple[type, Any]] = {
    "intro": (str, ""),
    "applicant_kinds": (str, ApplicantKinds.TALENT),
    "is_open": (bool, True),
    "receipt_prefix": (str, ""),
    "confirmation_text": (str, ""),
    "review_none": (bool, False),
}
STEP_KEYS = {"kind", "name", "days", "group", "departments"}
MAX_STEP_DAYS = 365
PAGE_FIELDS = ("title", "slug", *OPTIONAL_KEYS)


class FormFileError(ValueError):
    """A form file that cannot be imported, with every reason found."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def export_form(page: ApplicationFormPage) -> dict:
    """The form file of a page: its settings and its live definition."""
    parent = page.get_parent()
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "slug": page.slug,
        "title": page.title,
        "intro": page.intro,
        "applicant_kinds": page.applicant_kinds,
        "is_open": page.is_open,
        "receipt_prefix": page.receipt_prefix,
        "confirmation_text": page.confirmation_text,
        "parent": parent.url_path if parent else None,
        "review_none": page.review_none,
        "review_steps": [
            {
                "kind": step.kind,
                "name": step.name,
                "days": step.time_limit_days,
                "group": step.handler_group.name if step.handler_group else None,
                "departments": sorted(d.name for d in step.departments.all()),
            }
            for step in page.review_steps.select_related("handler_group")
        ],
        "definition": page.definition,
    }


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def loads(text: str | bytes) -> dict:
    """Parse a form file, refusing what is not a JSON object."""
    if len(text) > MAX_FILE_BYTES:
        raise FormFileError([_("The file is too large (at most 2 MB).")])
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise FormFileError(
            [_("The file is not valid JSON: %(error)s") % {"error": error}]
        ) from error
    except RecursionError as error:
        raise FormFileError(
            [_("The file is nested too deeply to be a form file.")]
        ) from error
    if not isinstance(data, dict):
        raise FormFileError([_("The file must hold one JSON object.")])
    return data


def _check_shape(data: dict) -> list[str]:
    errors = []
    if data.get("format") != FORMAT:
        errors.append(
            _("This is not a Talent Harbor form file ('format' must be '%(format)s').")
            % {"format": FORMAT}
        )
    elif data.get("version") != FORMAT_VERSION:
        errors.append(
            _("Unsupported form file version %(version)s (this site reads %(ours)s).")
            % {"version": data.get("version"), "ours": FORMAT_VERSION}
        )
    for key in REQUIRED_KEYS:
        if key not in data:
            errors.append(_("The key '%(key)s' is missing.") % {"key": key})
    for key in ("slug", "title"):
        if key in data and not (isinstance(data[key], str) and data[key].strip()):
            errors.append(_("'%(key)s' must be a non-empty text.") % {"key": key})
    for key, (kind, _default) in OPTIONAL_KEYS.items():
        if data.get(key) is not None and not isinstance(data[key], kind):
            errors.append(_("'%(key)s' has the wrong type.") % {"key": key})
    parent = data.get("parent")
    if parent is not None and (
        isinstance(parent, bool) or not isinstance(parent, str | int)
    ):
        errors.append(_("'parent' must be a page's URL path or ID."))
    for key in (*PAGE_FIELDS, "parent"):
        # PostgreSQL cannot store a NUL character in text.
        if isinstance(data.get(key), str) and "\x00" in data[key]:
            errors.append(_("'%(key)s' contains a NUL character.") % {"key": key})
    if "definition" in data and not isinstance(data["definition"], list):
        errors.append(_("'definition' must be a list of items."))
    if "review_steps" in data and not isinstance(data["review_steps"], list):
        errors.append(_("'review_steps' must be a list of steps."))
    unknown = set(data) - {*REQUIRED_KEYS, *OPTIONAL_KEYS, "parent", "review_steps"}
    if unknown:
        errors.append(
            _("Unknown keys: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
        )
    return errors


def _block_reasons(error: ValidationError, where: str) -> list[str]:
    """Readable lines for a (nested) StreamField validation error."""
    if isinstance(
        error,
        StreamBlockValidationError
        | StructBlockValidationError
        | ListBlockValidationError,
    ):
        reasons = []
        for child in error.non_block_errors.as_data():
            reasons += _block_reasons(child, where)
        for name, child in error.block_errors.items():
            label = f"{int(name) + 1}" if isinstance(name, int) else str(name)
            reasons += _block_reasons(child, f"{where} › {label}")
        return reasons
    return [f"{where}: {message}" for message in error.messages]


def _page_reasons(error: ValidationError, definition: list[dict]) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    reasons = []
    for name, errors in error.error_dict.items():
        for child in errors:
            if name == "form_fields" and isinstance(child, StreamBlockValidationError):
                for index, block_error in child.block_errors.items():
                    item = definition[index] if index < len(definition) else {}
                    where = _("Item %(n)s (%(label)s)") % {
                        "n": index + 1,
                        "label": str(
                            item.get("label")
                            or item.get("title")
                            or item.get("heading")
                            or item.get("type")
                        )[:40],
                    }
                    reasons += _block_reasons(block_error, where)
                reasons += [str(m) for m in child.non_block_errors]
            else:
                reasons += [f"{name}: {message}" for message in child.messages]
    return reasons


def resolve_parent(reference) -> Page | None:
    """A page from an ID, a URL path (``/home/renshe/guide/``) or a Page."""
    if reference is None or isinstance(reference, Page):
        return reference
    if not isinstance(reference, str | int) or isinstance(reference, bool):
        return None
    text = str(reference).strip()
    if "\x00" in text or len(text) > 255:
        return None
    page_id = parse_int(text)
    if page_id is not None:
        return Page.objects.filter(pk=page_id).first()
    path = "/" + text.strip("/") + "/"
    return Page.objects.filter(url_path=path).first()


def _clean_intro(html: str) -> str:
    # Through the rich text whitelist of the field's features: a file from
    # elsewhere cannot bring scripts or markup the field does not allow.
    if not html.strip():
        return ""
    features = ApplicationFormPage._meta.get_field("intro").features
    return EditorHTMLConverter(features).to_database_format(html)


def _clean_stream(definition: list[dict]):
    """The form's StreamField value, validated block by block as the admin does
    (a model's full_clean does not run block validation)."""
    stream_field = ApplicationFormPage._meta.get_field("form_fields")
    value = stream_field.to_python(stream_data_from_definition(definition))
    try:
        return stream_field.stream_block.clean(value)
    except ValidationError as error:
        raise ValidationError({"form_fields": [error]}) from error


def _step_reasons(n: int, item) -> list[str]:
    where = _("Review step %(n)s") % {"n": n}
    if not isinstance(item, dict):
        return [_("%(where)s: must be an object.") % {"where": where}]
    reasons = []
    if set(item) - STEP_KEYS:
        reasons.append(
            _("%(where)s: unknown keys %(keys)s.")
            % {
                "where": where,
                "keys": ", ".join(sorted(map(str, set(item) - STEP_KEYS))),
            }
        )
    if item.get("kind") not in StepKind.values:
        reasons.append(_("%(where)s: unknown kind of step.") % {"where": where})
    days = item.get("days")
    if (
        isinstance(days, bool)
        or not isinstance(days, int)
        or not 0 <= days <= MAX_STEP_DAYS
    ):
        reasons.append(
            _("%(where)s: 'days' must be a whole number from 0 to %(max)s.")
            % {"where": where, "max": MAX_STEP_DAYS}
        )
    name = item.get("name") or ""
    if not isinstance(name, str) or len(name) > 40 or "\x00" in name:
        reasons.append(
            _("%(where)s: 'name' must be a text of at most 40 characters.")
            % {"where": where}
        )
    group = item.get("group")
    # PostgreSQL cannot look up a text with a NUL character.
    if group is not None and (not isinstance(group, str) or "\x00" in group):
        reasons.append(
            _("%(where)s: 'group' must be a group's name or null.") % {"where": where}
        )
    departments = item.get("departments") or []
    if not isinstance(departments, list) or not all(
        isinstance(d, str) and "\x00" not in d for d in departments
    ):
        reasons.append(
            _("%(where)s: 'departments' must be a list of names.") % {"where": where}
        )
    return reasons


def review_steps_from(data: dict) -> list[ReviewStep] | None:
    """The ReviewStep rows of a file (unsaved), or None when it has none.
    Raises FormFileError naming every bad step, group and department."""
    if "review_steps" not in data:
        return None
    items = data["review_steps"]
    errors = [r for n, item in enumerate(items, 1) for r in _step_reasons(n, item)]
    if errors:
        raise FormFileError(errors)
    groups = {
        g.name: g
        for g in Group.objects.filter(name__in=[i.get("group") for i in items])
    }
    names = {d for item in items for d in item.get("departments") or []}
    departments = {d.name: d for d in Department.objects.filter(name__in=names)}
    for n, item in enumerate(items, 1):
        if item.get("group") and item["group"] not in groups:
            errors.append(
                _("Review step %(n)s: there is no group named '%(name)s'.")
                % {"n": n, "name": item["group"]}
            )
        for name in item.get("departments") or []:
            if name not in departments:
                errors.append(
                    _("Review step %(n)s: there is no department named '%(name)s'.")
                    % {"n": n, "name": name}
                )
    if errors:
        raise FormFileError(errors)
    return [
        ReviewStep(
            kind=item["kind"],
            name=item.get("name") or "",
            handler_group=groups.get(item.get("group") or ""),
            departments=[departments[d] for d in item.get("departments") or []],
            time_limit_days=item["days"],
            sort_order=order,
        )
        for order, item in enumerate(items)
    ]


def checked_values(data: dict, parent=None) -> tuple[Page, dict, list | None]:
    """(parent page, page field values, review steps or None) of a form file,
    checked as the admin would; raises FormFileError with every reason."""
    errors = _check_shape(data)
    if errors:
        raise FormFileError(errors)
    definition = data["definition"]
    try:
        validate_definition(definition)
    except DefinitionError as error:
        raise FormFileError(error.errors) from error

    target = resolve_parent(parent if parent is not None else data.get("parent"))
    if target is None:
        raise FormFileError(
            [_("The parent page was not found: give one with --parent.")]
        )
    target = target.specific
    if not ApplicationFormPage.can_create_at(target):
        raise FormFileError(
            [
                _(
                    "An application form cannot be placed under '%(title)s': choose a "
                    "service guide, a department or a district module."
                )
                % {"title": target.title}
            ]
        )
    steps = review_steps_from(data)

    # Of the types _check_shape checked; the optional keys' defaults below.
    values: dict[str, Any] = {key: data.get(key) for key in PAGE_FIELDS}
    for key, (_kind, default) in OPTIONAL_KEYS.items():
        if values[key] is None:
            values[key] = default
    values["intro"] = _clean_intro(values["intro"])
    try:
        values["form_fields"] = _clean_stream(definition)
    except ValidationError as error:
        raise FormFileError(_page_reasons(error, definition)) from error
    return target, values, steps


def import_form(data: dict, parent=None, user=None) -> tuple[ApplicationFormPage, bool]:
    """Create the form page, or publish a new revision of it: (page, created).

    ``parent`` (a Page, ID or URL path) overrides the parent recorded in the file.
    Raises FormFileError listing every reason when the file cannot be used.
    """
    target, values, steps = checked_values(data, parent)
    existing = (
        ApplicationFormPage.objects.child_of(target).filter(slug=data["slug"]).first()
    )
    try:
        with transaction.atomic():
            if existing is None:
                page = ApplicationFormPage(owner=user, **values)
                if steps is not None:
                    page.review_steps = steps
                target.add_child(instance=page)  # saving runs full_clean
            else:
                page = existing.specific
                for key, value in values.items():
                    setattr(page, key, value)
                if steps is not None:
                    page.review_steps = steps
            page.save_revision(user=user, log_action=True).publish(user=user)
    except ValidationError as error:
        raise FormFileError(_page_reasons(error, data["definition"])) from error
    page.refresh_from_db()
    return page, existing is None
