"""Mobile numbers of any country, as accounts keep them (E.164)."""

import pytest
from django.core.exceptions import ValidationError

from cms.core.identifiers import (
    mask_mobile,
    normalize_code,
    normalize_mobile,
    normalize_phone,
    phone_key,
)

VALID = [
    # typed                          E.164
    ("13800138000", "+8613800138000"),
    ("+8613800138000", "+8613800138000"),
    ("+86 138 0013 8000", "+8613800138000"),
    ("+86-138-0013-8000", "+8613800138000"),
    ("0086 138 0013 8000", "+8613800138000"),
    ("138-0013-8000", "+8613800138000"),
    ("138 0013 8000", "+8613800138000"),
    ("(+86) 138.0013.8000", "+8613800138000"),
    ("１３８００１３８０００", "+8613800138000"),  # full-width digits
    ("+852 6123 4567", "+85261234567"),  # Hong Kong
    ("00852 5100 0001", "+85251000001"),
    ("+853 6612 3456", "+85366123456"),  # Macao
    ("+886 912 345 678", "+886912345678"),  # Taiwan
    ("+886 0912 345 678", "+886912345678"),  # with the trunk 0 people keep
    ("+44 7911 123456", "+447911123456"),  # United Kingdom
    ("+1 650 253 0000", "+16502530000"),  # United States: fixed line or mobile
    ("+49 1512 3456789", "+4915123456789"),  # Germany
    ("+65 9123 4567", "+6591234567"),  # Singapore
    ("+61 412 345 678", "+61412345678"),  # Australia
]

INVALID = [
    # typed                   error code
    ("", "mobile"),
    ("abc", "mobile"),
    ("12345", "mobile"),
    ("1380013800", "mobile"),  # 10 digits
    ("12800138000", "mobile"),  # no mainland range 128
    ("15412345678", "mobile"),  # 154: unallocated
    ("+852 1234", "mobile"),  # too short for Hong Kong
    ("+999 1234 5678", "mobile"),  # no such country code
    ("1-800-FLOWERS", "mobile"),  # letters as keypad digits
    ("13800138000 ext. 12", "mobile"),
    ("+852 6123 4567 x9", "mobile"),
    ("1" * 200, "mobile"),
    ("61234567", "mobile"),  # Hong Kong digits without +852 read as mainland
    ("+852 2123 4567", "mobile_not_mobile"),  # a Hong Kong landline
    ("059122334455", "mobile_not_mobile"),  # a Fuzhou landline
    ("+86 591 2233 4455", "mobile_not_mobile"),
    ("+49 30 123456", "mobile_not_mobile"),  # a Berlin landline
]


@pytest.mark.parametrize(("typed", "e164"), VALID)
def test_mobile_numbers_of_every_country_become_e164(typed, e164):
    assert normalize_phone(typed) == e164
    assert phone_key(typed) == e164


@pytest.mark.parametrize(("typed", "code"), INVALID)
def test_what_is_not_a_mobile_number_is_refused_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(typed)
    assert caught.value.code == code
    # Looked up as typed: it then matches no stored E.164 number.
    assert phone_key(typed) == normalize_code(typed)


@pytest.mark.parametrize(("typed", "e164"), VALID)
def test_mainland_answers_keep_eleven_digits_and_nothing_else(typed, e164):
    """Application answers still take mainland numbers only (11 digits)."""
    if e164.startswith("+86"):
        assert normalize_mobile(typed) == e164[3:]
    else:
        with pytest.raises(ValidationError):
            normalize_mobile(typed)


@pytest.mark.parametrize(
    ("stored", "masked"),
    [
        ("13800138000", "138****8000"),
        ("+8613800138000", "138****8000"),
        ("+85261234567", "+852 ****4567"),
        ("+447911123456", "+44 ******3456"),
    ],
)
def test_masks_show_the_country_and_the_last_four_digits(stored, masked):
    assert mask_mobile(stored) == masked
