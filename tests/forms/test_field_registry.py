"""The registry of field types: a type registered here, in the test and nowhere
else, works in the definition validator, the builder's blocks, the runtime,
sealing and the export; and every registered type agrees with its block."""

import pytest
from django import forms
from django.utils import translation
from wagtail import blocks

from cms.core import crypto
from forms.applying import services
from forms.builder.blocks import form_blocks
from forms.builder.definition import (
    DefinitionError,
    definition_from_stream,
    stream_data_from_definition,
    validate_definition,
)
from forms.builder.engine import (
    answer_rows,
    display,
    evaluate,
    seal_answers,
    split_steps,
)
from forms.builder.field_types import (
    FieldType,
    field_types,
    register,
    registered,
    unregister,
)
from forms.builder.field_types.base import FIELD_SETTINGS, PERSONAL
from forms.builder.field_types.parts import FieldBlock, personal_flag
from forms.builder.fields import build_field
from forms.casework.exports import ApplicationResource
from tests.forms.admin_helpers import field, make_form, start_draft


class ColourBlock(FieldBlock):
    personal = personal_flag()

    class Meta:
        icon = "image"
        label = "Colour"


class Colour(FieldType):
    """A colour as #rrggbb: kept in lower case, shown in capitals."""

    name = "colour"
    block_class = ColourBlock
    settings = {**FIELD_SETTINGS, **PERSONAL}
    flaggable = True

    def form_field(self, item, **common):
        return forms.RegexField(regex=r"^#[0-9a-fA-F]{6}$", **common)

    def canonical(self, item, value):
        value = super().canonical(item, value)
        return value.lower() if value else value

    def mask(self, text):
        return "#******"

    def text(self, item, value):
        return value.upper()


@pytest.fixture
def colour():
    register(Colour)
    yield registered("colour")
    unregister("colour")


def definition(**colour_settings) -> list[dict]:
    return [
        field("short_text", "full_name", "姓名", max_length=50),
        field("colour", "favourite", "喜欢的颜色", **colour_settings),
        field(
            "short_text",
            "why",
            "为什么",
            required=True,
            condition={"field": "favourite", "operator": "equals", "value": "#ff0000"},
        ),
    ]


def reasons(items) -> list[str]:
    with translation.override("en"), pytest.raises(DefinitionError) as raised:
        validate_definition(items)
    return raised.value.errors


# --- the definition ---


def test_an_unregistered_type_is_unknown_to_the_validator():
    assert "Item 2: unknown type." in reasons(definition())


def test_the_validator_takes_a_registered_type_and_checks_its_settings(colour):
    validate_definition(definition())
    validate_definition(definition(personal=True))
    assert "Item 2 (喜欢的颜色): 'personal' must be true or false." in reasons(
        definition(personal="yes")
    )
    in_a_group = field(
        "group", "history", "历年", min_rows=0, max_rows=3, fields=[definition()[1]]
    )
    validate_definition([*definition(), in_a_group])


def test_a_type_without_condition_operators_cannot_be_a_condition(colour, monkeypatch):
    monkeypatch.setattr(colour, "condition_operators", ("not_empty",))
    assert reasons(definition()) == ["Item 3 (为什么): unknown operator."]
    monkeypatch.setattr(colour, "condition_operators", ())
    assert reasons(definition()) == [
        "Item 3 (为什么): a condition cannot depend on a file or group field."
    ]


def test_the_builder_offers_its_block_and_round_trips_its_json(colour):
    names = [name for name, _block in form_blocks()]
    assert "colour" in names
    assert names.index("colour") > names.index("consent")  # no menu_order given
    stream = blocks.StreamBlock(form_blocks())
    items = definition(personal=True)
    value = stream.to_python(stream_data_from_definition(items))
    assert definition_from_stream(value)[1] == items[1]


# --- the runtime ---


def test_the_runtime_cleans_and_conditions_see_the_answer(colour):
    steps = split_steps(definition(), "申请")
    data = {"full_name": ["张三"], "favourite": ["#FF0000"], "why": ["好看"]}
    evaluation = evaluate(steps, data, {})
    assert evaluation.is_valid
    assert evaluation.answers == {
        "full_name": "张三",
        "favourite": "#ff0000",
        "why": "好看",
    }
    # Another colour hides the field that depends on it.
    data["favourite"] = ["#00ff00"]
    assert "why" not in evaluate(steps, data, {}).answers
    data["favourite"] = ["red"]
    assert not evaluate(steps, data, {}).is_valid
    assert isinstance(build_field(definition()[1]), forms.RegexField)


def test_a_flagged_answer_is_sealed_masked_and_revealed(colour):
    items = definition(personal=True)
    sealed, digest = seal_answers(items, {"favourite": "#ff0000"})
    assert digest == ""
    assert sealed["favourite"]["masked"] == "#******"
    assert crypto.decrypt(sealed["favourite"]["cipher"]) == "#ff0000"
    assert display(items[1], sealed["favourite"]) == "#******"
    assert display(items[1], sealed["favourite"], reveal=True) == "#FF0000"
    rows = answer_rows(items, {"favourite": "#ff0000"}, {})
    assert rows == [{"label": "喜欢的颜色", "value": "#******"}]
    unflagged = definition()
    assert seal_answers(unflagged, {"favourite": "#ff0000"})[0] == {
        "favourite": "#ff0000"
    }


@pytest.mark.django_db
def test_the_export_shows_the_answer_as_the_type_says(colour):
    form = make_form(definition=[field("short_text", "full_name", "姓名")])
    version = form.ensure_version()
    version.definition = definition(personal=True)
    version.save(update_fields=["definition"])
    application = start_draft(
        form,
        inputs={"full_name": ["张三"], "favourite": ["#FF0000"], "why": ["好看"]},
    )
    services.submit(application)
    for reveal, shown in ((False, "#******"), (True, "#FF0000")):
        resource = ApplicationResource(form, reveal=reveal)
        headers = resource.get_export_headers()
        (row,) = list(resource.rows(form.applications.all()))
        assert dict(zip(headers, row, strict=True))["喜欢的颜色"] == shown


# --- every registered type ---


def test_every_type_declares_exactly_its_blocks_settings():
    for kind in field_types():
        assert set(kind.settings) == set(kind.block_class.base_blocks), kind.name


def test_a_name_is_registered_once():
    class Again(Colour):
        name = "short_text"

    with pytest.raises(ValueError):
        register(Again)
    assert type(registered("short_text")).__name__ == "ShortText"
