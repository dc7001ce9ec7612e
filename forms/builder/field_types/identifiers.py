"""Numbers that identify someone or something, each with its own check:
mainland mobile numbers, identity documents, bank accounts, unified social
credit codes. All but the credit code are personal data (docs/security.md G2)."""

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import blocks

from cms.core import crypto
from cms.core.documents import ID_KINDS, validate_identity
from cms.core.identifiers import (
    format_bank_account,
    mask_bank_account,
    mask_identifier,
    mask_mobile,
    mobile_key,
    normalize_bank_account,
    normalize_code,
    validate_bank_account,
    validate_mobile,
    validate_uscc,
)
from forms.builder.field_types.base import (
    FIELD_SETTINGS,
    TEXT,
    TEXT_LIST,
    FieldType,
    Sealing,
    register,
)
from forms.builder.field_types.parts import FieldBlock, prefill_choice


class MobileBlock(FieldBlock):
    prefill = prefill_choice()

    class Meta:
        icon = "mobile-alt"
        label = gettext_lazy("Mainland mobile number")


class PersonalIdBlock(FieldBlock):
    id_kinds = blocks.MultipleChoiceBlock(
        label=gettext_lazy("accepted documents"),
        choices=ID_KINDS,
        default=["resident"],
    )
    prefill = prefill_choice()

    class Meta:
        icon = "user"
        label = gettext_lazy("Personal ID")


class BankAccountBlock(FieldBlock):
    """A bank card or account number: always personal data (sealed, masked)."""

    class Meta:
        icon = "tag"
        label = pgettext_lazy("form field type", "Bank account number")


class USCCBlock(FieldBlock):
    prefill = prefill_choice()

    class Meta:
        icon = "site"
        label = gettext_lazy("Unified social credit code")


# --- the Django fields ---


class PartsWidget(forms.MultiWidget):
    """A MultiWidget whose inputs are named ``name-<part>``."""

    def __init__(self, widgets: dict, attrs=None):
        super().__init__(widgets, attrs)
        self.widgets_names = [f"-{part}" for part in widgets]


class IdentityWidget(PartsWidget):
    def __init__(self, kinds: list[str]):
        choices = [(kind, label) for kind, label in ID_KINDS if kind in kinds]
        super().__init__(
            {
                # Named one by one: the field's label is their fieldset's legend.
                "kind": forms.Select(
                    choices=choices,
                    attrs={"aria-label": pgettext_lazy("identity", "Document type")},
                ),
                "number": forms.TextInput(
                    attrs={
                        "autocomplete": "off",
                        "spellcheck": "false",
                        "aria-label": pgettext_lazy("identity", "Document number"),
                    }
                ),
            }
        )

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("kind"), value.get("number")]
        return [None, None]


class IdentityField(forms.MultiValueField):
    """A document type and its number; the resident ID is checked by GB 11643."""

    def __init__(self, kinds: list[str], **kwargs):
        self.kinds = kinds or ["resident"]
        fields = (
            forms.ChoiceField(choices=[(kind, kind) for kind in self.kinds]),
            forms.CharField(max_length=30),
        )
        super().__init__(
            fields,
            widget=IdentityWidget(self.kinds),
            require_all_fields=True,
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list or not data_list[1]:
            return None
        kind, number = data_list[0], normalize_code(data_list[1])
        validate_identity(kind, number)
        return {"kind": kind, "number": number}


class CleanMobile(forms.CharField):
    def to_python(self, value):
        # +86 and spaced forms become the 11-digit number the answers keep.
        return mobile_key(str(value or ""))


class BankAccountField(forms.CharField):
    """Digits only once cleaned; typed with spaces or full-width digits is fine."""

    def to_python(self, value):
        return normalize_bank_account(str(value or ""))


class CleanCode(forms.CharField):
    def to_python(self, value):
        return normalize_code(str(value or ""))


# --- the types ---


@register
class Mobile(FieldType):
    name = "mobile"
    block_class = MobileBlock
    settings = {**FIELD_SETTINGS, "prefill": TEXT}
    menu_order = 100
    always_personal = True

    def form_field(self, item, **common):
        return CleanMobile(
            max_length=20,
            validators=[validate_mobile],
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "tel"}
            ),
            **common,
        )

    def mask(self, text):
        return mask_mobile(text)


@register
class PersonalId(FieldType):
    """An identity document. Its answer {"kind", "number"} is sealed as
    {"kind", "masked", "cipher"}; the first ID of an application also gives the
    blind index its lookups use (docs/security.md G2, G4)."""

    name = "personal_id"
    block_class = PersonalIdBlock
    settings = {**FIELD_SETTINGS, "id_kinds": TEXT_LIST, "prefill": TEXT}
    menu_order = 110
    identity = True
    # Only the applicant's ID from their last application.
    prefill_sources = frozenset({"id_number"})

    def form_field(self, item, **common):
        return IdentityField(item.get("id_kinds") or ["resident"], **common)

    def prefill_inputs(self, item, value):
        return {
            f"{item['key']}-kind": [value["kind"]],
            f"{item['key']}-number": [value["number"]],
        }

    def seal(self, item, value, sealing: Sealing):
        if not value or "cipher" in value:
            return value
        if not sealing.first_digest:
            sealing.first_digest = crypto.blind_index(value["number"])
        return {
            "kind": value["kind"],
            "masked": mask_identifier(value["number"]),
            "cipher": crypto.encrypt(value["number"]),
        }

    def unseal(self, item, value):
        if isinstance(value, dict) and value.get("cipher"):
            return {"kind": value["kind"], "number": crypto.decrypt(value["cipher"])}
        return value

    def sealed_identity(self, item, value):
        return value if isinstance(value, dict) else None

    def display(self, item, value, *, reveal):
        if reveal and value.get("cipher"):
            return crypto.decrypt(value["cipher"])
        if "number" in value:  # not sealed yet (check-your-answers page)
            return value["number"] if reveal else mask_identifier(value["number"])
        return value.get("masked", "")


@register
class BankAccount(FieldType):
    name = "bank_account"
    block_class = BankAccountBlock
    menu_order = 120
    always_personal = True

    def form_field(self, item, **common):
        return BankAccountField(
            max_length=40,
            validators=[validate_bank_account],
            widget=forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "off",
                    "spellcheck": "false",
                }
            ),
            **common,
        )

    def mask(self, text):
        return mask_bank_account(text)

    def text(self, item, value):
        return format_bank_account(str(value))


@register
class USCC(FieldType):
    name = "uscc"
    block_class = USCCBlock
    settings = {**FIELD_SETTINGS, "prefill": TEXT}
    menu_order = 140

    def form_field(self, item, **common):
        return CleanCode(max_length=18, validators=[validate_uscc], **common)
