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
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from forms.builder.field_types import FIELD_TYPES as FIELD_TYPES  # re-exported
from forms.builder.field_types import VALUE_TYPES as VALUE_TYPES  # re-exported
from forms.builder.field_types import FieldType, field_types, registered
from forms.builder.field_types.base import (
    CHOICES,
    CONDITION,
    DATE,
    FLAG,
    ITEM_LIST,
    NUMBER,
    TEXT,
    TEXT_LIST,
    WHOLE,
)
from forms.builder.field_types.parts import KEY_PATTERN, OPERATORS
from forms.builder.patterns import check_pattern

# Items that only arrange the form: no key, no answer.
LAYOUT_SETTINGS: dict[str, dict[str, str]] = {
    "step": {"title": TEXT, "description": TEXT, "condition": CONDITION},
    "section": {"heading": TEXT, "text": TEXT, "condition": CONDITION},
    "explanation": {"text": TEXT, "condition": CONDITION},
}
LAYOUT_TYPES = frozenset(LAYOUT_SETTINGS)
NUMERIC_OPERATORS = {"gt", "gte", "lt", "lte"}
OPERATOR_NAMES = {name for name, _label in OPERATORS}


class DefinitionError(ValueError):
    """A definition that cannot be used, with every reason found."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _normalise_item(
    block_type: str, block_id: str | None, value: dict, make_keys: bool = True
) -> dict:
    item = {"type": block_type, **_jsonable(value)}
    # Only a set flag is kept, so the definitions (and version digests) of
    # forms built before the flag existed stay as they were.
    if not item.get("personal"):
        item.pop("personal", None)
    field_type = registered(block_type)
    if field_type is not None and make_keys:
        item["key"] = item.get("key") or f"f_{(block_id or '').replace('-', '')[:8]}"
    condition = item.get("condition")
    if not condition or not condition.get("field"):
        item["condition"] = None
    if isinstance(item.get("choices"), str):
        item["choices"] = [
            line.strip() for line in item["choices"].splitlines() if line.strip()
        ]
    if field_type is not None and field_type.nests_fields:
        item["fields"] = [
            _normalise_item(child["type"], child.get("id"), child["value"], make_keys)
            for child in item.get("fields") or []
        ]
    return item


def definition_from_stream(stream_value, make_keys: bool = True) -> list[dict]:
    """The JSON definition of a page's form StreamField value; a field without
    a key is given ``f_<block id>`` unless ``make_keys`` is false."""
    items = []
    for child in stream_value:
        value = child.block.get_prep_value(child.value)
        items.append(_normalise_item(child.block_type, child.id, value, make_keys))
    return items


def _stream_value(item: dict) -> dict:
    value = {k: v for k, v in item.items() if k != "type"}
    choices = value.get("choices")
    if isinstance(choices, list):
        if all(isinstance(choice, str) for choice in choices):
            value["choices"] = "\n".join(choices)
        else:
            # Only where choices are no setting of the type: they were checked
            # as texts wherever they are (validate_definition runs first).
            value.pop("choices")
    field_type = registered(item["type"])
    if field_type is not None and not field_type.has_condition:
        value.pop("condition", None)
    else:
        value["condition"] = value.get("condition") or {
            "field": "",
            "operator": "equals",
            "value": "",
        }
    if field_type is not None and field_type.nests_fields:
        value["fields"] = [
            {"type": child["type"], "value": _stream_value(child)}
            for child in item.get("fields") or []
        ]
    return value


def stream_data_from_definition(definition: list[dict]) -> list[dict]:
    """Raw StreamField data for a definition (the reverse of definition_from_stream)."""
    return [{"type": item["type"], "value": _stream_value(item)} for item in definition]


class _Settings(Mapping):
    """The JSON type of every setting an item may carry, per item type: a
    definition from a file is checked against these before anything reads it,
    so a number where a list belongs is a reason given back, not a traceback.
    None stands for "not given" and lets the block apply its default or its own
    "required" rule. Field types declare theirs (FieldType.settings)."""

    def __getitem__(self, name: str) -> dict[str, str]:
        if name in LAYOUT_SETTINGS:
            return LAYOUT_SETTINGS[name]
        field_type = registered(name)
        if field_type is None:
            raise KeyError(name)
        return field_type.settings

    def __iter__(self) -> Iterator[str]:
        yield from LAYOUT_SETTINGS
        yield from (kind.name for kind in field_types())

    def __len__(self) -> int:
        return len(LAYOUT_SETTINGS) + len(field_types())


SETTINGS: Mapping[str, dict[str, str]] = _Settings()
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
        kind = item["type"]
        return kind if kind in LAYOUT_TYPES or registered(kind) else None
    return None


def _item_name(item: dict) -> str:
    for name in ("label", "title", "heading"):
        if isinstance(item.get(name), str) and item[name].strip():
            return item[name].replace("\x00", "")[:40]
    return item["type"]


# What can be wrong with a condition, and the part of its block to blame.
MISSING, LATER, NO_SOURCE, NO_OPERATOR = "missing", "later", "no source", "operator"
NOT_A_NUMBER, NO_VALUE, NOT_A_CHOICE = "not a number", "no value", "not a choice"
FAULT_PART = {
    MISSING: "field",
    LATER: "field",
    NO_SOURCE: "field",
    NO_OPERATOR: "operator",
    NOT_A_NUMBER: "value",
    NO_VALUE: "value",
    NOT_A_CHOICE: "value",
}
YES_NO_VALUES = ("yes", "no")


def condition_values(value: str, operator: str) -> list[str]:
    """The values a condition compares with: 'is one of' takes a list, split
    at commas (ASCII or Chinese) and enumeration commas, as the runtime does."""
    if operator != "one_of":
        return [value.strip()]
    parts = value.replace("，", ",").replace("、", ",").split(",")
    return [part.strip() for part in parts if part.strip()]


def condition_fault(
    condition: dict, earlier: Mapping, later: Mapping | None = None
) -> tuple[str, dict] | None:
    """What is wrong with a (type-checked) condition, as (fault, source item),
    or None. ``earlier`` maps the keys of the fields before the item to their
    items, ``later`` those after it (to tell a later field from a missing one)."""
    field, operator = condition.get("field"), condition.get("operator") or "equals"
    source = earlier.get(field)
    if source is None:
        if later and field in later:
            return LATER, later[field]
        return MISSING, {}
    source_type = registered(source["type"])
    # Only items of a registered type are kept in ``earlier``.
    assert source_type is not None
    allowed = source_type.condition_operators
    if not allowed:
        return NO_SOURCE, source
    if operator not in OPERATOR_NAMES or operator not in allowed:
        return NO_OPERATOR, source
    value = condition.get("value")
    value = "" if value is None else str(value)
    if operator in NUMERIC_OPERATORS:
        return (NOT_A_NUMBER, source) if finite_number(value) is None else None
    if operator == "not_empty":
        return None
    values = condition_values(value, operator)
    if not values:
        return NO_VALUE, source
    offered = source_choices(source)
    if offered is not None and any(part not in offered for part in values):
        return NOT_A_CHOICE, source
    return None


def source_choices(item: dict) -> list[str] | None:
    """The answers a choice or yes/no field can give (what a condition on it
    may compare with), or None for a field answered freely."""
    if item.get("type") == "yes_no":
        return list(YES_NO_VALUES)
    choices = item.get("choices")
    if isinstance(choices, str):
        return [line.strip() for line in choices.splitlines() if line.strip()]
    return list(choices) if isinstance(choices, list) else None


def _check_condition(
    item: dict, earlier: dict[str | None, dict], where: str
) -> list[str]:
    condition = item.get("condition")
    if not condition:
        return []
    if not isinstance(condition, dict):
        return [
            _("%(where)s: '%(name)s' must be %(expected)s.")
            % {"where": where, "name": "condition", "expected": EXPECTED[CONDITION]}
        ]
    found = condition_fault(condition, earlier)
    if found is None:
        return []
    fault, _source = found
    messages = {
        MISSING: _(
            "%(where)s: the condition refers to '%(field)s', which is not an "
            "earlier field."
        ),
        NO_SOURCE: _("%(where)s: a condition cannot depend on a file or group field."),
        NO_OPERATOR: _("%(where)s: unknown operator."),
        NOT_A_NUMBER: _("%(where)s: a number comparison needs a number."),
        NO_VALUE: _("%(where)s: the condition needs a value."),
        NOT_A_CHOICE: _(
            "%(where)s: the condition compares with '%(value)s', which is not "
            "one of the answers of '%(field)s'."
        ),
    }
    return [
        messages[fault]
        % {
            "where": where,
            "field": condition.get("field"),
            "value": str(condition.get("value"))[:60],
        }
    ]


def _check_field(item: dict, field_type: FieldType, where: str) -> list[str]:
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
    errors += field_type.check(item, where)
    if field_type.nests_fields:
        errors += _check_nested(item, where)
    return errors


def _check_nested(item: dict, where: str) -> list[str]:
    """The items of a group: types allowed in a group, no conditions, keys once."""
    errors = []
    seen: set[str] = set()
    for position, child in enumerate(item.get("fields") or [], start=1):
        child_type = registered(_type_of(child))
        if child_type is None or not child_type.in_group:
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
        errors += _check_field(child, child_type, child_where)
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
    # A field without a key is reported and kept under None.
    earlier: dict[str | None, dict] = {}
    if not isinstance(definition, list):
        raise DefinitionError([_("The definition must be a list of items.")])
    if len(definition) > MAX_ITEMS:
        raise DefinitionError(
            [_("The form has more than %(max)d items.") % {"max": MAX_ITEMS}]
        )
    if not any(registered(_type_of(item)) for item in definition):
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
        field_type = registered(item["type"])
        if field_type is not None:
            errors += _check_field(item, field_type, where)
            if item.get("key") in earlier:
                errors.append(
                    _("%(where)s: the key '%(key)s' is used twice.")
                    % {"where": where, "key": item.get("key")}
                )
            earlier[item.get("key")] = item
    if errors:
        raise DefinitionError(errors)
