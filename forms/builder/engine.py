"""The runtime of a form version: steps, conditions, validation, answers.

Everything here works from the JSON definition frozen in a FormVersion, never from
the page's current blocks, so an application is always validated, shown and
exported against the version it was filled in.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from cms.core.identifiers import (
    format_bank_account,
    mask_address,
    mask_bank_account,
    mask_identifier,
    mask_mobile,
)
from forms.applying import crypto
from forms.builder.definition import FIELD_TYPES, finite_number
from forms.builder.fields import YES_NO, build_field


@dataclass
class Entry:
    """One item of a step, with every condition that must hold for it to show."""

    item: dict
    conditions: list[dict] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        return self.item.get("key")

    @property
    def type(self) -> str:
        return self.item["type"]

    @property
    def is_field(self) -> bool:
        return self.type in FIELD_TYPES


@dataclass
class Step:
    number: int  # 1-based
    title: str
    description: str
    condition: dict | None
    entries: list[Entry]

    @property
    def field_entries(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.is_field]


def split_steps(definition: list[dict], default_title: str) -> list[Step]:
    """The steps of a definition; items before the first step form step 1."""
    steps: list[Step] = []
    current = Step(1, default_title, "", None, [])
    section_condition = None
    for item in definition:
        if item["type"] == "step":
            if current.entries or steps:
                steps.append(current)
            current = Step(
                len(steps) + 1,
                item.get("title") or default_title,
                item.get("description") or "",
                item.get("condition"),
                [],
            )
            section_condition = None
            continue
        if item["type"] == "section":
            section_condition = item.get("condition")
        conditions = [c for c in (current.condition, section_condition) if c]
        if item["type"] != "section" and item.get("condition"):
            conditions.append(item["condition"])
        current.entries.append(Entry(item, conditions))
    steps.append(current)
    return [step for step in steps if step.field_entries]


# --- conditions ---


def _as_text(value) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("number") or "")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _is_answered(value) -> bool:
    return value not in (None, "", [], {}, False)


def condition_holds(condition: dict, answers: dict) -> bool:
    value = answers.get(condition.get("field"))
    operator = condition.get("operator") or "equals"
    expected = str(condition.get("value") or "").strip()
    if operator == "not_empty":
        return _is_answered(value)
    if operator in ("equals", "not_equals", "one_of"):
        options = (
            [
                part.strip()
                for part in expected.replace("，", ",").replace("、", ",").split(",")
            ]
            if operator == "one_of"
            else [expected]
        )
        given = (
            [_as_text(v) for v in value]
            if isinstance(value, list)
            else [_as_text(value)]
        )
        found = any(option in given for option in options if option)
        return not found if operator == "not_equals" else found
    number, limit = finite_number(_as_text(value)), finite_number(expected)
    if number is None or limit is None:
        return False
    return {
        "gt": number > limit,
        "gte": number >= limit,
        "lt": number < limit,
        "lte": number <= limit,
    }.get(operator, False)


def is_visible(entry_or_step, answers: dict) -> bool:
    conditions = (
        entry_or_step.conditions
        if isinstance(entry_or_step, Entry)
        else [entry_or_step.condition]
        if entry_or_step.condition
        else []
    )
    return all(condition_holds(condition, answers) for condition in conditions)


# --- one step's form ---


class StepForm(forms.Form):
    """A step's fields, validated in order so conditions see earlier answers.

    A field whose conditions do not hold is neither required nor kept: it is
    skipped before validation and left out of cleaned_data.
    """

    def __init__(
        self, step: Step, earlier_answers: dict, *args, files_by_key=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.step = step
        self.earlier_answers = earlier_answers
        self.hidden_keys: set[str] = set()
        for entry in step.field_entries:
            form_field = build_field(entry.item)
            if entry.type == "file":
                form_field.set_existing((files_by_key or {}).get(entry.key, []))
            self.fields[entry.key] = form_field

    def full_clean(self):
        self._errors = ErrorDict()
        if not self.is_bound:
            return
        self.cleaned_data = {}
        answers = dict(self.earlier_answers)
        for entry in self.step.field_entries:
            if not is_visible(entry, answers):
                self.hidden_keys.add(entry.key)
                answers.pop(entry.key, None)
                continue
            form_field = self.fields[entry.key]
            raw = form_field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix(entry.key)
            )
            try:
                value = form_field.clean(raw)
            except ValidationError as error:
                self.add_error(entry.key, error)
                continue
            self.cleaned_data[entry.key] = value
            if entry.type != "file":
                answers[entry.key] = canonical(entry.type, value)

    def rows(self):
        """Items to render in order: (entry, bound field or None)."""
        for entry in self.step.entries:
            yield entry, self[entry.key] if entry.is_field else None


def canonical(kind: str, value):
    """A cleaned value as JSON (files excluded): what conditions and answers use."""
    if value in (None, ""):
        return None
    if isinstance(value, Decimal):
        return (
            format(value.normalize(), "f")
            if value == value.to_integral()
            else str(value)
        )
    if isinstance(value, date):
        return value.isoformat()
    if kind == "group":
        return [{key: canonical("", sub) for key, sub in row.items()} for row in value]
    if kind == "consent":
        return bool(value)
    return value


# --- the whole application ---


def step_input_names(step: Step, post) -> list[str]:
    """Names in a POST that belong to a step's fields (key or key-...)."""
    keys = [entry.key for entry in step.field_entries]
    return [
        name
        for name in post
        if any(name == key or name.startswith(f"{key}-") for key in keys)
    ]


