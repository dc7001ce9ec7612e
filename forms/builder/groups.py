"""Repeatable groups: rows of simple fields (education history, children, ...).

Inputs are named ``<key>-<row>-<subkey>``; ``<key>-rows`` holds the number of rows
shown. The "add a row" and "remove this row" buttons are plain submit buttons, so
groups work without JavaScript.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.core.params import parse_int

ADD_ROW = "_add_row"
REMOVE_ROW = "_remove_row"


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


def row_limits(item: dict) -> tuple[int, int]:
    """A group's (min_rows, max_rows); the definition validator has checked them,
    so anything else here is an old definition and gets the defaults."""
    minimum = parse_int(item.get("min_rows") or 0, 0)
    maximum = parse_int(item.get("max_rows") or 1, 1)
    return minimum, maximum


def _display(field, value):
    """A stored row value (canonical or raw) as the widget expects it."""
    if isinstance(field.widget, forms.MultiWidget) and isinstance(value, dict):
        return field.widget.decompress(value)
    return value


class GroupField(forms.Field):
    def __init__(self, item: dict, **kwargs):
        from forms.builder.fields import build_field

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


def apply_row_actions(data: dict[str, list[str]], post) -> bool:
    """Handle the add/remove row buttons on the stored data; True if one was used."""
    if post.get(ADD_ROW):
        name = post[ADD_ROW]
        current = _stored_row_count(data, name)
        data[f"{name}-rows"] = [str(current + 1)]
        return True
    if post.get(REMOVE_ROW) and ":" in post[REMOVE_ROW]:
        name, _sep, row = post[REMOVE_ROW].rpartition(":")
        removed = parse_int(row)
        if removed is None:
            return True
        current = _stored_row_count(data, name)
        shifted: dict[str, list[str]] = {}
        for field_name, values in list(data.items()):
            prefix, _dash, rest = field_name.partition("-")
            index_text, _dash2, sub = rest.partition("-")
            index = parse_int(index_text)
            if prefix != name or index is None or not sub:
                continue
            del data[field_name]
            if index == removed:
                continue
            new_index = index - (1 if index > removed else 0)
            shifted[f"{name}-{new_index}-{sub}"] = values
        data.update(shifted)
        data[f"{name}-rows"] = [str(max(current - 1, 0))]
        return True
    return False


def _stored_row_count(data: dict, name: str) -> int:
    # Stored inputs come from earlier posts, so the counter may be anything; the
    # widget clamps it to the group's limits when the rows are drawn.
    return parse_int((data.get(f"{name}-rows") or ["1"])[-1], 1)
