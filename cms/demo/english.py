"""Writes the English versions of the pages foreign talent use most
(data/english.json): guides and the residence-permit form, as Wagtail
translations of the Chinese pages (docs/content.md).

A page that has an English version already is left alone. Ancestors without
one are copied (the home page with its English title) and published, so the
English tree reaches the guide; their other text stays Chinese, marked as such.
"""

import copy

from wagtail.models import Locale, Page

from forms.builder.definition import stream_data_from_definition
from forms.models import ApplicationFormPage

from .files import read_json
from .progress import Progress

ENGLISH = read_json("english.json")


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _translate(page: Page, locale: Locale, fields: dict) -> Page:
    # Ancestors first, each an ordinary copy: Wagtail's copy_parents would
    # make them aliases, which copy every field (a module's unit too).
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
        if ancestor.get_translation_or_none(locale) is None:
            copied = ancestor.copy_for_translation(locale)
            if ancestor.depth == 2:
                copied.title = ENGLISH["home"]["title"]
            _publish(copied)
    translated = page.copy_for_translation(locale).specific
    for name, value in fields.items():
        setattr(translated, name, value)
    _publish(translated)
    return translated


def english_definition(definition: list[dict], words: dict) -> list[dict]:
    """The source definition with the English words of data/english.json."""
    result = copy.deepcopy(definition)
    layout = iter(words.get("layout", []))

    def walk(items):
        for item in items:
            if item.get("key"):
                item.update(words["fields"].get(item["key"], {}))
            else:
                item.update(next(layout, {}))
            if isinstance(item.get("fields"), list):
                walk(item["fields"])

    walk(result)
    return result


def write_english(progress: Progress, guides: dict, forms: dict) -> None:
    locale = Locale.objects.get(language_code="en")
    for slug, words in ENGLISH["guides"].items():
        guide = guides[slug]
        done = guide.get_translation_or_none(locale) is not None
        progress.record("English guides", not done)
        if not done:
            _translate(
                guide,
                locale,
                {
                    "title": words["title"],
                    "summary": words["summary"],
                    "eligible_applicants": words["eligible_applicants"],
                    "conditions": [("condition", text) for text in words["conditions"]],
                },
            )
    for slug, words in ENGLISH["forms"].items():
        form: ApplicationFormPage = forms[slug]
        done = form.get_translation_or_none(locale) is not None
        progress.record("English forms", not done)
        if not done:
            _translate(
                form,
                locale,
                {
                    "title": words["title"],
                    "intro": words["intro"],
                    "confirmation_text": words["confirmation_text"],
                    "form_fields": stream_data_from_definition(
                        english_definition(form.definition, words)
                    ),
                },
            )
