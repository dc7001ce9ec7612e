"""The block parts every field type's block is made of: the common settings
(label, key, help text, required, condition), the pattern and choices mixins,
the "personal data" flag, and the choices the builder offers for them.

Child block names are the JSON keys of the definition (forms/builder/definition.py);
renaming or reordering a child changes the StreamField and needs a migration.
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


def prefill_choice() -> blocks.ChoiceBlock:
    return blocks.ChoiceBlock(
        label=_("prefill from"), choices=PREFILL_SOURCES, required=False
    )


def check_key(value: dict, errors: dict) -> None:
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
        check_key(value, errors)
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
