"""Property tests: any JSON is either a valid form definition or a list of reasons,
and a form file with any value in any setting is imported or refused with reasons,
never a traceback and never half written."""

import copy

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from forms.builder.definition import SETTINGS, DefinitionError, validate_definition
from forms.builder.form_files import FormFileError, export_form, import_form
from forms.models import ApplicationFormPage
from tests.factories import SAMPLE_DEFINITION, make_form, make_guide
from tests.strategies import deeply_nested, json_values, nasty_text

SETTING_NAMES = sorted({name for names in SETTINGS.values() for name in names})


def check(definition) -> None:
    try:
        validate_definition(definition)
    except DefinitionError as error:
        assert error.errors and all(isinstance(r, str) for r in error.errors)


@given(json_values)
def test_any_json_is_a_definition_or_reasons(value):
    check(value)
    check([value])
    check([*SAMPLE_DEFINITION, value])


@given(
    st.lists(st.dictionaries(st.sampled_from(["type", *SETTING_NAMES]), json_values))
)
def test_items_of_any_shape_are_definitions_or_reasons(items):
    check(items)


@st.composite
def mutated_definitions(draw):
    """The sample definition with one to three settings replaced by anything,
    inside a group's rows too, or an item replaced by deep nesting."""
    definition = copy.deepcopy(SAMPLE_DEFINITION)
    for _change in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(definition) - 1))
        item = definition[position]
        if not isinstance(item, dict):
            continue
        if item.get("type") == "group" and draw(st.booleans()):
            item = draw(st.sampled_from(item["fields"]))
        name = draw(st.sampled_from(["type", *SETTING_NAMES]) | nasty_text)
        value = draw(json_values | deeply_nested())
        item[name] = value
    return definition


@given(mutated_definitions())
def test_mutated_definitions_are_definitions_or_reasons(definition):
    check(definition)


class ImportFormProperties(TestCase):
    """import_form over mutated files: created, or refused with nothing written."""

    @classmethod
    def setUpTestData(cls):
        cls.guide = make_guide()
        cls.data = export_form(make_form(parent=cls.guide))

    @given(mutated_definitions(), st.sampled_from(["title", "slug", "parent", None]))
    def test_import_form_creates_or_refuses(self, definition, page_key):
        data = dict(self.data, definition=definition, slug="fuzzed")
        if page_key:
            data[page_key] = "值\x00" if page_key != "parent" else ["²"]
        pages = ApplicationFormPage.objects.count()
        try:
            import_form(data, parent=self.guide if page_key != "parent" else None)
        except FormFileError as error:
            assert error.errors and all(isinstance(r, str) for r in error.errors)
            assert ApplicationFormPage.objects.count() == pages
        else:
            assert ApplicationFormPage.objects.count() == pages + 1
