"""What a field type is, and the registry that finds one by its name.

A field type is one subclass of ``FieldType`` registered with ``@register``: the
block the builder offers, the settings its definition item may carry, the Django
field that cleans an answer, the answer as JSON, how personal data in it is
sealed and masked (docs/security.md G2), and how it reads on a page and in an
export. Everything that handles answers asks the registry (``type_of(item)``)
rather than testing type names, so a new type is one module and its test.
"""

from collections.abc import Callable, Iterator, Set
from datetime import date
from decimal import Decimal
from typing import Protocol, cast

from django import forms
from wagtail import blocks

from cms.core import crypto
from forms.builder.field_types.parts import KEY_PATTERN, OPERATORS

# The JSON type of each setting an item may carry (checked before anything reads
# a definition from a file, see forms/builder/definition.py).
TEXT, WHOLE, FLAG, NUMBER, DATE = "text", "whole number", "yes/no", "number", "date"
TEXT_LIST, ITEM_LIST, CONDITION, CHOICES = "texts", "items", "condition", "choices"
FIELD_SETTINGS = {
    "key": TEXT,
    "label": TEXT,
    "help_text": TEXT,
    "required": FLAG,
    "condition": CONDITION,
}
TEXT_SETTINGS = {"pattern": TEXT, "pattern_message": TEXT, "max_length": WHOLE}
# The builder's "personal data" flag (sealed and masked like an ID number).
PERSONAL = {"personal": FLAG}

OPERATOR_NAMES = tuple(name for name, _label in OPERATORS)
# What the profile offers to prefill; "id_number" is the applicant's last ID,
# which only an identity field takes.
PROFILE_SOURCES = frozenset(
    {"real_name", "mobile", "email", "employer_name", "employer_uscc"}
)


class Sealing:
    """What sealing one application's answers found: its first ID's blind index."""

    def __init__(self):
        self.first_digest = ""


class HoldsFiles(Protocol):
    """The Django field of a type that ``stores_files`` (upload.py's
    MaterialField): it is shown the files already stored and takes at most
    ``max_count`` of them."""

    max_count: int
    accepted: list  # checked uploads to keep when the field failed on others

    def set_existing(self, files) -> None: ...


def files_field(field: forms.Field) -> HoldsFiles:
    """The form field of a ``stores_files`` item, typed as such: its type's
    ``form_field`` builds a HoldsFiles, which forms.Fields cannot say."""
    return cast(HoldsFiles, field)


class FieldType:
    """One answerable field type. Subclasses set the attributes and override the
    methods that differ; the defaults describe a plain text answer."""

    name = ""  # the block name and the definition item's "type"
    block_class: type[blocks.StructBlock] | None = None
    settings: dict[str, str] = FIELD_SETTINGS
    # Place in the builder's block menu (and the StreamField's block order).
    menu_order = 1000
    in_group = True  # may be a column of a repeatable group
    has_answer = True  # kept in the answers JSON (uploads are stored as files)
    stores_files = False  # its form_field is a HoldsFiles
    nests_fields = False  # its item has "fields", a list of items
    # Operators a condition on this field's answer may use; none: no condition
    # can depend on it.
    condition_operators: tuple[str, ...] = OPERATOR_NAMES
    prefill_sources: frozenset[str] = PROFILE_SOURCES
    # Its answers name a category worth counting or showing (a tier, an
    # industry): one of a list, or a short text.
    category = False
    # Personal data (docs/security.md G2): always, when the builder flags it,
    # or an identity document sealed with its blind index.
    always_personal = False
    flaggable = False
    identity = False

    # --- the block and the definition ---

    def new_block(self) -> blocks.StructBlock:
        if self.block_class is None:
            raise TypeError(f"The field type {self.name!r} has no block")
        return self.block_class()

    @property
    def has_condition(self) -> bool:
        # A type without a block (PLAIN) has no condition setting either.
        return (
            self.block_class is not None and "condition" in self.block_class.base_blocks
        )

    def check(self, item: dict, where: str) -> list[str]:
        """Reasons this (type-checked) item cannot be used, besides the common ones."""
        return []

    # --- the applicant's form ---

    def form_field(self, item: dict, **common) -> forms.Field:
        """The Django field; ``common`` holds label, help_text and required."""
        raise NotImplementedError

    def canonical(self, item: dict, value):
        """A cleaned value as JSON: what conditions and the answers keep."""
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
        return value

    def prefill_inputs(self, item: dict, value) -> dict[str, list[str]]:
        """Draft inputs (named as the widget posts them) holding ``value``."""
        return {item["key"]: [value]}

    # --- personal data at rest ---

    def is_sealed(self, item: dict) -> bool:
        """Is the answer encrypted one by one as {"masked", "cipher"}?"""
        return self.always_personal or (self.flaggable and bool(item.get("personal")))

    def mask(self, text: str) -> str:
        return (text[:1] + "***") if len(text) > 1 else "*"

    def seal(self, item: dict, value, sealing: Sealing):
        return seal_value(item, value) if self.is_sealed(item) else value

    def unseal(self, item: dict, value):
        """A stored answer as the field's widget shows it (decrypted)."""
        return unseal_value(value) if self.is_sealed(item) else value

    def holds_identity(self, item: dict) -> bool:
        return self.identity

    def sealed_identity(self, item: dict, value) -> dict | None:
        """The sealed ID answer inside a stored value, if any."""
        return None

    # --- showing and exporting ---

    def text(self, item: dict, value) -> str:
        """A plain (unsealed, non-empty) answer as text."""
        return str(value)

    def display(self, item: dict, value, *, reveal: bool) -> str:
        """A non-empty stored or cleaned answer as text; masked unless revealed."""
        if isinstance(value, dict) and "cipher" in value:
            if not reveal:
                return value.get("masked", "")
            try:
                value = crypto.decrypt(value["cipher"])
            except crypto.InvalidToken:
                return value.get("masked", "")
        elif self.is_sealed(item) and not reveal:  # not sealed yet
            return self.mask(str(value))
        return self.text(item, value)

    def answer_row(
        self, item: dict, answers: dict, files_by_key: dict, *, reveal: bool
    ) -> dict | None:
        """The label/value row of a case page and its PDF; None to show nothing."""
        if item["key"] not in answers:
            return None
        value = display_answer(item, answers[item["key"]], reveal=reveal)
        return {"label": item["label"], "value": value}

    def export_text(self, item: dict, value, files: list, *, reveal: bool) -> str:
        """The export cell; ``files`` are the application's files of this field."""
        return display_answer(item, value, reveal=reveal)


