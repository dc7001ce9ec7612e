"""The form builder's blocks: every field type an administrator can place.

A block only describes a field. forms/builder/definition.py turns a form's blocks into the
plain JSON definition that is versioned and stored beside each application, and
forms/builder/fields.py builds the live Django fields from that JSON, so an old application
never depends on today's blocks. Child block names are the JSON keys.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from forms.builder.patterns import check_pattern

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

OPERATORS = [
    ("equals", _("equals")),
    ("not_equals", _("does not equal")),
    ("one_of", _("is one of")),
    ("not_empty", _("is answered")),
    ("gt", _("is greater than")),
    ("gte", _("is at least")),
    ("lt", _("is less than")),
    ("lte", _("is at most")),
]

PREFILL_SOURCES = [
    ("", _("Nothing")),
    ("real_name", _("Applicant's real name")),
    ("mobile", _("Applicant's mobile number")),
    ("email", _("Applicant's e-mail")),
    ("id_number", _("Applicant's ID (from their last application)")),
    ("employer_name", _("Employer's name")),
    ("employer_uscc", _("Employer's unified social credit code")),
]

ID_KINDS = [
    ("resident", _("Resident identity card (居民身份证)")),
    ("passport", _("Passport")),
    ("hk_macau", _("Mainland travel permit for Hong Kong and Macao residents")),
    ("taiwan", _("Mainland travel permit for Taiwan residents")),
    ("foreign_permanent", _("Foreign permanent resident ID card")),
]

FILE_TYPES = [
    ("pdf", "PDF"),
    ("jpg", "JPEG"),
    ("png", "PNG"),
]

REGION_DEPTHS = [
    ("province", _("Province")),
    ("city", _("Province and city")),
    ("district", _("Province, city and district")),
]


def personal_flag() -> blocks.BooleanBlock:
    """The builder's "personal data" flag, on the types whose answer can be one."""
    return blocks.BooleanBlock(
        label=pgettext_lazy("form builder", "personal data"),
        required=False,
        default=False,
        help_text=_(
            "Encrypted at rest and masked on every page and export; only staff "
            "who may reveal personal data see it in full, when they ask."
        ),
    )


def _check_key(value: dict, errors: dict) -> None:
    key = value.get("key") or ""
    if key and not KEY_PATTERN.match(key):
        errors["key"] = ValidationError(
            _(
                "Use lower-case letters, digits and underscores, starting with a "
                "letter (at most 40)."
            )
        )


def _check_pattern(value: dict, errors: dict) -> None:
    pattern = value.get("pattern") or ""
    if not pattern:
        return
    reason = check_pattern(pattern)
    if reason:
        errors["pattern"] = ValidationError(reason)


class ConditionBlock(blocks.StructBlock):
    """Show the field only when an earlier answer matches."""

    field = blocks.CharBlock(
        label=_("when the field"),
        required=False,
        max_length=40,
        help_text=_("Key of an earlier field. Leave empty to always show."),
    )
    operator = blocks.ChoiceBlock(
        label=_("operator"), choices=OPERATORS, default="equals", required=False
    )
    value = blocks.CharBlock(
        label=_("value"),
        required=False,
        max_length=200,
        help_text=_(
            "For 'is one of', separate values with commas. Yes/no fields answer "
            "'yes' or 'no'."
        ),
    )

    class Meta:
        label = _("Show only when")
        form_classname = "condition-block"
        collapsed = True


class FieldBlock(blocks.StructBlock):
    """What every answerable field has."""

    label = blocks.CharBlock(
        label=pgettext_lazy("form builder", "label"), max_length=200
    )
    key = blocks.CharBlock(
        label=_("key"),
        required=False,
        max_length=40,
        help_text=_(
            "Machine name used in exports and conditions, e.g. 'degree'. Leave "
            "empty to generate one; do not change it once applications exist."
        ),
    )
    help_text = blocks.CharBlock(
        label=pgettext_lazy("form builder", "help text"), required=False, max_length=400
    )
    required = blocks.BooleanBlock(label=_("required"), required=False, default=True)
    condition = ConditionBlock()

    def clean(self, value):
        value = super().clean(value)
        errors: dict = {}
        _check_key(value, errors)
        _check_pattern(value, errors)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class PatternMixin(blocks.StructBlock):
    pattern = blocks.CharBlock(
        label=_("pattern"),
        required=False,
        max_length=200,
        help_text=_("Optional regular expression the whole answer must match."),
    )
    pattern_message = blocks.CharBlock(
        label=_("message when the pattern does not match"),
        required=False,
        max_length=200,
    )


