"""Free text typed by the applicant: short and long text, e-mail, postal address."""

from django import forms
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import blocks

from cms.core.identifiers import mask_address
from forms.builder.field_types.base import (
    FIELD_SETTINGS,
    PERSONAL,
    TEXT,
    TEXT_SETTINGS,
    WHOLE,
    FieldType,
    register,
)
from forms.builder.field_types.parts import (
    FieldBlock,
    PatternMixin,
    personal_flag,
    prefill_choice,
)
from forms.builder.patterns import PatternValidator


class ShortTextBlock(FieldBlock, PatternMixin):
    max_length = blocks.IntegerBlock(
        label=gettext_lazy("maximum length"), min_value=1, max_value=500, default=100
    )
    prefill = prefill_choice()
    personal = personal_flag()

    class Meta:
        icon = "pilcrow"
        label = gettext_lazy("Short text")


class LongTextBlock(FieldBlock, PatternMixin):
    max_length = blocks.IntegerBlock(
        label=gettext_lazy("maximum length"), min_value=1, max_value=5000, default=1000
    )
    personal = personal_flag()

    class Meta:
        icon = "doc-full"
        label = gettext_lazy("Long text")


class EmailBlock(FieldBlock):
    prefill = prefill_choice()
    personal = personal_flag()

    class Meta:
        icon = "mail"
        label = gettext_lazy("E-mail")


class AddressBlock(FieldBlock):
    """A postal address on one line: always personal data (sealed, masked)."""

    max_length = blocks.IntegerBlock(
        label=gettext_lazy("maximum length"), min_value=10, max_value=300, default=120
    )

    class Meta:
        icon = "home"
        label = pgettext_lazy("form field type", "Address")


def text_validators(item: dict) -> list:
    pattern = item.get("pattern") or ""
    if not pattern:
        return []
    message = item.get("pattern_message") or _("The answer is not in the right form.")
    return [PatternValidator(pattern, message)]


@register
class ShortText(FieldType):
    name = "short_text"
    block_class = ShortTextBlock
    settings = {**FIELD_SETTINGS, **TEXT_SETTINGS, **PERSONAL, "prefill": TEXT}
    menu_order = 10
    category = True
    flaggable = True

    def form_field(self, item, **common):
        return forms.CharField(
            max_length=item.get("max_length") or 100,
            validators=text_validators(item),
            **common,
        )


@register
class LongText(FieldType):
    name = "long_text"
    block_class = LongTextBlock
    settings = {**FIELD_SETTINGS, **TEXT_SETTINGS, **PERSONAL}
    menu_order = 20
    flaggable = True

    def form_field(self, item, **common):
        return forms.CharField(
            max_length=item.get("max_length") or 1000,
            widget=forms.Textarea(attrs={"rows": 4}),
            validators=text_validators(item),
            **common,
        )


@register
class Email(FieldType):
    name = "email"
    block_class = EmailBlock
    settings = {**FIELD_SETTINGS, **PERSONAL, "prefill": TEXT}
    menu_order = 90
    flaggable = True

    def form_field(self, item, **common):
        return forms.EmailField(
            max_length=254,
            validators=[EmailValidator()],
            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            **common,
        )

    def mask(self, text):
        local, _at, domain = text.partition("@")
        return f"{local[:1]}***@{domain}" if domain else "***"


class AddressField(forms.CharField):
    def to_python(self, value):
        # One line: line breaks and runs of spaces become one space.
        return " ".join(str(value or "").split())


@register
class Address(FieldType):
    name = "address"
    block_class = AddressBlock
    settings = {**FIELD_SETTINGS, "max_length": WHOLE}
    menu_order = 130
    always_personal = True

    def form_field(self, item, **common):
        return AddressField(
            min_length=4,
            max_length=item.get("max_length") or 120,
            widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
            **common,
        )

    def mask(self, text):
        return mask_address(text)
