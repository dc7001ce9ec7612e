"""Chinese identifiers as first-class values: checks and masking.

- Unified social credit code (统一社会信用代码), GB 32100-2015.
- Resident identity card number (公民身份号码), GB 11643-1999.
- Mainland mobile numbers.

Each `validate_*` raises a translated ValidationError; each `is_valid_*` answers a bool.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# GB 32100: 31 characters, without I, O, Z, S, V.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")

# First two digits: provinces (GB/T 2260) and 81/82/83 for Hong Kong, Macao and
# Taiwan residence permits, which share the algorithm.
ID_REGION_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def normalize_code(value: str) -> str:
    """NFKC (full-width digits), upper-case, no spaces: as people type codes."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


def uscc_check_char(first17: str) -> str:
    total = sum(
        USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(value: str) -> bool:
    code = normalize_code(value)
    return bool(USCC_PATTERN.match(code)) and uscc_check_char(code[:17]) == code[17]


def validate_uscc(value: str) -> None:
    code = normalize_code(value)
    if not USCC_PATTERN.match(code):
        raise ValidationError(
            _(
                "A unified social credit code has 18 digits or capital letters (not I, O, Z, S, V)."
            ),
            code="uscc_format",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "This unified social credit code is mistyped: its check character does not match."
            ),
            code="uscc_checksum",
        )


def resident_id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def resident_id_birth_date(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_resident_id(value: str) -> None:
    number = normalize_code(value)
    if not ID_PATTERN.match(number):
        raise ValidationError(
            _("A resident ID number has 17 digits followed by a digit or X."),
            code="id_format",
        )
    if number[:2] not in ID_REGION_PREFIXES:
        raise ValidationError(
            _(
                "The region code at the start of this resident ID number does not exist."
            ),
            code="id_region",
        )
    birth = resident_id_birth_date(number)
    # Today in China, not on the server's clock (UTC): they differ before 08:00.
    if birth is None or birth > timezone.localdate() or birth.year < 1850:
        raise ValidationError(
            _("The birth date in this resident ID number is not a real date."),
            code="id_birth",
        )
    if resident_id_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("This resident ID number is mistyped: its check digit does not match."),
            code="id_checksum",
        )


def is_valid_resident_id(value: str) -> bool:
    try:
        validate_resident_id(value)
    except ValidationError:
        return False
    return True


def validate_mobile(value: str) -> None:
    if not MOBILE_PATTERN.match(normalize_code(value)):
        raise ValidationError(
            _("Enter a mainland mobile number of 11 digits, starting with 1."),
            code="mobile",
        )


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明, 买买提·艾力 → 买**·*力
    (SECURITY.md G4: first and last character kept, and every "·")."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    middle = "".join(ch if ch == "·" else "*" for ch in name[1:-1])
    return name[0] + middle + name[-1]


def mask_identifier(value: str, keep_start: int = 4, keep_end: int = 4) -> str:
    """3505********1234 style: keep the region prefix and the last characters."""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return (
        value[:keep_start]
        + "*" * (len(value) - keep_start - keep_end)
        + value[-keep_end:]
    )


def mask_mobile(value: str) -> str:
    """138****5678."""
    return mask_identifier(value, keep_start=3, keep_end=4)
