"""Regions: province, city and district from today's list of divisions, with
abolished codes read through their successors."""

import json
from functools import cache
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import blocks

from forms.builder.field_types.base import FIELD_SETTINGS, TEXT, FieldType, register
from forms.builder.field_types.parts import FieldBlock

# forms/builder/data: the region lists the app ships with.
DATA = Path(__file__).resolve().parents[1] / "data"
REGIONS_FILE = DATA / "regions.json"
# The source and date of regions.json, and the codes that left it mapped to
# their successors (manage.py refresh_regions writes both).
REGION_HISTORY_FILE = DATA / "region_history.json"

REGION_DEPTHS = [
    ("province", gettext_lazy("Province")),
    ("city", gettext_lazy("Province and city")),
    ("district", gettext_lazy("Province, city and district")),
]


class RegionBlock(FieldBlock):
    depth = blocks.ChoiceBlock(
        label=gettext_lazy("level"), choices=REGION_DEPTHS, default="district"
    )

    class Meta:
        icon = "globe"
        label = gettext_lazy("Region")


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
    names: list[str] = []
    index = region_index()
    current = current_region_code(code)
    while current:
        name, current = index[current]
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
    chain: list[str] = []
    index = region_index()
    code = current_region_code(code)
    while code and code in index:
        chain.insert(0, code)
        code = index[code][1]
    return chain


# Each select's own name; the field's label is the legend of their fieldset.
REGION_PART_LABELS = {
    "province": pgettext_lazy("region level", "Province"),
    "city": pgettext_lazy("region level", "City"),
    "district": pgettext_lazy("region level", "District"),
}


class RegionWidget(forms.Widget):
    """Cascading selects named ``name-province``, ``name-city``, ``name-district``;
    script filters the lower levels, without it their optgroups do."""

    use_fieldset = True

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
                f'<select name="{name}-{part}" id="{base_id}-{part}" '
                f'aria-label="{escape(REGION_PART_LABELS[part])}">{options}</select>'
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


@register
class Region(FieldType):
    """Answered as {"code", "name"}: the deepest code chosen and its full name."""

    name = "region"
    block_class = RegionBlock
    settings = {**FIELD_SETTINGS, "depth": TEXT}
    menu_order = 150

    def form_field(self, item, **common):
        return RegionField(item.get("depth") or "district", **common)

    def text(self, item, value):
        return value.get("name", "")