def merge_step_data(data: dict, step: Step, post) -> dict:
    """Replace a step's stored inputs with the posted ones (files aside)."""
    keys = [entry.key for entry in step.field_entries]
    kept = {
        name: values
        for name, values in data.items()
        if not any(name == key or name.startswith(f"{key}-") for key in keys)
    }
    for name in step_input_names(step, post):
        if not name.endswith("-remove"):
            kept[name] = post.getlist(name)
    return kept


@dataclass
class Evaluation:
    """The result of validating every step of an application."""

    answers: dict
    errors_by_step: dict[int, dict]
    visible_steps: list[Step]

    @property
    def is_valid(self) -> bool:
        return not self.errors_by_step


def evaluate(steps: list[Step], data: dict, files_by_key: dict) -> Evaluation:
    """Validate every visible step against stored data; collect canonical answers."""
    answers: dict = {}
    errors: dict[int, dict] = {}
    visible: list[Step] = []
    bound = MultiValueDict(data)
    for step in steps:
        if not is_visible(step, answers):
            continue
        visible.append(step)
        form = StepForm(step, answers, data=bound, files={}, files_by_key=files_by_key)
        if not form.is_valid():
            errors[step.number] = form.errors
        for entry in step.field_entries:
            if entry.key in form.cleaned_data and entry.type != "file":
                answers[entry.key] = canonical(entry.type, form.cleaned_data[entry.key])
    return Evaluation(answers, errors, visible)


# --- personal data at rest (docs/security.md G2) ---

# Always personal data: their answers are sealed whatever the builder says.
SEALED_TYPES = {"mobile", "bank_account", "address"}
# Types whose block has the builder's "personal data" flag (forms/builder/blocks.py).
FLAGGABLE_TYPES = {"short_text", "long_text", "number", "date", "email"}


def is_sealed(item: dict) -> bool:
    """Is this field's answer encrypted one by one (ID numbers aside)?"""
    kind = item.get("type")
    return kind in SEALED_TYPES or (
        kind in FLAGGABLE_TYPES and bool(item.get("personal"))
    )


def mask_answer(item: dict, value) -> str:
    """The masked text of a plain answer of a sealed field."""
    text = str(value)
    kind = item.get("type")
    if kind == "mobile":
        return mask_mobile(text)
    if kind == "bank_account":
        return mask_bank_account(text)
    if kind == "address":
        return mask_address(text)
    if kind == "date":
        return text[:4] + "-**-**"
    if kind == "email":
        local, _at, domain = text.partition("@")
        return f"{local[:1]}***@{domain}" if domain else "***"
    if kind == "number":
        return "***"
    return (text[:1] + "***") if len(text) > 1 else "*"


