"""The runtime of a form version: steps, conditions, validation, answers.

Everything here works from the JSON definition frozen in a FormVersion, never from
the page's current blocks, so an application is always validated, shown and
exported against the version it was filled in.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.datastructures import MultiValueDict

from forms.builder.definition import condition_values, finite_number
from forms.builder.field_types import (
    FieldType,
    Sealing,
    build_field,
    display_answer,
    files_field,
    registered,
    type_named,
    type_of,
)
from forms.builder.field_types import unseal_value as unseal_value  # re-exported


@dataclass
class Entry:
    """One item of a step, with every condition that must hold for it to show."""

    item: dict
    conditions: list[dict] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        return self.item.get("key")

    @property
    def field_key(self) -> str:
        """The key of a field entry: validate_definition gives every field
        item one before a definition is stored (layout items have none)."""
        key = self.item.get("key")
        assert key is not None, "a field item without a key"
        return key

    @property
    def type(self) -> str:
        return self.item["type"]

    @property
    def field_type(self) -> FieldType:
        return type_of(self.item)

    @property
    def is_field(self) -> bool:
        return registered(self.type) is not None


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
        options = condition_values(expected, operator)
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
            if entry.field_type.stores_files:
                existing = (files_by_key or {}).get(entry.field_key, [])
                files_field(form_field).set_existing(existing)
            self.fields[entry.field_key] = form_field

    def full_clean(self):
        self._errors = ErrorDict()
        if not self.is_bound:
            return
        self.cleaned_data = {}
        answers = dict(self.earlier_answers)
        for entry in self.step.field_entries:
            key = entry.field_key
            if not is_visible(entry, answers):
                self.hidden_keys.add(key)
                answers.pop(key, None)
                continue
            form_field = self.fields[key]
            raw = form_field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix(key)
            )
            try:
                value = form_field.clean(raw)
            except ValidationError as error:
                self.add_error(key, error)
                continue
            self.cleaned_data[key] = value
            if entry.field_type.has_answer:
                answers[key] = canonical(entry.type, value, entry.item)

    def rows(self):
        """Items to render in order: (entry, bound field or None)."""
        for entry in self.step.entries:
            yield entry, self[entry.field_key] if entry.is_field else None


def canonical(kind: str, value, item: dict | None = None):
    """A cleaned value as JSON (files excluded): what conditions and answers use."""
    return type_named(kind).canonical(item or {"type": kind}, value)


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
            if entry.key in form.cleaned_data and entry.field_type.has_answer:
                value = form.cleaned_data[entry.key]
                answers[entry.key] = canonical(entry.type, value, entry.item)
    return Evaluation(answers, errors, visible)


# --- personal data at rest (docs/security.md G2) ---
# Each field type says whether its answer is personal data and how it is
# sealed and masked (forms/builder/field_types/).


def seal_answers(definition: list[dict], answers: dict) -> tuple[dict, str]:
    """Encrypt ID numbers and other personal data inside answers; return them
    and the first ID's digest (its blind index, for lookups)."""
    items = {item.get("key"): item for item in definition}
    sealing = Sealing()
    sealed = {}
    for key, value in answers.items():
        item = items.get(key, {})
        sealed[key] = type_of(item).seal(item, value, sealing)
    return sealed, sealing.first_digest


# --- showing answers ---

display = display_answer  # an answer as text, masked unless revealed


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
        field_type = registered(kind)
        if field_type is None:
            continue
        row = field_type.answer_row(item, answers, files_by_key, reveal=reveal)
        if row is not None:
            rows.append(row)
    # Headings with nothing under them are noise.
    return [
        row
        for index, row in enumerate(rows)
        if "heading" not in row
        or (index + 1 < len(rows) and "heading" not in rows[index + 1])
    ]
