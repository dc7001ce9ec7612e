"""A form's definition as plain JSON: what is versioned, exported and imported.

The definition is a list of items, one per block, in order:

    {"type": "short_text", "key": "full_name", "label": "姓名", "required": true,
     "help_text": "", "condition": null, "max_length": 50, "prefill": "real_name",
     "pattern": "", "pattern_message": ""}

Item keys are the block's child names (see forms/builder/blocks.py); ``choices`` is a list
of strings; a group has ``fields``, a list of items; a condition is
``{"field": key, "operator": op, "value": text}`` or null. Layout items (step,
section, explanation) have no key. README documents the format.
"""

import datetime
import json
from decimal import Decimal, InvalidOperation

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from forms.builder.blocks import KEY_PATTERN, OPERATORS
from forms.builder.patterns import check_pattern

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


# The JSON type of every setting an item may carry, per item type: a definition
# from a file is checked against these before anything reads it, so a number
# where a list belongs is a reason given back, not a traceback. None stands for
# "not given" and lets the block apply its default or its own "required" rule.
TEXT, WHOLE, FLAG, NUMBER, DATE = "text", "whole number", "yes/no", "number", "date"
TEXT_LIST, ITEM_LIST, CONDITION, CHOICES = "texts", "items", "condition", "choices"
_FIELD_SETTINGS = {
    "key": TEXT,
    "label": TEXT,
    "help_text": TEXT,
    "required": FLAG,
    "condition": CONDITION,
}
_TEXT_SETTINGS = {"pattern": TEXT, "pattern_message": TEXT, "max_length": WHOLE}
# The builder's "personal data" flag (sealed and masked like an ID number).
_PERSONAL = {"personal": FLAG}
SETTINGS: dict[str, dict[str, str]] = {
    "step": {"title": TEXT, "description": TEXT, "condition": CONDITION},
    "section": {"heading": TEXT, "text": TEXT, "condition": CONDITION},
    "explanation": {"text": TEXT, "condition": CONDITION},
    "short_text": {**_FIELD_SETTINGS, **_TEXT_SETTINGS, **_PERSONAL, "prefill": TEXT},
    "long_text": {**_FIELD_SETTINGS, **_TEXT_SETTINGS, **_PERSONAL},
    "number": {
        **_FIELD_SETTINGS,
        **_PERSONAL,
        "min_value": NUMBER,
        "max_value": NUMBER,
        "decimal_places": WHOLE,
    },
    "date": {
        **_FIELD_SETTINGS,
        **_PERSONAL,
        "min_date": DATE,
        "max_date": DATE,
        "not_in_future": FLAG,
    },
    "single_choice": {**_FIELD_SETTINGS, "choices": CHOICES},
    "multiple_choice": {**_FIELD_SETTINGS, "choices": CHOICES},
    "dropdown": {**_FIELD_SETTINGS, "choices": CHOICES},
    "yes_no": _FIELD_SETTINGS,
    "email": {**_FIELD_SETTINGS, **_PERSONAL, "prefill": TEXT},
    "mobile": {**_FIELD_SETTINGS, "prefill": TEXT},
    "personal_id": {**_FIELD_SETTINGS, "id_kinds": TEXT_LIST, "prefill": TEXT},
    "bank_account": _FIELD_SETTINGS,
    "address": {**_FIELD_SETTINGS, "max_length": WHOLE},
    "uscc": {**_FIELD_SETTINGS, "prefill": TEXT},
    "region": {**_FIELD_SETTINGS, "depth": TEXT},
    "file": {
        **_FIELD_SETTINGS,
        "file_types": TEXT_LIST,
        "max_size_mb": WHOLE,
        "max_count": WHOLE,
        "material_form": TEXT,
    },
    "group": {
        **_FIELD_SETTINGS,
        "min_rows": WHOLE,
        "max_rows": WHOLE,
        "fields": ITEM_LIST,
    },
    "consent": {"key": TEXT, "label": TEXT, "notice": TEXT},
}
# Far beyond any real form; a bound on the work one definition can cause.
MAX_ITEMS = 500
MAX_TEXT_LENGTH = 20_000
MAX_WHOLE_NUMBER = 10**9


def finite_number(text: str) -> Decimal | None:
    """A text as a finite Decimal, or None.

    Decimal() reads "NaN", "sNaN" and "Infinity", which a text answer can hold;
    ordering a NaN raises instead of answering, so they are not numbers here.
    """
    if not isinstance(text, str) or len(text) > 100:
        return None
    try:
        number = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _is_text(value) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT_LENGTH


def _has_type(value, kind: str) -> bool:
    if value is None:
        return kind not in (ITEM_LIST, CHOICES)
    if kind == TEXT:
        return _is_text(value)
    if kind == WHOLE:
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and abs(value) <= MAX_WHOLE_NUMBER
        )
    if kind == FLAG:
        return isinstance(value, bool)
    if kind == NUMBER:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return False
        return value == "" or finite_number(str(value)) is not None
    if kind == DATE:
        if value == "":
            return True
        try:
            datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            return False
        return len(value) == 10
    if kind == TEXT_LIST:
        return isinstance(value, list) and all(_is_text(part) for part in value)
    if kind == CHOICES:
        return _is_text(value) or (
            isinstance(value, list) and all(_is_text(part) for part in value)
        )
    if kind == ITEM_LIST:
        return isinstance(value, list)
    if kind == CONDITION:
        return isinstance(value, dict) and all(
            part is None
            or _is_text(part)
            or (name == "value" and _has_type(part, NUMBER))
            for name, part in value.items()
        )
    return False


