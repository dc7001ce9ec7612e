"""The block parts every field type's block is made of: the common settings
(label, key, help text, required, condition), the pattern and choices mixins,
the "personal data" flag, and the choices the builder offers for them.

Child block names are the JSON keys of the definition (forms/builder/definition.py);
renaming or reordering a child changes the StreamField and needs a migration.
A field block opens with its label, "required" and help text; keys, patterns
and limits wait under a collapsed "Advanced" (``field_layout``). The script
that picks a condition's field from the fields above by their labels is
forms/builder/field_types/editor.py.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.blocks.struct_block import BlockGroup, StructBlockValidationError

from forms.builder.patterns import check_pattern

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

OPERATORS = [
    ("equals", pgettext_lazy("condition", "equals")),
    ("not_equals", pgettext_lazy("condition", "does not equal")),
    ("one_of", pgettext_lazy("condition", "is one of")),
    ("not_empty", pgettext_lazy("condition", "is answered")),
    ("gt", pgettext_lazy("condition", "is greater than")),
    ("gte", pgettext_lazy("condition", "is at least")),
    ("lt", pgettext_lazy("condition", "is less than")),
    ("lte", pgettext_lazy("condition", "is at most")),
]
# The editor's list starts with "always shown": a condition without a field.
CONDITION_CHOICES = [("", pgettext_lazy("condition", "always shown")), *OPERATORS]

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


# What a field block opens with, and what waits under "Advanced": settings a
# first form does without (limits, patterns, the key, prefilling).
FIRST = ("label", "required", "help_text")
ADVANCED = (
    "key",
    "prefill",
    "max_length",
    "pattern",
    "pattern_message",
    "min_value",
    "max_value",
    "decimal_places",
    "min_date",
    "max_date",
    "not_in_future",
    "max_size_mb",
    "max_count",
    "min_rows",
    "max_rows",
)


def field_layout(block: blocks.StructBlock) -> BlockGroup:
    """Label, required and help first, then what the type needs (choices,
    documents, file types, a group's fields), the condition, and the rest
    under a collapsed "Advanced"."""
    names = list(block.child_blocks)
    main = [name for name in FIRST if name in names]
    main += [
        name
        for name in names
        if name not in FIRST and name not in ADVANCED and name != "condition"
    ]
    main += [name for name in names if name == "condition"]
    advanced = [name for name in ADVANCED if name in names]
    if not advanced:
        return BlockGroup(main)
    # An ASCII heading names the group's elements; the one shown is translated
    # when the editor is drawn (blocks are made before translations load).
    group = BlockGroup(advanced, heading="advanced", classname="collapsed", icon="cog")
    group.heading = pgettext_lazy("form builder", "Advanced")
    return BlockGroup([*main, group])


class ConditionBlock(blocks.StructBlock):
    """Show the field only when an earlier answer matches. In the editor the
    field is picked from the fields above by their labels, and a choice
    field's answer from its choices (editor.py); the key is what is stored."""

    field = blocks.CharBlock(
        label=pgettext_lazy("condition", "when the field"),
        required=False,
        max_length=40,
        help_text=_("Choose a field above this one; leave empty to always show."),
    )
    operator = blocks.ChoiceBlock(
        label=pgettext_lazy("condition", "comparison"),
        choices=CONDITION_CHOICES,
        default="",
        required=False,
    )
    value = blocks.CharBlock(
        label=pgettext_lazy("condition", "answer"),
        required=False,
        max_length=200,
        help_text=_("For 'is one of', separate the answers with commas."),
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
    required = blocks.BooleanBlock(label=_("required"), required=False, default=True)
    help_text = blocks.CharBlock(
        label=pgettext_lazy("form builder", "help text"), required=False, max_length=400
    )
    key = blocks.CharBlock(
        label=pgettext_lazy("form builder", "key"),
        required=False,
        max_length=40,
        help_text=_(
            "Made from the label; conditions and exports use it. Change it only "
            "for an export that expects another name, and never once "
            "applications exist."
        ),
    )
    condition = ConditionBlock()

    def get_form_layout(self):
        return field_layout(self)

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
        # A draft may wait for its choices; publishing needs them.
        if not lines and self.is_deferred_validation:
            return value
        if not lines or len(lines) != len(set(lines)):
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        _("Give at least one choice, each only once.")
                    )
                }
            )
        return value
