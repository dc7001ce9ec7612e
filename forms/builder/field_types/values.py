"""Answers with an order: numbers and dates."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from forms.builder.field_types.base import (
    DATE,
    FIELD_SETTINGS,
    FLAG,
    NUMBER,
    PERSONAL,
    WHOLE,
    FieldType,
    register,
)
from forms.builder.field_types.parts import FieldBlock, personal_flag


class NumberBlock(FieldBlock):
    min_value = blocks.DecimalBlock(label=gettext_lazy("minimum"), required=False)
    max_value = blocks.DecimalBlock(label=gettext_lazy("maximum"), required=False)
    decimal_places = blocks.IntegerBlock(
        label=gettext_lazy("decimal places"), min_value=0, max_value=4, default=0
    )
    personal = personal_flag()

    class Meta:
        icon = "plus-inverse"
        label = gettext_lazy("Number")


class DateBlock(FieldBlock):
    min_date = blocks.DateBlock(label=gettext_lazy("earliest"), required=False)
    max_date = blocks.DateBlock(label=gettext_lazy("latest"), required=False)
    not_in_future = blocks.BooleanBlock(
        label=gettext_lazy("not in the future"), required=False, default=False
    )
    personal = personal_flag()

    class Meta:
        icon = "date"
        label = gettext_lazy("Date")


@register
class Number(FieldType):
    name = "number"
    block_class = NumberBlock
    settings = {
        **FIELD_SETTINGS,
        **PERSONAL,
        "min_value": NUMBER,
        "max_value": NUMBER,
        "decimal_places": WHOLE,
    }
    menu_order = 30
    flaggable = True

    def form_field(self, item, **common):
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

    def mask(self, text):
        return "***"


def date_validators(item: dict) -> list:
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
                limit = date.fromisoformat(bound)
                if compare(value, limit):
                    raise ValidationError(message % {"date": limit.isoformat()})

            validators.append(check)
    return validators


@register
class Date(FieldType):
    name = "date"
    block_class = DateBlock
    settings = {
        **FIELD_SETTINGS,
        **PERSONAL,
        "min_date": DATE,
        "max_date": DATE,
        "not_in_future": FLAG,
    }
    menu_order = 40
    flaggable = True

    def form_field(self, item, **common):
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            validators=date_validators(item),
            **common,
        )

    def mask(self, text):
        return text[:4] + "-**-**"