EXPECTED = {
    TEXT: pgettext_lazy("expected type", "text"),
    WHOLE: pgettext_lazy("expected type", "a whole number"),
    FLAG: pgettext_lazy("expected type", "true or false"),
    NUMBER: pgettext_lazy("expected type", "a finite number"),
    DATE: pgettext_lazy("expected type", "a date (YYYY-MM-DD)"),
    TEXT_LIST: pgettext_lazy("expected type", "a list of texts"),
    ITEM_LIST: pgettext_lazy("expected type", "a list of items"),
    CONDITION: pgettext_lazy(
        "expected type", "a condition object with field, operator and value"
    ),
    CHOICES: pgettext_lazy("expected type", "a list of texts"),
}


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_contains_nul(part) for part in value)
    if isinstance(value, dict):
        return any(_contains_nul(part) for part in value.values())
    return False


def _check_types(item: dict, where: str) -> list[str]:
    """What is of the wrong type among an item's settings (nested items aside)."""
    errors = []
    for name, kind in SETTINGS[item["type"]].items():
        if name not in item:
            continue
        value = item[name]
        if not _has_type(value, kind):
            errors.append(
                _("%(where)s: '%(name)s' must be %(expected)s.")
                % {"where": where, "name": name, "expected": EXPECTED[kind]}
            )
        elif kind != ITEM_LIST and _contains_nul(value):
            errors.append(
                _("%(where)s: '%(name)s' contains a NUL character.")
                % {"where": where, "name": name}
            )
    return errors


def _type_of(item) -> str | None:
    """An item's type when it is a dict with a known type, else None."""
    if isinstance(item, dict) and isinstance(item.get("type"), str):
        return item["type"] if item["type"] in ALL_TYPES else None
    return None


def _item_name(item: dict) -> str:
    for name in ("label", "title", "heading"):
        if isinstance(item.get(name), str) and item[name].strip():
            return item[name].replace("\x00", "")[:40]
    return item["type"]


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
    value = condition.get("value")
    value = "" if value is None else str(value)
    if operator in NUMERIC_OPERATORS:
        if finite_number(value) is None:
            return [
                _("%(where)s: a number comparison needs a number.") % {"where": where}
            ]
    elif operator != "not_empty" and not value.strip():
        return [_("%(where)s: the condition needs a value.") % {"where": where}]
    return []


def _check_field(item: dict, where: str) -> list[str]:
    errors = []
    key = item.get("key") or ""
    if not KEY_PATTERN.match(key):
        errors.append(
            _("%(where)s: the key '%(key)s' is not valid.")
            % {"where": where, "key": key[:60]}
        )
    if not (item.get("label") or "").strip():
        errors.append(_("%(where)s: a label is required.") % {"where": where})
    pattern = item.get("pattern") or ""
    if pattern:
        reason = check_pattern(pattern)
        if reason:
            errors.append(
                _("%(where)s: %(reason)s") % {"where": where, "reason": reason}
            )
    if "choices" in item and not item["choices"]:
        errors.append(_("%(where)s: give at least one choice.") % {"where": where})
    if item["type"] == "group":
        if (item.get("min_rows") or 0) > (item.get("max_rows") or 1):
            errors.append(
                _("%(where)s: the minimum number of rows is above the maximum.")
                % {"where": where}
            )
        if not item.get("fields"):
            errors.append(_("%(where)s: a group needs fields.") % {"where": where})
        seen: set[str] = set()
        for position, child in enumerate(item.get("fields") or [], start=1):
            if _type_of(child) not in VALUE_TYPES - {"group", "consent"}:
                errors.append(
                    _("%(where)s: this type is not allowed in a group.")
                    % {"where": f"{where} › {position}"}
                )
                continue
            child_where = f"{where} › {_item_name(child)}"
            type_errors = _check_types(child, child_where)
            if type_errors:
                errors += type_errors
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
    """Raise DefinitionError listing everything wrong with a definition.

    Any JSON value may come in (a form file is written by anyone): every
    setting is type-checked before it is read, and each reason names its item.
    """
    errors: list[str] = []
    earlier: dict[str, dict] = {}
    if not isinstance(definition, list):
        raise DefinitionError([_("The definition must be a list of items.")])
    if len(definition) > MAX_ITEMS:
        raise DefinitionError(
            [_("The form has more than %(max)d items.") % {"max": MAX_ITEMS}]
        )
    if not any(_type_of(item) in FIELD_TYPES for item in definition):
        errors.append(_("The form has no fields."))
    for position, item in enumerate(definition, start=1):
        if _type_of(item) is None:
            errors.append(_("Item %(n)s: unknown type.") % {"n": position})
            continue
        where = _("Item %(n)s (%(label)s)") % {"n": position, "label": _item_name(item)}
        type_errors = _check_types(item, where)
        if type_errors:
            errors += type_errors
            continue
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
