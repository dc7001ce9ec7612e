"""Live Django form fields built from definition items (see forms/builder/definition.py).

Every input of a field is named after its key: ``key`` itself or ``key-<part>``
(MultiWidget parts, group rows ``key-<row>-<subkey>``). Keys match
``[a-z][a-z0-9_]*``, so ``key-`` never collides with another field.
"""

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.core.identifiers import (
    mobile_key,
    normalize_bank_account,
    normalize_code,
    validate_bank_account,
    validate_mobile,
    validate_resident_id,
)
from cms.core.identifiers import validate_uscc as validate_uscc_code
from forms.applying.uploads import check_upload
from forms.builder.blocks import ID_KINDS
from forms.builder.patterns import PatternValidator

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
REGIONS_FILE = Path(__file__).parent / "data" / "regions.json"
# The source and date of regions.json, and the codes that left it mapped to
# their successors (manage.py refresh_regions writes both).
REGION_HISTORY_FILE = Path(__file__).parent / "data" / "region_history.json"

# Travel and residence documents of overseas talent (E1): format only, as no
# check digit is published for them.
ID_PATTERNS = {
    "passport": re.compile(r"^[A-Z0-9]{5,17}$"),
    # 港澳居民来往内地通行证: H or M and 8 (or 10) digits.
    "hk_macau": re.compile(r"^[HM]\d{8}(\d{2})?$"),
    # 台湾居民来往大陆通行证: 8 digits (or 10 with the issue count).
    "taiwan": re.compile(r"^\d{8}(\d{2})?$"),
    # 外国人永久居留身份证: 2017 format (15: 3 letters + 12 digits) or 2023 (18).
    "foreign_permanent": re.compile(r"^([A-Z]{3}\d{12}|9\d{16}[\dX])$"),
}


def validate_identity(kind: str, number: str) -> None:
    if kind == "resident":
        validate_resident_id(number)
    elif not ID_PATTERNS[kind].match(number):
        raise ValidationError(
            _("This is not a valid %(document)s number.")
            % {"document": dict(ID_KINDS)[kind]}
        )


class PartsWidget(forms.MultiWidget):
    """A MultiWidget whose inputs are named ``name-<part>``."""

    def __init__(self, widgets: dict, attrs=None):
        super().__init__(widgets, attrs)
        self.widgets_names = [f"-{part}" for part in widgets]


class IdentityWidget(PartsWidget):
    def __init__(self, kinds: list[str]):
        choices = [(kind, label) for kind, label in ID_KINDS if kind in kinds]
        super().__init__(
            {
                "kind": forms.Select(choices=choices),
                "number": forms.TextInput(
                    attrs={"autocomplete": "off", "spellcheck": "false"}
                ),
            }
        )

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("kind"), value.get("number")]
        return [None, None]


