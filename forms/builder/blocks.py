"""The form builder's blocks: the layout blocks and every registered field type.

A block only describes a field. forms/builder/definition.py turns a form's blocks into the
plain JSON definition that is versioned and stored beside each application, and
the field types (forms/builder/field_types/) build the live Django fields from that
JSON, so an old application never depends on today's blocks. Child block names
are the JSON keys; the block parts fields share are field_types/parts.py.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from forms.builder.definition import (
    FAULT_PART,
    LATER,
    MISSING,
    NO_OPERATOR,
    NO_SOURCE,
    NO_VALUE,
    NOT_A_CHOICE,
    NOT_A_NUMBER,
    condition_fault,
    definition_from_stream,
)
from forms.builder.field_types import field_blocks, registered
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


def _condition_message(fault: str, condition: dict, source: dict) -> str:
    """What the builder reads under a condition that cannot work, and what to do."""
    values = {
        "field": str(condition.get("field") or "")[:40],
        "label": str(source.get("label") or source.get("key") or "")[:40],
        "value": str(condition.get("value") or "")[:60],
    }
    messages = {
        MISSING: _(
            "This form has no field with the key '%(field)s': choose one of the "
            "fields above this block."
        ),
        LATER: _(
            "'%(label)s' is not above this block: a condition can only depend on "
            "a field above it."
        ),
        NO_SOURCE: _(
            "A condition cannot depend on a file upload or a repeatable group."
        ),
        NO_OPERATOR: _(
            "'%(label)s' cannot be compared this way: choose another comparison."
        ),
        NOT_A_NUMBER: _("Give the number to compare with."),
        NO_VALUE: _("Give the answer to compare with."),
        NOT_A_CHOICE: _("'%(value)s' is not one of the answers of '%(label)s'."),
    }
    return str(messages[fault]) % values


def _nested(path: list[str], message: str) -> ValidationError:
    """An error for the child block at ``path`` of a struct block."""
    error: ValidationError = ValidationError(message)
    for name in reversed(path):
        error = StructBlockValidationError(block_errors={name: error})
    return error


def _duplicate_keys(items: list[dict]) -> dict[int, ValidationError]:
    errors = {}
    seen: set[str] = set()
    for index, item in enumerate(items):
        key = item.get("key")
        if not registered(item.get("type")) or not key:
            continue
        if key in seen:
            errors[index] = _nested(
                ["key"],
                str(_("Another field of this form already uses the key '%(key)s'."))
                % {"key": key},
            )
        seen.add(key)
    return errors


def form_block_errors(items: list[dict]) -> dict[int, ValidationError]:
    """Errors that need the whole form to be seen, attached to the block at
    fault: a condition on a field that is missing, later, or cannot be compared
    that way, and a key used twice (within the form, or within a group's row).
    ``items`` is the form's definition, one item per block."""
    errors = _duplicate_keys(items)
    fields = {
        item["key"]: item
        for item in items
        if registered(item.get("type")) and item.get("key")
    }
    earlier: dict[str, dict] = {}
    for index, item in enumerate(items):
        condition = item.get("condition")
        if condition and index not in errors:
            later = {key: field for key, field in fields.items() if key not in earlier}
            found = condition_fault(condition, earlier, later)
            if found is not None:
                fault, source = found
                errors[index] = _nested(
                    ["condition", FAULT_PART[fault]],
                    _condition_message(fault, condition, source),
                )
        kind = registered(item.get("type"))
        if kind is None:
            continue
        if item.get("key"):
            earlier[item["key"]] = item
        if kind.nests_fields and index not in errors:
            inner = _duplicate_keys(item.get("fields") or [])
            for position, child in enumerate(item.get("fields") or []):
                if child.get("condition") and position not in inner:
                    inner[position] = _nested(
                        ["condition", "field"],
                        str(
                            _(
                                "Fields inside a repeatable group cannot have conditions."
                            )
                        ),
                    )
            if inner:
                errors[index] = StructBlockValidationError(
                    block_errors={
                        "fields": StreamBlockValidationError(block_errors=inner)
                    }
                )
    return errors


class FormStreamBlock(blocks.StreamBlock):
    """A form's blocks: each block checks itself, and this checks what only the
    whole form can tell, placing each error on the block at fault so that the
    builder sees it where it is to be fixed."""

    def clean(self, value):
        try:
            cleaned = super().clean(value)
        except StreamBlockValidationError as error:
            try:
                own = form_block_errors(definition_from_stream(value, make_keys=False))
            except (TypeError, ValueError, AttributeError, KeyError):
                raise error from None  # the blocks' own errors come first
            for index, block_error in own.items():
                error.block_errors.setdefault(index, block_error)
            raise
        errors = form_block_errors(definition_from_stream(cleaned, make_keys=False))
        non_block = []
        has_field = any(registered(child.block_type) for child in cleaned)
        # A draft may have no field yet (its required parts wait for publishing).
        if not has_field and not self.is_deferred_validation:
            non_block.append(ValidationError(_("The form has no fields.")))
        if errors or non_block:
            raise StreamBlockValidationError(
                block_errors=errors, non_block_errors=non_block
            )
        return cleaned
