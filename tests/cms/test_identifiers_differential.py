"""Our identifier checks against the maintained libraries, on generated numbers.

Every disagreement must fall in a class listed and justified here; a new kind of
disagreement fails the test.
"""

import datetime
import random

import phonenumbers
import pytest
from django.utils import timezone
from stdnum import numdb
from stdnum.cn import ric, uscc

from cms.core.identifiers import (
    USCC_AUTHORITY_TYPES,
    USCC_CHARSET,
    is_valid_mobile,
    is_valid_resident_id,
    is_valid_uscc,
    normalize_mobile,
    resident_id_check_char,
    uscc_check_char,
)

SEED = 20261207
# The hall's date (China time), as is_valid_resident_id reads it.
TODAY = timezone.localdate()


def division_codes() -> list[str]:
    """Every six-digit code in python-stdnum's historical list."""
    codes = []

    def walk(prefixes, head):
        for length, low, high, props, children in prefixes:
            for value in range(int(low), int(high) + 1):
                part = str(value).zfill(length)
                if len(head + part) == 6 and "county" in props:
                    codes.append(head + part)
                walk(children, head + part)

    walk(numdb.get("cn/loc").prefixes, "")
    return sorted(set(codes))


CODES = division_codes()


def random_resident_id(rng: random.Random, code: str | None = None) -> str:
    birth = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(30000))
    first17 = (code or rng.choice(CODES)) + f"{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + resident_id_check_char(first17)


def stdnum_lifetime_rule_only(number: str) -> bool:
    """python-stdnum refuses the number only because the person was born outside
    the lifetime of the county code: ours deliberately accepts it (a number keeps
    the code of its first registration; 长乐市 people born before 1994 have
    350182 numbers)."""
    try:
        ric.get_birth_place(number)
    except (ric.ValidationError, KeyError):
        info = numdb.get("cn/loc").info(number[:6])
        return "county" in info[-1][1]
    return False


def stdnum_accepts_resident_id(number: str) -> bool:
    # python-stdnum 2.2 raises KeyError, not a validation error, for a province
    # prefix followed by no known county (350199...): that is a refusal too.
    try:
        return ric.is_valid(number)
    except KeyError:
        return False


def test_resident_ids_agree_with_python_stdnum():
    rng = random.Random(SEED)
    disagreements = {"lifetime": 0, "impossible_birth": 0, "permit": 0}
    checked = 0
    for _round in range(2000):
        number = random_resident_id(rng)
        candidates = [number]
        # Corruptions: a changed digit, two neighbours swapped, and a changed
        # digit re-signed with a correct check digit (a well-formed forgery).
        position = rng.randrange(17)
        digit = str((int(number[position]) + rng.randrange(1, 10)) % 10)
        changed = number[:position] + digit + number[position + 1 :]
        candidates.append(changed)
        swap = rng.randrange(16)
        if number[swap] != number[swap + 1]:
            candidates.append(
                number[:swap] + number[swap + 1] + number[swap] + number[swap + 2 :]
            )
        candidates.append(changed[:17] + resident_id_check_char(changed[:17]))
        for candidate in candidates:
            checked += 1
            ours = is_valid_resident_id(candidate)
            theirs = stdnum_accepts_resident_id(candidate)
            if ours == theirs:
                continue
            if ours and stdnum_lifetime_rule_only(candidate):
                disagreements["lifetime"] += 1
            elif not ours and not (
                datetime.date(1850, 1, 1) <= ric.get_birth_date(candidate) <= TODAY
            ):
                # python-stdnum checks only that the date exists: 1086 or next
                # year passes there, not here.
                disagreements["impossible_birth"] += 1
            else:
                pytest.fail(f"unexplained disagreement on {candidate}: ours {ours}")
    # Residence permits of Macao and Taiwan residents: python-stdnum knows no
    # 820000 or 830000.
    for prefix in ("820000", "830000"):
        number = random_resident_id(rng, prefix)
        assert is_valid_resident_id(number)
        assert not stdnum_accepts_resident_id(number)
        disagreements["permit"] += 1
    assert checked > 7000
    assert disagreements["lifetime"] > 0  # the rule we leave out does apply


def random_uscc(rng: random.Random, authority: str, kind: str) -> str:
    first17 = (
        authority
        + kind
        + rng.choice(CODES)
        + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
    )
    return first17 + uscc_check_char(first17)


def test_credit_codes_agree_with_python_stdnum():
    rng = random.Random(SEED)
    pairs = [(a, t) for a, types in USCC_AUTHORITY_TYPES.items() for t in types]
    disagreements = {"letter_authority": 0, "unknown_authority_type": 0}
    for _round in range(1500):
        authority, kind = rng.choice(pairs)
        code = random_uscc(rng, authority, kind)
        # Any two leading characters, re-signed: GB 32100's table decides.
        other = rng.choice(USCC_CHARSET) + rng.choice(USCC_CHARSET)
        resigned = other + code[2:17]
        resigned += uscc_check_char(resigned)
        position = rng.randrange(18)
        typo = code[:position] + rng.choice(USCC_CHARSET) + code[position + 1 :]
        spaced = f"{code[:8]}-{code[8:]}"
        for candidate in (code, resigned, typo, spaced):
            ours, theirs = is_valid_uscc(candidate), uscc.is_valid(candidate)
            if ours == theirs:
                continue
            head = candidate[:2]
            if ours and not head.isdigit():
                # python-stdnum wants eight digits first; GB 32100 gives letter
                # authorities (A military, N agriculture, Y other).
                disagreements["letter_authority"] += 1
            elif not ours and head[1] not in USCC_AUTHORITY_TYPES.get(head[0], ""):
                # python-stdnum checks no authority or type table.
                disagreements["unknown_authority_type"] += 1
            else:
                pytest.fail(f"unexplained disagreement on {candidate}: ours {ours}")
    assert all(disagreements.values())


def phonenumbers_says_mobile(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return None
    return str(number.national_number)


def test_mobiles_agree_with_phonenumbers():
    """Every four-digit prefix from 1000 to 1999, in the forms people type."""
    rng = random.Random(SEED)
    accepted = refused = 0
    for prefix in range(1000, 2000):
        for _round in range(3):
            national = f"{prefix}{rng.randrange(10**7):07d}"
            for typed in (
                national,
                f"+86{national}",
                f"+86 {national[:3]} {national[3:7]} {national[7:]}",
                f"0086-{national[:3]}-{national[3:7]}-{national[7:]}",
            ):
                theirs = phonenumbers_says_mobile(typed)
                assert is_valid_mobile(typed) == (theirs is not None), typed
                if theirs is None:
                    refused += 1
                else:
                    assert normalize_mobile(typed) == theirs == national
                    accepted += 1
    assert accepted and refused
