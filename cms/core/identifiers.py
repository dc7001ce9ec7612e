"""Chinese identifiers as first-class values: checks and masking.

- Unified social credit code (统一社会信用代码), GB 32100-2015.
- Resident identity card number (公民身份号码), GB 11643-1999.
- Mobile numbers, parsed with phonenumbers: mainland ones in their 11-digit form
  (application answers), any country's in E.164 (accounts).
- Bank account and card numbers (Luhn, ISO/IEC 7812, on card numbers).
- Postal addresses (masking only).

Each `validate_*` raises a translated ValidationError; each `is_valid_*` answers a bool.
"""

import datetime
import functools
import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import numdb

# GB 32100: 31 characters, without I, O, Z, S, V.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# GB 32100 table 1: the registration authority (first character) and the
# organisation types it registers (second character). python-stdnum checks only
# that the first eight characters are digits, which refuses the letter
# authorities (A military, N agriculture, Y other) that real codes carry.
USCC_AUTHORITY_TYPES = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 群众团体, 其他
    "2": "19",  # 外交
    "3": "1234569",  # 司法行政: 律所, 公证处, 法律服务所, 鉴定机构, 仲裁委, 其他
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "12349",  # 农业: 组级, 村级, 乡镇级集体经济组织
    "Y": "1",  # 其他
}
# People type codes with hyphens or spaces between groups.
USCC_SEPARATORS = re.compile(r"[\s\-‐‑‒–—－]+")

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
MOBILE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)
# Hong Kong, Macao and Taiwan residence permits (居住证) use these as their
# address code; the historical list knows only 810000.
ID_PERMIT_REGIONS = frozenset({"810000", "820000", "830000"})


@functools.lru_cache(maxsize=4096)
def is_historical_division_code(code: str) -> bool:
    """Whether the six-digit division code existed at any time since 1980
    (python-stdnum's GB/T 2260 history). python-stdnum's own check also wants
    the birth year inside the code's lifetime; that rule is left out, since a
    number keeps the code of its first registration: people born before a
    county was created and registered there later are real."""
    if len(code) != 6 or not code.isdigit():
        return False
    parts = numdb.get("cn/loc").info(code)
    return sum(len(part) for part, _props in parts) == 6 and "county" in parts[-1][1]


