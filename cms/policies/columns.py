"""How each column of a policy row is read and written: the widgets and fields
of PolicyResource (cms/policies/resources.py)."""

import html
import json
import re

from django.conf import settings
from django.db.models import Q
from django.utils.html import escape, strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import fields, widgets
from wagtail.rich_text import RichText

from cms.core.import_cells import cell_text
from cms.core.models import ServiceCategory, TalentTier
from cms.departments.models import Department
from cms.services.models import ServiceGuidePage

from .body_markup import BODY_FORMATS, markup_to_blocks
from .models import PolicyPage, PolicyStatus

STATUS_NAMES = {
    "现行有效": PolicyStatus.IN_FORCE,
    "有效": PolicyStatus.IN_FORCE,
    "已修订": PolicyStatus.AMENDED,
    "已废止": PolicyStatus.REPEALED,
    "失效": PolicyStatus.REPEALED,
}
LIST_SEPARATORS = re.compile(r"[;,；，、]")
PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")
SLUG_MAX_LENGTH = 80
LIST_TAG = re.compile(r"<[ou]l[\s>]")


def find_department(name: str) -> Department:
    """The department with this full name or, failing that, this unique short name."""
    department = Department.objects.filter(name=name).first()
    if department is not None:
        return department
    matches = list(Department.objects.filter(short_name=name)[:2])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ValueError(
            _("The short name “%(name)s” fits several departments: use the full name.")
            % {"name": name}
        )
    raise ValueError(
        _("Unknown department “%(name)s”: import it with import_departments first.")
        % {"name": name}
    )


def text_to_paragraphs(text: str) -> list[tuple[str, RichText]]:
    """Plain text to paragraph blocks: a blank line starts a new paragraph.

    The text is escaped, so markup in a spreadsheet is shown as text and never
    rendered (docs/security.md H3).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = []
    for paragraph in PARAGRAPH_BREAK.split(text):
        lines = [line.strip() for line in paragraph.strip().split("\n")]
        if any(lines):
            blocks.append(
                (
                    "paragraph",
                    RichText(f"<p>{'<br/>'.join(escape(line) for line in lines)}</p>"),
                )
            )
    return blocks


def paragraphs_to_text(stream_value) -> str:
    """The inverse of text_to_paragraphs, used to tell whether a body changed.

    Blocks an editor added that are not paragraphs are kept as JSON, so they count
    as a difference rather than vanishing from the comparison.
    """
    parts = []
    for item in stream_value.raw_data:
        # A list in a paragraph stays JSON too: stripped of its tags it would read
        # as the plain paragraph of the same words, and compare equal to it.
        if item["type"] == "paragraph" and not LIST_TAG.search(item["value"]):
            source = re.sub(r"<br\s*/?>", "\n", item["value"])
            parts.append(html.unescape(strip_tags(source)).strip())
        else:
            parts.append(
                json.dumps(
                    item["value"], ensure_ascii=False, sort_keys=True, default=str
                )
            )
    return "\n\n".join(parts)


class RequiredTextWidget(widgets.CharWidget):
    def __init__(self, missing_message: str, **kwargs):
        super().__init__(**kwargs)
        self.missing_message = missing_message

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError(str(self.missing_message))
        return text


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)


class DepartmentWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        name = cell_text(value)
        if not name:
            raise ValueError(_("The department is missing."))
        return find_department(name)

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class CategoryWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        category = ServiceCategory.objects.filter(Q(name=text) | Q(slug=text)).first()
        if category is None:
            names = "、".join(ServiceCategory.objects.values_list("name", flat=True))
            raise ValueError(
                _("Unknown category “%(value)s”. Known categories: %(names)s.")
                % {"value": text, "names": names}
            )
        return category

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class StatusWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return PolicyStatus.IN_FORCE
        if text in STATUS_NAMES:
            return STATUS_NAMES[text]
        if text.lower() in PolicyStatus.values:
            return text.lower()
        raise ValueError(
            _("Unknown status “%(value)s”: use 现行有效, 已修订 or 已废止.")
            % {"value": text}
        )


class TiersWidget(widgets.ManyToManyWidget):
    def __init__(self):
        super().__init__(TalentTier, field="name")

    def clean(self, value, row=None, **kwargs):
        tiers = []
        for token in LIST_SEPARATORS.split(cell_text(value)):
            token = token.strip()
            if not token:
                continue
            tier = TalentTier.objects.filter(Q(name=token) | Q(code=token)).first()
            if tier is None:
                raise ValueError(
                    _("Unknown talent tier “%(value)s”.") % {"value": token}
                )
            tiers.append(tier)
        return tiers

    def render(self, value, obj=None, **kwargs):
        return "; ".join(tier.name for tier in value.all()) if value is not None else ""


class BodyWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if body_format(row) == "structured":
            return markup_to_blocks(cell_text(value))
        return text_to_paragraphs(cell_text(value))


def body_format(row) -> str:
    """How the body column is written: plain paragraphs unless the row says
    structured (docs/content.md)."""
    text = cell_text((row or {}).get("body_format"))
    if not text:
        return "text"
    if text.lower() in BODY_FORMATS:
        return BODY_FORMATS[text.lower()]
    raise ValueError(
        _("Unknown body format “%(value)s”: use text or structured.") % {"value": text}
    )


class BodyFormatWidget(widgets.Widget):
    """Only checked: the body column reads it."""

    def clean(self, value, row=None, **kwargs):
        return body_format(row)


class SlugWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if text and (
            slugify(text, allow_unicode=True) != text or len(text) > SLUG_MAX_LENGTH
        ):
            raise ValueError(
                _(
                    "Bad slug “%(value)s”: use at most %(max)d lower-case letters, "
                    "digits and hyphens."
                )
                % {"value": text, "max": SLUG_MAX_LENGTH}
            )
        return text


class SlugField(fields.Field):
    """An empty slug keeps the page's own (or a new one from the number)."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        slug = self.clean(row, **kwargs)
        if slug:
            instance.slug = slug


