"""A form's words in another language, over its one definition.

An English form page is a Wagtail translation of the Chinese one: the same
blocks with the same keys, its words in English. Applications always belong
to the Chinese (source) form and its versions, so answers are stored once,
keyed by field key, and casework and statistics see one form. What an
applicant reads comes from ``localise``: the version's definition with the
labels, help, choices' labels, step titles and section texts of the
translation laid over it. A choice's stored value stays the source's text;
only its label changes (``choice_labels``), and only when both versions offer
as many choices.
"""

from __future__ import annotations

import copy

# What an applicant reads of each item; everything else (keys, types,
# conditions, rules) is the source's.
WORDS = ("label", "help_text", "title", "description", "heading", "text")


def _by_key(definition: list[dict]) -> dict[str, dict]:
    found = {}
    for item in definition:
        if item.get("key"):
            found[item["key"]] = item
        if isinstance(item.get("fields"), list):
            found.update(_by_key(item["fields"]))
    return found


def _layout(definition: list[dict]) -> list[dict]:
    return [item for item in definition if not item.get("key")]


def _lay_over(item: dict, words: dict) -> None:
    for name in WORDS:
        if isinstance(words.get(name), str) and words[name].strip():
            item[name] = words[name]
    source_choices = item.get("choices")
    choices = words.get("choices")
    if (
        isinstance(source_choices, list)
        and isinstance(choices, list)
        and len(choices) == len(source_choices)
    ):
        item["choice_labels"] = list(choices)


def localise(definition: list[dict], translated: list[dict] | None) -> list[dict]:
    """``definition`` with the words of ``translated`` (a translation's
    definition) laid over it; unchanged without one."""
    if not translated:
        return definition
    result = copy.deepcopy(definition)
    words_by_key = _by_key(translated)

    def walk(items: list[dict]) -> None:
        for item in items:
            words = words_by_key.get(item.get("key") or "")
            if words is not None:
                _lay_over(item, words)
            if isinstance(item.get("fields"), list):
                walk(item["fields"])

    walk(result)
    # Steps, sections and explanations have no key: matched in order, and
    # only while both versions have the same layout.
    source_layout, translated_layout = _layout(result), _layout(translated)
    if [i["type"] for i in source_layout] == [i["type"] for i in translated_layout]:
        for item, words in zip(source_layout, translated_layout, strict=True):
            _lay_over(item, words)
    return result


def choice_label(item: dict, value: str) -> str:
    """The label of a stored choice in the language the item was localised to."""
    labels = item.get("choice_labels")
    choices = item.get("choices") or []
    if labels and value in choices:
        return labels[choices.index(value)]
    return value
