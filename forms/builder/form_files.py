"""Forms as files: a form page as one JSON document, and back.

A form moves between cities or lives in version control as::

    {"format": "talent-harbor-form", "version": 1, "slug": ..., "title": ...,
     "intro": ..., "applicant_kinds": ..., "is_open": ..., "receipt_prefix": ...,
     "confirmation_text": ..., "parent": "/home/renshe/guide/" or null,
     "definition": [...]}

``definition`` is the JSON of forms/builder/definition.py. Importing checks everything the
admin would (the definition rules, then each block and the page itself through
``full_clean``) and refuses the file with every reason; a valid file creates the
page, or publishes a new revision of the page with that slug under the parent, so
a changed definition becomes a new FormVersion and earlier applications keep theirs.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.models import Page

from cms.core.params import parse_int
from forms.builder.definition import (
    DefinitionError,
    stream_data_from_definition,
    validate_definition,
)
from forms.models import ApplicantKinds, ApplicationFormPage

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
}
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
    unknown = set(data) - {*REQUIRED_KEYS, *OPTIONAL_KEYS, "parent"}
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


def import_form(data: dict, parent=None, user=None) -> tuple[ApplicationFormPage, bool]:
    """Create the form page, or publish a new revision of it: (page, created).

    ``parent`` (a Page, ID or URL path) overrides the parent recorded in the file.
    Raises FormFileError listing every reason when the file cannot be used.
    """
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

    # Of the types _check_shape checked; the optional keys' defaults below.
    values: dict[str, Any] = {key: data.get(key) for key in PAGE_FIELDS}
    for key, (_kind, default) in OPTIONAL_KEYS.items():
        if values[key] is None:
            values[key] = default
    values["intro"] = _clean_intro(values["intro"])

    existing = (
        ApplicationFormPage.objects.child_of(target).filter(slug=data["slug"]).first()
    )
    try:
        values["form_fields"] = _clean_stream(definition)
        with transaction.atomic():
            if existing is None:
                page = ApplicationFormPage(owner=user, **values)
                target.add_child(instance=page)  # saving runs full_clean
            else:
                page = existing.specific
                for key, value in values.items():
                    setattr(page, key, value)
            page.save_revision(user=user, log_action=True).publish(user=user)
    except ValidationError as error:
        raise FormFileError(_page_reasons(error, definition)) from error
    page.refresh_from_db()
    return page, existing is None