class RelatedGuidesWidget(widgets.ManyToManyWidget):
    def __init__(self):
        super().__init__(ServiceGuidePage, field="slug")

    def clean(self, value, row=None, **kwargs):
        guides = []
        for token in LIST_SEPARATORS.split(cell_text(value)):
            token = token.strip()
            if not token:
                continue
            # Policies are imported in Chinese: a guide's English version
            # shares its slug.
            matches = list(
                ServiceGuidePage.objects.filter(
                    slug=token, locale__language_code=settings.LANGUAGE_CODE
                )[:2]
            )
            if len(matches) != 1:
                message = (
                    _("Several service guides have the slug “%(value)s”.")
                    if matches
                    else _("Unknown service guide “%(value)s”: give its slug.")
                )
                raise ValueError(message % {"value": token})
            guides.append(matches[0])
        return guides

    def render(self, value, obj=None, **kwargs):
        return (
            "; ".join(guide.slug for guide in value.all()) if value is not None else ""
        )


def find_policy(key: str) -> PolicyPage | None:
    """The one policy with this document number or, failing that, this slug."""
    for lookup in ({"document_number": key}, {"slug": key}):
        matches = list(PolicyPage.objects.filter(**lookup)[:2])
        if len(matches) > 1:
            raise ValueError(
                _("Several policies have “%(value)s”: name the successor by its slug.")
                % {"value": key}
            )
        if matches:
            return matches[0]
    return None


def policy_key(policy: PolicyPage | None) -> str:
    if policy is None:
        return ""
    return policy.document_number or policy.slug


class SuccessorField(fields.Field):
    """The policy that replaced this one, by document number or slug. It may be a
    later row of the same file, so it is only looked up after every row is in
    (PolicyResource.after_import); until then the row keeps the name."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance._successor_key = cell_text(row.get(self.column_name))
        if not instance._successor_key:
            instance.superseded_by = None

    def get_value(self, instance):
        key = getattr(instance, "_successor_key", None)
        if key is None:
            return policy_key(instance.superseded_by)
        try:
            # Named by slug what has a number, it is still the same successor.
            return policy_key(find_policy(key)) or key
        except ValueError:
            return key


class BodyField(fields.Field):
    """Compares and exports the body as the plain text it was imported from."""

    def get_value(self, instance):
        return paragraphs_to_text(instance.body)