PLAIN = FieldType()  # what an item of no registered type is treated as
_REGISTRY: dict[str, FieldType] = {}


def register(cls: type[FieldType]) -> type[FieldType]:
    """Class decorator: make a field type known under its name."""
    if not KEY_PATTERN.match(cls.name or ""):
        raise ValueError(f"A field type needs a name like a key, not {cls.name!r}")
    if cls.name in _REGISTRY and type(_REGISTRY[cls.name]) is not cls:
        raise ValueError(f"The field type {cls.name!r} is registered already")
    _REGISTRY[cls.name] = cls()
    return cls


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def field_types() -> list[FieldType]:
    """Every registered type, in the builder's menu order."""
    return sorted(_REGISTRY.values(), key=lambda kind: kind.menu_order)


def field_blocks(*, in_group: bool = False) -> list[tuple[str, blocks.Block]]:
    """New blocks of the registered types (those allowed in a group, or all)."""
    return [
        (kind.name, kind.new_block())
        for kind in field_types()
        if kind.in_group or not in_group
    ]


def registered(name) -> FieldType | None:
    return _REGISTRY.get(name) if isinstance(name, str) else None


def type_of(item: dict) -> FieldType:
    """The type of a definition item; PLAIN for one of no registered type."""
    return (registered(item.get("type")) or PLAIN) if item else PLAIN


def type_named(name: str) -> FieldType:
    return _REGISTRY.get(name, PLAIN)


class TypeNames(Set):
    """The names of the registered types that pass a test, read when asked."""

    def __init__(self, test: Callable[[FieldType], bool]):
        self.test = test

    def _names(self) -> list[str]:
        return [kind.name for kind in field_types() if self.test(kind)]

    def __contains__(self, name) -> bool:
        kind = registered(name)
        return kind is not None and self.test(kind)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    @classmethod
    def _from_iterable(cls, iterable):
        return frozenset(iterable)


# --- what every consumer calls ---


def build_field(item: dict) -> forms.Field:
    """A Django field for one definition item (not layout items)."""
    kind = registered(item["type"])
    if kind is None:
        raise ValueError(f"Unknown field type {item['type']!r}")
    return kind.form_field(
        item,
        label=item.get("label", ""),
        help_text=item.get("help_text", ""),
        required=bool(item.get("required", True)),
    )


def display_answer(item: dict, value, *, reveal: bool = False) -> str:
    """An answer as text; personal data masked unless revealed."""
    if value in (None, "", []):
        return ""
    return type_of(item).display(item, value, reveal=reveal)


def seal_value(item: dict, value):
    """A plain answer of a sealed field as {"masked", "cipher"}; empty stays."""
    if value in (None, "", []) or (isinstance(value, dict) and "cipher" in value):
        return value
    masked = type_of(item).mask(str(value))
    return {"masked": masked, "cipher": crypto.encrypt(value)}


def unseal_value(value):
    """The plain answer of a sealed value (a plain one is returned as it is)."""
    if isinstance(value, dict) and "cipher" in value and "kind" not in value:
        return crypto.decrypt(value["cipher"])
    return value
