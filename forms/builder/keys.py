"""Keys and slugs people can read, made from Chinese labels and titles.

A field's key is the machine name that conditions and exports use; the builder
generates it from the label's pinyin (姓名 → xingming) so that nobody has to
invent one, and keeps it unique within the form (or within a group's row). A
new form page's slug is the pinyin of its title, or ``zaixian-shenqing`` under
a service guide, so addresses never show percent-encoded Chinese.
"""

import re
import unicodedata
from collections.abc import Iterable

from django.utils.text import slugify

from cms.core.pinyin import lazy_pinyin, pinyin_slug_source
from forms.builder.field_types import registered
from forms.builder.field_types.parts import KEY_PATTERN

KEY_MAX_LENGTH = 40
# Room for a "_99" suffix within the key's 40 characters.
KEY_BASE_LENGTH = 36
SLUG_MAX_LENGTH = 80
GUIDE_FORM_SLUG = "zaixian-shenqing"
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_HAN_RUN = re.compile(r"([\u3400-\u9fff\U00020000-\U0002ffff]+)")


def key_base(label: str) -> str:
    """A valid key for a label, before it is made unique: a run of Chinese
    becomes one word of pinyin (身份证号 → shenfenzhenghao), other words stand
    apart, joined by underscores (身份证 ID → shenfenzheng_id)."""
    text = unicodedata.normalize("NFKC", label or "").lower()
    words = []
    for run in _HAN_RUN.split(text):
        if _HAN_RUN.fullmatch(run):
            run = "".join(lazy_pinyin(run))
        words += [word for word in _NOT_KEY.split(run) if word]
    key = "_".join(words)[:KEY_BASE_LENGTH].strip("_")
    if not key:
        return "field"
    if not key[0].isalpha():
        key = f"f_{key}"
    return key if KEY_PATTERN.match(key) else "field"


def unique_key(base: str, taken: Iterable[str]) -> str:
    taken = set(taken)
    if base not in taken:
        return base
    number = 2
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


def key_for_label(label: str, taken: Iterable[str] = ()) -> str:
    return unique_key(key_base(label), taken)


def keys_of(definition: list) -> set[str]:
    """The keys of a definition's fields, a group's fields included."""
    keys: set[str] = set()
    items = list(definition)
    while items:
        item = items.pop()
        if isinstance(item, dict):
            keys.add(str(item.get("key") or ""))
            items += item.get("fields") or []
    return keys


def fill_missing_keys(stream_value, keep: Iterable[str] = ()) -> None:
    """Give every field of a form's StreamField value that has no key one made
    from its label, unique among its siblings (a group's fields among
    themselves). A field whose stored form already published the generated
    ``f_<block id>`` key keeps it, so its answers stay in one export column."""
    keep = set(keep)
    children = [child for child in stream_value if registered(child.block_type)]
    taken = {child.value.get("key") for child in children if child.value.get("key")}
    for child in children:
        value = child.value
        kind = registered(child.block_type)
        if not value.get("key"):
            legacy = f"f_{(child.id or '').replace('-', '')[:8]}"
            if child.id and legacy in keep:
                value["key"] = legacy
            else:
                value["key"] = key_for_label(value.get("label") or "", taken)
            taken.add(value["key"])
        if kind is not None and kind.nests_fields and value.get("fields") is not None:
            fill_missing_keys(value["fields"], keep)


def readable_slug(title: str, under_guide: bool) -> str:
    """The default slug of a new form page, before it is made unique."""
    if under_guide:
        return GUIDE_FORM_SLUG
    slug = slugify(pinyin_slug_source(unicodedata.normalize("NFKC", title or "")))
    if len(slug) > SLUG_MAX_LENGTH:
        slug = slug[:SLUG_MAX_LENGTH].rsplit("-", 1)[0]
    return slug.strip("-")
