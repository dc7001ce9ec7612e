"""Repeatable groups: rows of simple fields (education history, children, ...).

A group's item has ``fields``, items of the types allowed in a group; each cell
is handled by its own type, so whatever a type does alone it also does in a row.
The widget and the row buttons are forms/builder/groups.py.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from cms.core.params import parse_int
from forms.builder.field_types.base import (
    FIELD_SETTINGS,
    ITEM_LIST,
    WHOLE,
    FieldType,
    Sealing,
    build_field,
    display_answer,
    field_blocks,
    register,
    type_of,
)
from forms.builder.field_types.parts import FieldBlock
from forms.builder.groups import ADD_ROW, REMOVE_ROW, row_limits


class GroupBlock(FieldBlock):
    """Repeatable rows: education history, children, family members."""

    min_rows = blocks.IntegerBlock(
        label=gettext_lazy("minimum rows"), min_value=0, default=1
    )
    max_rows = blocks.IntegerBlock(
        label=gettext_lazy("maximum rows"), min_value=1, max_value=20, default=5
    )
    # The types registered when this module is imported, which is why the
    # package imports it last.
    fields = blocks.StreamBlock(
        field_blocks(in_group=True), label=gettext_lazy("fields of a row")
    )

    class Meta:
        icon = "table"
        label = gettext_lazy("Repeatable group")


class GroupWidget(forms.Widget):
    template_name = "forms/widgets/group.html"

    def __init__(self, item: dict, subfields: dict, attrs=None):
        super().__init__(attrs)
        self.item = item
        self.subfields = subfields

    def row_count(self, data, name) -> int:
        minimum, maximum = row_limits(self.item)
        rows = parse_int(data.get(f"{name}-rows"), minimum)
        return max(min(rows, maximum), minimum, 1)

    def value_from_datadict(self, data, files, name):
        rows = []
        for index in range(self.row_count(data, name)):
            rows.append(
                {
                    key: field.widget.value_from_datadict(
                        data, files, f"{name}-{index}-{key}"
                    )
                    for key, field in self.subfields.items()
                }
            )
        return rows

    def value_omitted_from_data(self, data, files, name):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = value if isinstance(value, list) else []
        minimum, maximum = row_limits(self.item)
        while len(rows) < max(minimum, 1):
            rows.append({})
        context["widget"].update(
            {
                "rows": [
                    {
                        "index": index,
                        "cells": [
                            {
                                "label": field.label,
                                "id": f"id_{name}-{index}-{key}",
                                "required": field.required,
                                "html": field.widget.render(
                                    f"{name}-{index}-{key}",
                                    _display(field, row.get(key)),
                                    {"id": f"id_{name}-{index}-{key}"},
                                ),
                            }
                            for key, field in self.subfields.items()
                        ],
                    }
                    for index, row in enumerate(rows)
                ],
                "row_count": len(rows),
                "can_add": len(rows) < maximum,
                "can_remove": len(rows) > max(minimum, 1),
                "add_name": ADD_ROW,
                "remove_name": REMOVE_ROW,
            }
        )
        return context


def _display(field, value):
    """A stored row value (canonical or raw) as the widget expects it."""
    if isinstance(field.widget, forms.MultiWidget) and isinstance(value, dict):
        return field.widget.decompress(value)
    return value


class GroupField(forms.Field):
    def __init__(self, item: dict, **kwargs):
        self.item = item
        self.subfields = {child["key"]: build_field(child) for child in item["fields"]}
        super().__init__(widget=GroupWidget(item, self.subfields), **kwargs)

    def clean(self, value):
        rows = value or []
        cleaned, errors = [], []
        for number, row in enumerate(rows, start=1):
            if all(_is_empty(raw) for raw in row.values()):
                continue  # an untouched row is not an answer
            result = {}
            for key, field in self.subfields.items():
                try:
                    result[key] = field.clean(row.get(key))
                except ValidationError as error:
                    for message in error.messages:
                        errors.append(
                            _("Row %(row)s, %(label)s: %(message)s")
                            % {"row": number, "label": field.label, "message": message}
                        )
            cleaned.append(result)
        if errors:
            raise ValidationError(errors)
        minimum, _maximum = row_limits(self.item)
        if self.required and len(cleaned) < max(minimum, 1):
            raise ValidationError(
                _("Fill in at least %(count)s rows.") % {"count": max(minimum, 1)}
            )
        return cleaned


def _is_empty(raw) -> bool:
    if isinstance(raw, list | tuple):
        return all(_is_empty(part) for part in raw)
    if isinstance(raw, dict):
        return all(_is_empty(part) for part in raw.values())
    return raw in (None, "")


def _cells(item: dict) -> dict[str, dict]:
    return {child["key"]: child for child in item.get("fields") or []}


@register
class Group(FieldType):
    name = "group"
    block_class = GroupBlock
    settings = {
        **FIELD_SETTINGS,
        "min_rows": WHOLE,
        "max_rows": WHOLE,
        "fields": ITEM_LIST,
    }
    menu_order = 170
    in_group = False
    nests_fields = True
    condition_operators = ()

    def check(self, item, where):
        errors = []
        if (item.get("min_rows") or 0) > (item.get("max_rows") or 1):
            errors.append(
                _("%(where)s: the minimum number of rows is above the maximum.")
                % {"where": where}
            )
        if not item.get("fields"):
            errors.append(_("%(where)s: a group needs fields.") % {"where": where})
        return errors

    def form_field(self, item, **common):
        return GroupField(item, **common)

    def canonical(self, item, value):
        if value in (None, ""):
            return None
        cells = _cells(item)
        return [
            {
                key: type_of(cells.get(key, {})).canonical(cells.get(key, {}), sub)
                for key, sub in row.items()
            }
            for row in value
        ]

    def _each_cell(self, item: dict, value, change) -> list[dict]:
        cells = _cells(item)
        return [
            {
                key: change(cells[key], cell) if key in cells else cell
                for key, cell in row.items()
            }
            for row in value or []
        ]

    def seal(self, item, value, sealing: Sealing):
        return self._each_cell(
            item, value, lambda cell, v: type_of(cell).seal(cell, v, sealing)
        )

    def unseal(self, item, value):
        return self._each_cell(
            item, value, lambda cell, v: type_of(cell).unseal(cell, v)
        )

    def holds_identity(self, item):
        return any(
            type_of(cell).holds_identity(cell) for cell in item.get("fields") or []
        )

    def sealed_identity(self, item, value):
        cells = [cell for cell in item.get("fields") or [] if type_of(cell).identity]
        for row in value if isinstance(value, list) else []:
            for cell in cells:
                found = type_of(cell).sealed_identity(cell, row.get(cell["key"]))
                if found is not None:
                    return found
        return None

    def answer_row(self, item, answers, files_by_key, *, reveal):
        if item["key"] not in answers:
            return None
        cells = item["fields"]
        return {
            "label": item["label"],
            "table": {
                "header": [cell["label"] for cell in cells],
                "rows": [
                    [
                        display_answer(cell, row.get(cell["key"]), reveal=reveal)
                        for cell in cells
                    ]
                    for row in answers[item["key"]] or []
                ],
            },
        }

    def export_text(self, item, value, files, *, reveal):
        lines = []
        for row in value or []:
            parts = [
                f"{cell['label']}: "
                f"{display_answer(cell, row.get(cell['key']), reveal=reveal)}"
                for cell in item.get("fields") or []
            ]
            lines.append("；".join(parts))
        return "\n".join(lines)