class ShortTextBlock(FieldBlock, PatternMixin):
    max_length = blocks.IntegerBlock(
        label=_("maximum length"), min_value=1, max_value=500, default=100
    )
    prefill = blocks.ChoiceBlock(
        label=_("prefill from"), choices=PREFILL_SOURCES, required=False
    )
    personal = personal_flag()

    class Meta:
        icon = "pilcrow"
        label = _("Short text")


class LongTextBlock(FieldBlock, PatternMixin):
    max_length = blocks.IntegerBlock(
        label=_("maximum length"), min_value=1, max_value=5000, default=1000
    )
    personal = personal_flag()

    class Meta:
        icon = "doc-full"
        label = _("Long text")


class NumberBlock(FieldBlock):
    min_value = blocks.DecimalBlock(label=_("minimum"), required=False)
    max_value = blocks.DecimalBlock(label=_("maximum"), required=False)
    decimal_places = blocks.IntegerBlock(
        label=_("decimal places"), min_value=0, max_value=4, default=0
    )
    personal = personal_flag()

    class Meta:
        icon = "plus-inverse"
        label = _("Number")


class DateBlock(FieldBlock):
    min_date = blocks.DateBlock(label=_("earliest"), required=False)
    max_date = blocks.DateBlock(label=_("latest"), required=False)
    not_in_future = blocks.BooleanBlock(
        label=_("not in the future"), required=False, default=False
    )
    personal = personal_flag()

    class Meta:
        icon = "date"
        label = _("Date")


class ChoicesMixin(blocks.StructBlock):
    choices = blocks.TextBlock(
        label=_("choices"), help_text=_("One choice per line."), rows=5
    )

    def clean(self, value):
        value = super().clean(value)
        lines = [line.strip() for line in value["choices"].splitlines()]
        lines = [line for line in lines if line]
        if not lines or len(lines) != len(set(lines)):
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        _("Give at least one choice, each only once.")
                    )
                }
            )
        return value


class SingleChoiceBlock(ChoicesMixin, FieldBlock):
    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleChoiceBlock(ChoicesMixin, FieldBlock):
    class Meta:
        icon = "tick-inverse"
        label = _("Multiple choice")


class DropdownBlock(ChoicesMixin, FieldBlock):
    class Meta:
        icon = "arrow-down-big"
        label = _("Dropdown")


class YesNoBlock(FieldBlock):
    class Meta:
        icon = "help"
        label = _("Yes or no")


class EmailBlock(FieldBlock):
    prefill = blocks.ChoiceBlock(
        label=_("prefill from"), choices=PREFILL_SOURCES, required=False
    )
    personal = personal_flag()

    class Meta:
        icon = "mail"
        label = _("E-mail")


class MobileBlock(FieldBlock):
    prefill = blocks.ChoiceBlock(
        label=_("prefill from"), choices=PREFILL_SOURCES, required=False
    )

    class Meta:
        icon = "mobile-alt"
        label = _("Mainland mobile number")


class BankAccountBlock(FieldBlock):
    """A bank card or account number: always personal data (sealed, masked)."""

    class Meta:
        icon = "tag"
        label = pgettext_lazy("form field type", "Bank account number")


class AddressBlock(FieldBlock):
    """A postal address on one line: always personal data (sealed, masked)."""

    max_length = blocks.IntegerBlock(
        label=_("maximum length"), min_value=10, max_value=300, default=120
    )

    class Meta:
        icon = "home"
        label = pgettext_lazy("form field type", "Address")


class PersonalIdBlock(FieldBlock):
    id_kinds = blocks.MultipleChoiceBlock(
        label=_("accepted documents"),
        choices=ID_KINDS,
        default=["resident"],
    )
    prefill = blocks.ChoiceBlock(
        label=_("prefill from"), choices=PREFILL_SOURCES, required=False
    )

    class Meta:
        icon = "user"
        label = _("Personal ID")