class IdentityField(forms.MultiValueField):
    """A document type and its number; the resident ID is checked by GB 11643."""

    def __init__(self, kinds: list[str], **kwargs):
        self.kinds = kinds or ["resident"]
        fields = (
            forms.ChoiceField(choices=[(kind, kind) for kind in self.kinds]),
            forms.CharField(max_length=30),
        )
        super().__init__(
            fields,
            widget=IdentityWidget(self.kinds),
            require_all_fields=True,
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list or not data_list[1]:
            return None
        kind, number = data_list[0], normalize_code(data_list[1])
        validate_identity(kind, number)
        return {"kind": kind, "number": number}


@cache
def regions() -> list[dict]:
    """Provinces, cities and districts of today (region_history.json says the
    source and its date)."""
    return json.loads(REGIONS_FILE.read_text(encoding="utf-8"))


@cache
def region_history() -> dict:
    return json.loads(REGION_HISTORY_FILE.read_text(encoding="utf-8"))


def current_region_code(code: str | None) -> str | None:
    """The code today of a division that may have been abolished or renumbered
    since an answer was given (350182 长乐市 → 350112 长乐区); None if unknown."""
    if not code:
        return None
    code = str(code)
    if code in region_index():
        return code
    old = region_history()["successors"].get(code)
    return old["successor"] if old else None


@cache
def region_index() -> dict[str, tuple[str, str | None]]:
    """code -> (name, parent code)."""
    index: dict[str, tuple[str, str | None]] = {}
    for province in regions():
        index[province["code"]] = (province["name"], None)
        for city in province["children"]:
            index[city["code"]] = (city["name"], province["code"])
            for district in city["children"]:
                index[district["code"]] = (district["name"], city["code"])
    return index


def region_name(code: str) -> str:
    """福建省 福州市 长乐区; an abolished code reads as its successor's today."""
    names, index = [], region_index()
    code = current_region_code(code) or ""
    while code:
        name, code = index[code]
        names.insert(0, name)
    return " ".join(names)


REGION_LEVELS = {"province": 1, "city": 2, "district": 3}
REGION_PARTS = ("province", "city", "district")


@cache
def _region_options(level: int) -> str:
    """The <option>s of one level, rendered once per process: ~3,300 options
    through Django's per-option templates cost a third of a second a page."""
    empty = '<option value="">—</option>'
    if level == 0:
        items = [(p["code"], p["name"]) for p in regions()]
        return empty + "".join(
            f'<option value="{code}">{escape(name)}</option>' for code, name in items
        )
    groups = []
    for province in regions():
        parents = [province] if level == 1 else province["children"]
        for parent in parents:
            children = parent["children"]
            if not children:
                continue
            label = (
                parent["name"] if level == 1 else f"{province['name']} {parent['name']}"
            )
            options = "".join(
                f'<option value="{child["code"]}">{escape(child["name"])}</option>'
                for child in children
            )
            groups.append(f'<optgroup label="{escape(label)}">{options}</optgroup>')
    return empty + "".join(groups)


def region_chain(code: str | None) -> list[str]:
    """[province, city, district] codes down to ``code`` (or its successor)."""
    chain, index = [], region_index()
    code = current_region_code(code)
    while code and code in index:
        chain.insert(0, code)
        code = index[code][1]
    return chain


class RegionWidget(forms.Widget):
    """Cascading selects named ``name-province``, ``name-city``, ``name-district``;
    script filters the lower levels, without it their optgroups do."""

    def __init__(self, depth: str, attrs=None):
        super().__init__(attrs)
        self.parts = REGION_PARTS[: REGION_LEVELS[depth]]

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}-{part}") or "" for part in self.parts]

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}-{part}" not in data for part in self.parts)

    def id_for_label(self, id_):
        return f"{id_}-province" if id_ else id_

    def render(self, name, value, attrs=None, renderer=None):
        if isinstance(value, dict):
            chosen = region_chain(value.get("code"))
        else:
            chosen = [str(code or "") for code in (value or [])]
        base_id = (attrs or {}).get("id") or f"id_{name}"
        selects = []
        for level, part in enumerate(self.parts):
            options = _region_options(level)
            code = chosen[level] if level < len(chosen) else ""
            if code:
                options = options.replace(
                    f'value="{code}"', f'value="{code}" selected', 1
                )
            selects.append(
                f'<select name="{name}-{part}" id="{base_id}-{part}">{options}</select>'
            )
        return mark_safe(  # noqa: S308 - codes and escaped names only
            f'<div class="region-input">{"".join(selects)}</div>'
        )


class RegionField(forms.Field):
    """Province, city and district codes of today that belong together."""

    def __init__(self, depth: str, **kwargs):
        self.depth = depth
        super().__init__(widget=RegionWidget(depth), **kwargs)

    def clean(self, value):
        codes = [str(code).strip() for code in (value or []) if code]
        if not codes:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        index = region_index()
        if any(code not in index for code in codes):
            raise ValidationError(_("Choose the region from the lists."))
        if index[codes[0]][1] is not None:
            raise ValidationError(_("Choose the region from the lists."))
        for parent, child in zip(codes, codes[1:], strict=False):
            if index[child][1] != parent:
                raise ValidationError(_("The region levels do not belong together."))
        deepest = codes[-1]
        # Municipalities and some cities have no district level below them.
        has_children = any(parent == deepest for _name, parent in index.values())
        if len(codes) < REGION_LEVELS[self.depth] and has_children:
            raise ValidationError(_("Choose every level of the region."))
        return {"code": deepest, "name": region_name(deepest)}


class MaterialWidget(forms.ClearableFileInput):
    """File input with the files already attached and a box to remove each."""

    template_name = "forms/widgets/material.html"
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.existing: list = []

    def value_from_datadict(self, data, files, name):
        return {
            "new": files.getlist(name) if hasattr(files, "getlist") else [],
            "remove": data.getlist(f"{name}-remove")
            if hasattr(data, "getlist")
            else [],
        }

    def value_omitted_from_data(self, data, files, name):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        context["widget"]["existing"] = self.existing
        return context


class MaterialField(forms.Field):
    """Uploads of one material: checks every new file, counts the kept ones."""

    widget = MaterialWidget

    def __init__(self, file_types, max_size_mb, max_count, **kwargs):
        self.file_types = list(file_types)
        self.max_bytes = int(max_size_mb) * 1024 * 1024
        self.max_count = int(max_count)
        self.existing: list = []
        super().__init__(**kwargs)
        accept = ",".join(f".{kind}" for kind in self.file_types)
        self.widget.attrs.update({"accept": accept})
        if self.max_count > 1:
            self.widget.attrs["multiple"] = True

    def set_existing(self, files) -> None:
        self.existing = list(files)
        self.widget.existing = self.existing

    def clean(self, value):
        value = value or {"new": [], "remove": []}
        posted = {str(uid) for uid in value.get("remove", [])}
        # Only files attached here can be removed; anything else posted (a
        # forged or stale value, not even a UUID) is ignored.
        removed = {str(f.uuid) for f in self.existing if str(f.uuid) in posted}
        kept = [f for f in self.existing if str(f.uuid) not in removed]
        new = [upload for upload in value.get("new", []) if upload]
        errors, checked = [], []
        for upload in new:
            try:
                checked.append(check_upload(upload, self.file_types, self.max_bytes))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        total = len(kept) + len(checked)
        if self.required and total == 0:
            raise ValidationError(self.error_messages["required"], code="required")
        if total > self.max_count:
            raise ValidationError(
                _("Attach at most %(count)s files here.") % {"count": self.max_count}
            )
        return {"keep": kept, "remove": removed, "new": checked}


