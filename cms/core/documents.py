"""Identity documents (docs/security.md E1): the mainland resident ID card and
the documents of people from elsewhere, each with its own check.

- Resident ID card: GB 11643 (cms.core.identifiers.validate_resident_id).
  Its kind also takes the residence permits for Hong Kong, Macao and Taiwan
  residents (港澳台居民居住证): the same number and check, with the address
  code 810000, 820000 or 830000.
- Foreign permanent resident ID card (外国人永久居留身份证): the 2023 card's 18
  characters start with 9 and end with an ISO 7064 MOD 11-2 check character
  (python-stdnum); the 2017 card's 15 are three letters (the nationality) and
  12 digits, with no published check, so their form only is checked.
- Passport: 5 to 17 letters and digits (ICAO 9303 machine-readable numbers are
  up to 9; some countries print longer ones). Form only.
- Mainland travel permits for Hong Kong and Macao residents (H or M and 8
  digits, or 10 with the issue count) and for Taiwan residents (8 digits, or
  10). Form only: no check digit is published for either.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.iso7064 import mod_11_2

from cms.core.identifiers import (
    mask_identifier,
    normalize_code,
    validate_resident_id,
)

ID_KINDS = [
    ("resident", gettext_lazy("Resident identity card (居民身份证)")),
    ("passport", gettext_lazy("Passport")),
    (
        "hk_macau",
        gettext_lazy("Mainland travel permit for Hong Kong and Macao residents"),
    ),
    ("taiwan", gettext_lazy("Mainland travel permit for Taiwan residents")),
    ("foreign_permanent", gettext_lazy("Foreign permanent resident ID card")),
]

ID_PATTERNS = {
    "passport": re.compile(r"^[A-Z0-9]{5,17}$"),
    "hk_macau": re.compile(r"^[HM]\d{8}(\d{2})?$"),
    "taiwan": re.compile(r"^\d{8}(\d{2})?$"),
    "foreign_permanent": re.compile(r"^([A-Z]{3}\d{12}|9\d{16}[\dX])$"),
}


def document_label(kind: str) -> str:
    return str(dict(ID_KINDS).get(kind, kind))


def validate_identity(kind: str, number: str) -> None:
    """Raises a translated ValidationError unless `number` (normalised: see
    normalize_code) is a well-formed number of a document of this kind."""
    if kind == "resident":
        validate_resident_id(number)
        return
    pattern = ID_PATTERNS.get(kind)
    if pattern is None:
        raise ValidationError(_("Choose the kind of identity document."), code="kind")
    if not pattern.match(number):
        raise ValidationError(
            _("This is not a valid %(document)s number.")
            % {"document": document_label(kind)},
            code="id_format",
        )
    if len(number) == 18 and not mod_11_2.is_valid(number):
        raise ValidationError(
            _("This card number is mistyped: its check character does not match."),
            code="id_checksum",
        )


def mask_document(number: str) -> str:
    """3505**********1234 for the 15- and 18-character cards; shorter numbers
    (passports, permits) keep less, or the mask would show nearly all of them."""
    if len(number) >= 15:
        return mask_identifier(number)
    return mask_identifier(number, keep_start=1, keep_end=3)


def normalize_identity(kind: str, number: str) -> str:
    """The number as stored and looked up (NFKC, no spaces, upper case), or a
    ValidationError."""
    normalised = normalize_code(number)
    validate_identity(kind, normalised)
    return normalised