class USCCBlock(FieldBlock):
    prefill = blocks.ChoiceBlock(
        label=_("prefill from"), choices=PREFILL_SOURCES, required=False
    )

    class Meta:
        icon = "site"
        label = _("Unified social credit code")


class RegionBlock(FieldBlock):
    depth = blocks.ChoiceBlock(
        label=_("level"), choices=REGION_DEPTHS, default="district"
    )

    class Meta:
        icon = "globe"
        label = _("Region")


class FileBlock(FieldBlock):
    file_types = blocks.MultipleChoiceBlock(
        label=_("allowed types"), choices=FILE_TYPES, default=["pdf", "jpg", "png"]
    )
    max_size_mb = blocks.IntegerBlock(
        label=_("maximum size per file (MB)"), min_value=1, max_value=20, default=10
    )
    max_count = blocks.IntegerBlock(
        label=_("maximum number of files"), min_value=1, max_value=10, default=1
    )
    material_form = blocks.CharBlock(
        label=_("what to provide"),
        required=False,
        max_length=100,
        help_text=_("Shown on the checklist, e.g. 原件扫描件, 加盖单位公章."),
    )

    class Meta:
        icon = "upload"
        label = _("File upload")


class ConsentBlock(blocks.StructBlock):
    key = blocks.CharBlock(label=_("key"), required=False, max_length=40)
    label = blocks.CharBlock(
        label=pgettext_lazy("form builder", "label"),
        max_length=200,
        default="我已阅读并同意上述个人信息处理说明，承诺所填信息真实有效",
    )
    notice = blocks.TextBlock(
        label=_("notice"),
        help_text=_("What is collected, why, for how long (PIPL art. 17)."),
    )

    def clean(self, value):
        value = super().clean(value)
        errors: dict = {}
        _check_key(value, errors)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "tick"
        label = _("Consent")


class SectionBlock(blocks.StructBlock):
    """A heading; its condition hides everything up to the next section or step."""

    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)
    condition = ConditionBlock()

    class Meta:
        icon = "title"
        label = _("Section")


class ExplanationBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("text"))
    condition = ConditionBlock()

    class Meta:
        icon = "info-circle"
        label = _("Explanatory text")


class StepBlock(blocks.StructBlock):
    """Starts a new step of the form (a new page for the applicant)."""

    title = blocks.CharBlock(label=_("step title"), max_length=60)
    description = blocks.TextBlock(label=_("description"), required=False)
    condition = ConditionBlock()

    class Meta:
        icon = "arrow-right"
        label = _("New step")


def simple_field_blocks() -> list[tuple[str, blocks.Block]]:
    """The field types allowed inside a repeatable group (no files, no nesting)."""
    return [
        ("short_text", ShortTextBlock()),
        ("long_text", LongTextBlock()),
        ("number", NumberBlock()),
        ("date", DateBlock()),
        ("single_choice", SingleChoiceBlock()),
        ("multiple_choice", MultipleChoiceBlock()),
        ("dropdown", DropdownBlock()),
        ("yes_no", YesNoBlock()),
        ("email", EmailBlock()),
        ("mobile", MobileBlock()),
        ("personal_id", PersonalIdBlock()),
        ("bank_account", BankAccountBlock()),
        ("address", AddressBlock()),
        ("uscc", USCCBlock()),
        ("region", RegionBlock()),
    ]


class GroupBlock(FieldBlock):
    """Repeatable rows: education history, children, family members."""

    min_rows = blocks.IntegerBlock(label=_("minimum rows"), min_value=0, default=1)
    max_rows = blocks.IntegerBlock(
        label=_("maximum rows"), min_value=1, max_value=20, default=5
    )
    fields = blocks.StreamBlock(simple_field_blocks(), label=_("fields of a row"))

    class Meta:
        icon = "table"
        label = _("Repeatable group")


def form_blocks() -> list[tuple[str, blocks.Block]]:
    """Every block of a form, in the order the admin's block menu shows them."""
    return [
        ("step", StepBlock()),
        ("section", SectionBlock()),
        ("explanation", ExplanationBlock()),
        *simple_field_blocks(),
        ("file", FileBlock()),
        ("group", GroupBlock()),
        ("consent", ConsentBlock()),
    ]