def _text_validators(item: dict) -> list:
    pattern = item.get("pattern") or ""
    if not pattern:
        return []
    message = item.get("pattern_message") or _("The answer is not in the right form.")
    return [PatternValidator(pattern, message)]


def _date_validators(item: dict) -> list:
    validators = []

    def not_in_future(value):
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))

    if item.get("not_in_future"):
        validators.append(not_in_future)
    for bound, compare, message in (
        ("min_date", lambda v, b: v < b, _("The date must be on or after %(date)s.")),
        ("max_date", lambda v, b: v > b, _("The date must be on or before %(date)s.")),
    ):
        if item.get(bound):

            def check(value, bound=item[bound], compare=compare, message=message):
                from datetime import date

                limit = date.fromisoformat(bound)
                if compare(value, limit):
                    raise ValidationError(message % {"date": limit.isoformat()})

            validators.append(check)
    return validators


class CleanMobile(forms.CharField):
    def to_python(self, value):
        # +86 and spaced forms become the 11-digit number the answers keep.
        return mobile_key(str(value or ""))


class BankAccountField(forms.CharField):
    """Digits only once cleaned; typed with spaces or full-width digits is fine."""

    def to_python(self, value):
        return normalize_bank_account(str(value or ""))


class AddressField(forms.CharField):
    def to_python(self, value):
        # One line: line breaks and runs of spaces become one space.
        return " ".join(str(value or "").split())


class CleanCode(forms.CharField):
    def to_python(self, value):
        return normalize_code(str(value or ""))


def build_field(item: dict) -> forms.Field:
    """A Django field for one definition item (not layout items)."""
    kind = item["type"]
    common = {
        "label": item.get("label", ""),
        "help_text": item.get("help_text", ""),
        "required": bool(item.get("required", True)),
    }
    if kind == "short_text":
        return forms.CharField(
            max_length=item.get("max_length") or 100,
            validators=_text_validators(item),
            **common,
        )
    if kind == "long_text":
        return forms.CharField(
            max_length=item.get("max_length") or 1000,
            widget=forms.Textarea(attrs={"rows": 4}),
            validators=_text_validators(item),
            **common,
        )
    if kind == "number":
        places = int(item.get("decimal_places") or 0)
        lowest, highest = item.get("min_value"), item.get("max_value")
        return forms.DecimalField(
            min_value=Decimal(str(lowest)) if lowest not in (None, "") else None,
            max_value=Decimal(str(highest)) if highest not in (None, "") else None,
            decimal_places=places,
            max_digits=15,
            widget=forms.NumberInput(
                attrs={"step": "1" if not places else str(Decimal(1).scaleb(-places))}
            ),
            **common,
        )
    if kind == "date":
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            validators=_date_validators(item),
            **common,
        )
    if kind == "single_choice":
        choices = [(c, c) for c in item.get("choices", [])]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == "multiple_choice":
        choices = [(c, c) for c in item.get("choices", [])]
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == "dropdown":
        choices = [("", "—")] + [(c, c) for c in item.get("choices", [])]
        return forms.ChoiceField(choices=choices, **common)
    if kind == "yes_no":
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == "email":
        return forms.EmailField(
            max_length=254,
            validators=[EmailValidator()],
            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            **common,
        )
    if kind == "mobile":
        return CleanMobile(
            max_length=20,
            validators=[validate_mobile],
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "tel"}
            ),
            **common,
        )
    if kind == "personal_id":
        return IdentityField(item.get("id_kinds") or ["resident"], **common)
    if kind == "bank_account":
        return BankAccountField(
            max_length=40,
            validators=[validate_bank_account],
            widget=forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "off",
                    "spellcheck": "false",
                }
            ),
            **common,
        )
    if kind == "address":
        return AddressField(
            min_length=4,
            max_length=item.get("max_length") or 120,
            widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
            **common,
        )
    if kind == "uscc":
        return CleanCode(max_length=18, validators=[validate_uscc_code], **common)
    if kind == "region":
        return RegionField(item.get("depth") or "district", **common)
    if kind == "file":
        return MaterialField(
            item.get("file_types") or ["pdf"],
            item.get("max_size_mb") or 10,
            item.get("max_count") or 1,
            **common,
        )
    if kind == "consent":
        return forms.BooleanField(
            label=item.get("label", ""),
            required=True,
            error_messages={"required": _("Please read and agree to continue.")},
        )
    if kind == "group":
        from forms.builder.groups import GroupField

        return GroupField(item, **common)
    raise ValueError(f"Unknown field type {kind!r}")