def seal_value(item: dict, value):
    """A plain answer of a sealed field as {"masked", "cipher"}; empty stays."""
    if value in (None, "", []) or (isinstance(value, dict) and "cipher" in value):
        return value
    return {"masked": mask_answer(item, value), "cipher": crypto.encrypt(value)}


def unseal_value(value):
    """The plain answer of a sealed value (a plain one is returned as it is)."""
    if isinstance(value, dict) and "cipher" in value and "kind" not in value:
        return crypto.decrypt(value["cipher"])
    return value


def seal_answers(definition: list[dict], answers: dict) -> tuple[dict, str]:
    """Encrypt ID numbers and other personal data inside answers; return them
    and the first ID's digest (its blind index, for lookups)."""
    sealed, first_digest = {}, ""
    types = {item.get("key"): item for item in definition}

    def seal_id(value):
        nonlocal first_digest
        if not value or "cipher" in value:
            return value
        if not first_digest:
            first_digest = crypto.blind_index(value["number"])
        return {
            "kind": value["kind"],
            "masked": mask_identifier(value["number"]),
            "cipher": crypto.encrypt(value["number"]),
        }

    def seal(item: dict, value):
        if item.get("type") == "personal_id":
            return seal_id(value)
        return seal_value(item, value) if is_sealed(item) else value

    for key, value in answers.items():
        item = types.get(key, {})
        if item.get("type") == "group":
            subitems = {child["key"]: child for child in item["fields"]}
            sealed[key] = [
                {
                    sub: seal(subitems[sub], v) if sub in subitems else v
                    for sub, v in row.items()
                }
                for row in value or []
            ]
        else:
            sealed[key] = seal(item, value)
    return sealed, first_digest


# --- showing answers ---


def display(item: dict, value, *, reveal: bool = False) -> str:
    """An answer as text; personal data masked unless revealed."""
    kind = item["type"]
    if value in (None, "", []):
        return ""
    if kind == "personal_id":
        if reveal and value.get("cipher"):
            return crypto.decrypt(value["cipher"])
        if "number" in value:  # not sealed yet (check-your-answers page)
            return value["number"] if reveal else mask_identifier(value["number"])
        return value.get("masked", "")
    if isinstance(value, dict) and "cipher" in value:
        if not reveal:
            return value.get("masked", "")
        try:
            value = crypto.decrypt(value["cipher"])
        except crypto.InvalidToken:
            return value.get("masked", "")
    elif is_sealed(item) and not reveal:  # not sealed yet
        return mask_answer(item, value)
    if kind == "bank_account":
        return format_bank_account(str(value))
    if kind == "yes_no":
        return str(dict(YES_NO).get(value, value))
    if kind == "multiple_choice":
        return "、".join(value)
    if kind == "region":
        return value.get("name", "")
    if kind == "consent":
        return _("Agreed")
    return str(value)


def answer_rows(
    definition: list[dict], answers: dict, files_by_key: dict, *, reveal: bool = False
) -> list[dict]:
    """Label/value rows of an application, in definition order, for pages and PDFs."""
    rows = []
    for item in definition:
        kind = item["type"]
        if kind in ("step", "section"):
            rows.append({"heading": item.get("title") or item.get("heading")})
            continue
        if kind not in FIELD_TYPES:
            continue
        key = item["key"]
        if kind == "file":
            files = files_by_key.get(key, [])
            if files:
                rows.append({"label": item["label"], "files": files})
            continue
        if key not in answers:
            continue
        if kind == "group":
            subitems = item["fields"]
            rows.append(
                {
                    "label": item["label"],
                    "table": {
                        "header": [sub["label"] for sub in subitems],
                        "rows": [
                            [
                                display(sub, row.get(sub["key"]), reveal=reveal)
                                for sub in subitems
                            ]
                            for row in answers[key] or []
                        ],
                    },
                }
            )
            continue
        rows.append(
            {
                "label": item["label"],
                "value": display(item, answers[key], reveal=reveal),
            }
        )
    # Headings with nothing under them are noise.
    return [
        row
        for index, row in enumerate(rows)
        if "heading" not in row
        or (index + 1 < len(rows) and "heading" not in rows[index + 1])
    ]
