"""Answers picked from what the form offers: choices, yes or no, consent."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from forms.builder.field_types.base import (
    CHOICES,
    FIELD_SETTINGS,
    TEXT,
    FieldType,
    register,
)
from forms.builder.field_types.parts import ChoicesMixin, FieldBlock, check_key

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


class SingleChoiceBlock(ChoicesMixin, FieldBlock):
    class Meta:
        icon = "radio-full"
        label = gettext_lazy("Single choice")


class MultipleChoiceBlock(ChoicesMixin, FieldBlock):
    class Meta:
        icon = "tick-inverse"
        label = gettext_lazy("Multiple choice")


class DropdownBlock(ChoicesMixin, FieldBlock):
    class Meta:
        icon = "arrow-down-big"
        label = gettext_lazy("Dropdown")


class YesNoBlock(FieldBlock):
    class Meta:
        icon = "help"
        label = gettext_lazy("Yes or no")


class ConsentBlock(blocks.StructBlock):
    key = blocks.CharBlock(label=gettext_lazy("key"), required=False, max_length=40)
    label = blocks.CharBlock(
        label=pgettext_lazy("form builder", "label"),
        max_length=200,
        default="我已阅读并同意上述个人信息处理说明，承诺所填信息真实有效",
    )
    notice = blocks.TextBlock(
        label=gettext_lazy("notice"),
        help_text=gettext_lazy("What is collected, why, for how long (PIPL art. 17)."),
    )

    def clean(self, value):
        value = super().clean(value)
        errors: dict = {}
        check_key(value, errors)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "tick"
        label = gettext_lazy("Consent")


class _Labelled(FieldType):
    """Choices shown by their label in the language the form is read in."""

    def display(self, item: dict, value, *, reveal: bool) -> str:
        if item.get("choice_labels"):
            from forms.builder.translation import choice_label

            if isinstance(value, list):
                value = [choice_label(item, str(choice)) for choice in value]
            else:
                value = choice_label(item, str(value))
        return super().display(item, value, reveal=reveal)


def _choices(item: dict) -> list[tuple[str, str]]:
    # The stored value is the source form's text whatever the language read
    # (forms/builder/translation.py).
    choices = item.get("choices", [])
    labels = item.get("choice_labels") or choices
    return list(zip(choices, labels, strict=False))


@register
class SingleChoice(_Labelled):
    name = "single_choice"
    block_class = SingleChoiceBlock
    settings = {**FIELD_SETTINGS, "choices": CHOICES}
    menu_order = 50
    category = True

    def form_field(self, item, **common):
        return forms.ChoiceField(
            choices=_choices(item), widget=forms.RadioSelect, **common
        )


@register
class MultipleChoice(_Labelled):
    name = "multiple_choice"
    block_class = MultipleChoiceBlock
    settings = {**FIELD_SETTINGS, "choices": CHOICES}
    menu_order = 60
    category = True

    def form_field(self, item, **common):
        return forms.MultipleChoiceField(
            choices=_choices(item), widget=forms.CheckboxSelectMultiple, **common
        )

    def text(self, item, value):
        return "、".join(value)


@register
class Dropdown(_Labelled):
    name = "dropdown"
    block_class = DropdownBlock
    settings = {**FIELD_SETTINGS, "choices": CHOICES}
    menu_order = 70
    category = True

    def form_field(self, item, **common):
        return forms.ChoiceField(choices=[("", "—"), *_choices(item)], **common)


@register
class YesNo(FieldType):
    name = "yes_no"
    block_class = YesNoBlock
    menu_order = 80

    def form_field(self, item, **common):
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)

    def text(self, item, value):
        return str(dict(YES_NO).get(value, value))


@register
class Consent(FieldType):
    """The applicant agrees to the notice; given again on every resubmission."""

    name = "consent"
    block_class = ConsentBlock
    settings = {"key": TEXT, "label": TEXT, "notice": TEXT}
    menu_order = 180
    in_group = False

    def form_field(self, item, **common):
        # Always required, whatever the item says.
        return forms.BooleanField(
            label=item.get("label", ""),
            required=True,
            error_messages={"required": _("Please read and agree to continue.")},
        )

    def canonical(self, item, value):
        return None if value in (None, "") else bool(value)

    def text(self, item, value):
        return _("Agreed")
