"""A form's definition as plain JSON: what is versioned, exported and imported.

The definition is a list of items, one per block, in order:

    {"type": "short_text", "key": "full_name", "label": "姓名", "required": true,
     "help_text": "", "condition": null, "max_length": 50, "prefill": "real_name",
     "pattern": "", "pattern_message": ""}

Item keys are the block's child names (see forms/blocks.py); ``choices`` is a list
of strings; a group has ``fields``, a list of items; a condition is
``{"field": key, "operator": op, "value": text}`` or null. Layout items (step,
section, explanation) have no key. README documents the format.
"""

import json
import re
from decimal import Decimal, InvalidOperation

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from .blocks import KEY_PATTERN, OPERATORS

LAYOUT_TYPES = {"step", "section", "explanation"}
# Answerable types whose answer lives in the answers JSON (files do not).
VALUE_TYPES = {
    "short_text",
    "long_text",
    "number",
    "date",
    "single_choice",
    "multiple_choice",
    "dropdown",
    "yes_no",
    "email",
    "mobile",
    "personal_id",
    "bank_account",
    "address",
    "uscc",
    "region",
    "group",
    "consent",
}
FIELD_TYPES = VALUE_TYPES | {"file"}
ALL_TYPES = FIELD_TYPES | LAYOUT_TYPES
NUMERIC_OPERATORS = {"gt", "gte", "lt", "lte"}
OPERATOR_NAMES = {name for name, _label in OPERATORS}


class DefinitionError(ValueError):
    """A definition that cannot be used, with every reason found."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _normalise_item(block_type: str, block_id: str | None, value: dict) -> dict:
    item = {"type": block_type, **_jsonable(value)}
    # Only a set flag is kept, so the definitions (and version digests) of
    # forms built before the flag existed stay as they were.
    if not item.get("personal"):
        item.pop("personal", None)
    if block_type in FIELD_TYPES:
        item["key"] = item.get("key") or f"f_{(block_id or '').replace('-', '')[:8]}"
    condition = item.get("condition")
    if not condition or not condition.get("field"):
        item["condition"] = None
    if isinstance(item.get("choices"), str):
        item["choices"] = [
            line.strip() for line in item["choices"].splitlines() if line.strip()
        ]
    if block_type == "group":
        item["fields"] = [
            _normalise_item(child["type"], child.get("id"), child["value"])
            for child in item.get("fields") or []
        ]
    return item


def definition_from_stream(stream_value) -> list[dict]:
    """The JSON definition of a page's form StreamField value."""
    items = []
    for child in stream_value:
        value = child.block.get_prep_value(child.value)
        items.append(_normalise_item(child.block_type, child.id, value))
    return items


def _stream_value(item: dict) -> dict:
    value = {k: v for k, v in item.items() if k != "type"}
    if "choices" in value and isinstance(value["choices"], list):
        value["choices"] = "\n".join(value["choices"])
    if item["type"] == "consent":
        value.pop("condition", None)
    else:
        value["condition"] = value.get("condition") or {
            "field": "",
            "operator": "equals",
            "value": "",
        }
    if item["type"] == "group":
        value["fields"] = [
            {"type": child["type"], "value": _stream_value(child)}
            for child in item.get("fields") or []
        ]
    return value


def stream_data_from_definition(definition: list[dict]) -> list[dict]:
    """Raw StreamField data for a definition (the reverse of definition_from_stream)."""
    return [{"type": item["type"], "value": _stream_value(item)} for item in definition]


def _check_condition(item: dict, earlier: dict[str, dict], where: str) -> list[str]:
    condition = item.get("condition")
    if not condition:
        return []
    field, operator = condition.get("field"), condition.get("operator") or "equals"
    source = earlier.get(field)
    if source is None:
        return [
            _(
                "%(where)s: the condition refers to '%(field)s', which is not an "
                "earlier field."
            )
            % {"where": where, "field": field}
        ]
    if source["type"] in {"file", "group"}:
        return [
            _("%(where)s: a condition cannot depend on a file or group field.")
            % {"where": where}
        ]
    if operator not in OPERATOR_NAMES:
        return [_("%(where)s: unknown operator.") % {"where": where}]
    if operator in NUMERIC_OPERATORS:
        try:
            Decimal(str(condition.get("value", "")).strip())
        except InvalidOperation:
            return [
                _("%(where)s: a number comparison needs a number.") % {"where": where}
            ]
    elif operator != "not_empty" and not str(condition.get("value", "")).strip():
        return [_("%(where)s: the condition needs a value.") % {"where": where}]
    return []


def _check_field(item: dict, where: str) -> list[str]:
    errors = []
    key = item.get("key") or ""
    if not KEY_PATTERN.match(key):
        errors.append(
            _("%(where)s: the key '%(key)s' is not valid.")
            % {"where": where, "key": key}
        )
    if not str(item.get("label") or "").strip():
        errors.append(_("%(where)s: a label is required.") % {"where": where})
    pattern = item.get("pattern") or ""
    if pattern:
        try:
            re.compile(pattern)
        except re.error:
            errors.append(
                _("%(where)s: the pattern is not a valid regular expression.")
                % {"where": where}
            )
    if "choices" in item and not item["choices"]:
        errors.append(_("%(where)s: give at least one choice.") % {"where": where})
    if item["type"] == "group":
        if int(item.get("min_rows") or 0) > int(item.get("max_rows") or 1):
            errors.append(
                _("%(where)s: the minimum number of rows is above the maximum.")
                % {"where": where}
            )
        if not item.get("fields"):
            errors.append(_("%(where)s: a group needs fields.") % {"where": where})
        seen: set[str] = set()
        for child in item.get("fields") or []:
            child_where = f"{where} › {child.get('label') or child.get('type')}"
            if child.get("type") not in VALUE_TYPES - {"group", "consent"}:
                errors.append(
                    _("%(where)s: this type is not allowed in a group.")
                    % {"where": child_where}
                )
                continue
            errors += _check_field(child, child_where)
            if child.get("condition"):
                errors.append(
                    _("%(where)s: fields inside a group cannot have conditions.")
                    % {"where": child_where}
                )
            if child.get("key") in seen:
                errors.append(
                    _("%(where)s: the key '%(key)s' is used twice.")
                    % {"where": child_where, "key": child.get("key")}
                )
            seen.add(child.get("key"))
    return errors


def validate_definition(definition: list[dict]) -> None:
    """Raise DefinitionError listing everything wrong with a definition."""
    errors: list[str] = []
    earlier: dict[str, dict] = {}
    if not isinstance(definition, list):
        raise DefinitionError([_("The definition must be a list of items.")])
    if not any(item.get("type") in FIELD_TYPES for item in definition):
        errors.append(_("The form has no fields."))
    for position, item in enumerate(definition, start=1):
        if not isinstance(item, dict) or item.get("type") not in ALL_TYPES:
            errors.append(_("Item %(n)s: unknown type.") % {"n": position})
            continue
        where = _("Item %(n)s (%(label)s)") % {
            "n": position,
            "label": item.get("label")
            or item.get("title")
            or item.get("heading")
            or item["type"],
        }
        errors += _check_condition(item, earlier, where)
        if item["type"] in FIELD_TYPES:
            errors += _check_field(item, where)
            if item.get("key") in earlier:
                errors.append(
                    _("%(where)s: the key '%(key)s' is used twice.")
                    % {"where": where, "key": item.get("key")}
                )
            earlier[item.get("key")] = item
    if errors:
        raise DefinitionError(errors)
