"""The form builder's blocks: the layout blocks and every registered field type.

A block only describes a field. forms/builder/definition.py turns a form's blocks into the
plain JSON definition that is versioned and stored beside each application, and
the field types (forms/builder/field_types/) build the live Django fields from that
JSON, so an old application never depends on today's blocks. Child block names
are the JSON keys; the block parts fields share are field_types/parts.py.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from forms.builder.field_types import field_blocks
from forms.builder.field_types.parts import ConditionBlock


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


def form_blocks() -> list[tuple[str, blocks.Block]]:
    """Every block of a form, in the order the admin's block menu shows them."""
    return [
        ("step", StepBlock()),
        ("section", SectionBlock()),
        ("explanation", ExplanationBlock()),
        *field_blocks(),
    ]
