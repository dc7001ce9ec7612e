"""The page editor's side of field blocks: a script (site/static/js/form-builder.js)
that fills a new field's key from its label and lets a condition pick its field
from the fields above by their labels, and a choice field's answer from its
choices. Wagtail draws blocks in the browser from these telepath adapters; the
script only helps: the server checks every condition again (blocks.py).
"""

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.telepath import register
from wagtail.blocks.struct_block import StructBlockAdapter

from forms.builder.field_types.base import field_types
from forms.builder.field_types.choices import YES_NO
from forms.builder.field_types.parts import OPERATORS, ConditionBlock, FieldBlock

SCRIPT = "js/form-builder.js"
STYLES = "css/form-builder.css"


def _key_url() -> str:
    try:
        return reverse("applications_admin:field_key")
    except NoReverseMatch:  # the admin's URLs are not loaded (a bare script)
        return ""


class BuilderAdapter(StructBlockAdapter):
    """A StructBlock drawn by one of the builder's script classes."""

    def builder_options(self, block) -> dict:
        raise NotImplementedError

    def js_args(self, block):
        name, children, meta = super().js_args(block)
        return [name, children, {**meta, "builder": self.builder_options(block)}]

    @cached_property
    def media(self):
        return super().media + forms.Media(
            js=[versioned_static(SCRIPT)],
            css={"all": [versioned_static(STYLES)]},
        )


class FieldBlockAdapter(BuilderAdapter):
    js_constructor = "forms.builder.FieldBlock"

    def builder_options(self, block):
        return {
            "keyUrl": _key_url(),
            "editKey": pgettext("form builder", "Edit key"),
            "editKeyHelp": _(
                "The key is made from the label. Change it only for an export that "
                "expects another name."
            ),
        }


class ConditionBlockAdapter(BuilderAdapter):
    js_constructor = "forms.builder.ConditionBlock"

    def builder_options(self, block):
        sources = {}
        for kind in field_types():
            if not kind.condition_operators:
                continue
            answers = None
            if kind.name == "yes_no":
                answers = "yes_no"
            elif kind.block_class is not None and "choices" in (
                kind.block_class.base_blocks
            ):
                answers = "choices"
            sources[kind.name] = {
                "operators": list(kind.condition_operators),
                "answers": answers,
            }
        return {
            "sources": sources,
            "operators": {name: str(label) for name, label in OPERATORS},
            "yesNo": [[value, str(label)] for value, label in YES_NO],
            "alwaysShown": pgettext("condition", "always shown"),
            "untitled": pgettext("condition", "(a field without a label)"),
            "notAbove": pgettext("condition", "%(field)s (not above this block)"),
            "inGroup": _("Fields inside a repeatable group cannot have conditions."),
            "noneAbove": _(
                "No field above this block can be used: add the field the "
                "condition depends on above it."
            ),
        }


register(FieldBlockAdapter(), FieldBlock)
register(ConditionBlockAdapter(), ConditionBlock)