def normalize_code(value: str) -> str:
    """NFKC (full-width digits), upper-case, no spaces: as people type codes."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


def uscc_check_char(first17: str) -> str:
    total = sum(
        USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_CHARSET[(31 - total % 31) % 31]


def normalize_uscc(value: str) -> str:
    """As normalize_code, and without the hyphens people type between groups."""
    return USCC_SEPARATORS.sub("", normalize_code(value))


def is_valid_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except ValidationError:
        return False
    return True


def validate_uscc(value: str) -> None:
    code = normalize_uscc(value)
    if not USCC_PATTERN.match(code):
        raise ValidationError(
            _(
                "A unified social credit code has 18 digits or capital letters (not I, O, Z, S, V)."
            ),
            code="uscc_format",
        )
    if code[1] not in USCC_AUTHORITY_TYPES.get(code[0], ""):
        raise ValidationError(
            _(
                "The first two characters of this unified social credit code name no "
                "registration authority and type."
            ),
            code="uscc_authority",
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
    if number[:2] not in ID_REGION_PREFIXES or not (
        number[:6] in ID_PERMIT_REGIONS or is_historical_division_code(number[:6])
    ):
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


def normalize_mobile(value: str) -> str:
    """The 11-digit form of a mainland mobile number as people type it
    (+86 138 0013 8000, 0086-138-0013-8000, full-width digits), or a
    ValidationError. The one place mobile numbers are checked: foreign numbers
    can be added here."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    error = ValidationError(
        _("Enter a mainland mobile number of 11 digits, starting with 1."),
        code="mobile",
    )
    # phonenumbers accepts letters as keypad digits (1-800-FLOWERS): not here.
    if not text or len(text) > 30 or re.search(r"[^\d\s+()\-.]", text):
        raise error
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise error from None
    national = str(number.national_number)
    if (
        number.country_code != 86
        or number.extension
        or not MOBILE_PATTERN.match(national)
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise error
    return national


def validate_mobile(value: str) -> None:
    normalize_mobile(value)


def mobile_key(value: str) -> str:
    """What to look a typed mobile number up by: its 11-digit form when it is
    one, else the code as typed (so +86 variants of a number count as one)."""
    try:
        return normalize_mobile(value)
    except ValidationError:
        return normalize_code(value)


def is_valid_mobile(value: str) -> bool:
    try:
        normalize_mobile(value)
    except ValidationError:
        return False
    return True


def normalize_phone(value: str) -> str:
    """The E.164 form (+8613800138000, +85261234567) of a mobile number of any
    country as people type it, or a ValidationError. Without a country code a
    number is read as a mainland one, so 138 0013 8000, +86 138-0013-8000 and
    0086 13800138000 are one number; 00852 ... is read like +852 ...
    Accounts keep numbers in this form."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    error = ValidationError(
        _(
            "Enter a mobile number: 11 digits for a mainland number, or the number "
            "with its country or region code, such as +852 6123 4567."
        ),
        code="mobile",
    )
    if not text or len(text) > 30 or re.search(r"[^\d\s+()\-.]", text):
        raise error
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise error from None
    if number.extension or not phonenumbers.is_valid_number(number):
        raise error
    if phonenumbers.number_type(number) not in MOBILE_TYPES or (
        number.country_code == 86
        and not MOBILE_PATTERN.match(str(number.national_number))
    ):
        raise ValidationError(
            _(
                "This is not a mobile number (it may be a landline): a text "
                "message cannot reach it. Enter a mobile number."
            ),
            code="mobile_not_mobile",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    normalize_phone(value)


def phone_key(value: str) -> str:
    """What an account's number is looked up by: its E.164 form when the typed
    text is a mobile number, else the text normalised (it then finds nothing)."""
    try:
        return normalize_phone(value)
    except ValidationError:
        return normalize_code(value)


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明, 买买提·艾力 → 买**·*力
    (docs/security.md G4: first and last character kept, and every "·")."""
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


def mask_email(value: str) -> str:
    """a***@example.com: the first character and the domain."""
    local, _at, domain = value.rpartition("@")
    return f"{local[:1]}***@{domain}"


def mask_mobile(value: str) -> str:
    """138****5678; in E.164, a mainland number the same and any other with its
    country code shown: +852 ****5678."""
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("+"):
        try:
            number = phonenumbers.parse(value)
        except phonenumbers.NumberParseException:
            return mask_identifier(value, keep_start=3, keep_end=4)
        national = str(number.national_number)
        return f"+{number.country_code} {mask_identifier(national, 0, 4)}"
    return mask_identifier(value, keep_start=3, keep_end=4)


# Bank cards: UnionPay (62), Visa (4) and Mastercard (5) numbers of 16 to 19
# digits carry a Luhn check digit. Passbook and corporate account numbers use
# bank-specific checks, so other numbers are checked for form only.
BANK_ACCOUNT_PATTERN = re.compile(r"^\d{12,19}$")
LUHN_CARD_PATTERN = re.compile(r"^(?:62|4|5)\d{15,18}$")


def normalize_bank_account(value: str) -> str:
    """Full-width digits made ASCII; spaces and hyphens between groups dropped."""
    value = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(ch for ch in value if ch not in " -\t")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        number = int(char)
        if position % 2:
            number = number * 2 - 9 if number > 4 else number * 2
        total += number
    return total % 10 == 0


def validate_bank_account(value: str) -> None:
    number = normalize_bank_account(value)
    if not BANK_ACCOUNT_PATTERN.match(number):
        raise ValidationError(
            _("Enter the account or card number: 12 to 19 digits."),
            code="bank_account",
        )
    if LUHN_CARD_PATTERN.match(number) and not luhn_valid(number):
        raise ValidationError(
            _("This card number is not valid: check the digits."),
            code="bank_account",
        )


def format_bank_account(number: str) -> str:
    """6222 0212 3456 7893 445: groups of four, as printed on a card."""
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def mask_bank_account(number: str) -> str:
    """6222 **** **** 3445, whatever the length (the length is hidden too)."""
    number = normalize_bank_account(number)
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:4]} **** **** {number[-4:]}"


ADDRESS_LEVEL_ENDINGS = "省市区县州旗盟"


def mask_address(address: str) -> str:
    """福建省泉州市丰泽区东海街道… → 福建省泉州市丰泽区****: the administrative
    divisions at the start stay, street, building and room are hidden."""
    address = "".join(str(address or "").split())
    head = address[:12]
    cut = max((head.rfind(ch) for ch in ADDRESS_LEVEL_ENDINGS), default=-1)
    kept = head[: cut + 1] if cut >= 1 else address[:2]
    return kept + "****"
