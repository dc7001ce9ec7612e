"""GB 32100 credit codes, GB 11643 ID numbers, mobiles and masking."""

import pytest
from django.core.exceptions import ValidationError

from cms.core.identifiers import (
    is_valid_resident_id,
    is_valid_uscc,
    mask_identifier,
    mask_mobile,
    mask_name,
    mobile_key,
    normalize_code,
    normalize_mobile,
    normalize_uscc,
    resident_id_check_char,
    uscc_check_char,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)

# Published credit codes of real organisations (check characters per GB 32100).
VALID_USCC = ["91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_real_credit_codes_are_accepted(code):
    validate_uscc(code)
    assert is_valid_uscc(code.lower())


@pytest.mark.parametrize(
    "code,error",
    [
        ("91350100M000100Y44", "uscc_checksum"),  # last character changed
        ("91350100M000100Y4", "uscc_format"),  # 17 characters
        ("91350100M0001O0Y43", "uscc_format"),  # letter O is not in the charset
        ("", "uscc_format"),
    ],
)
def test_mistyped_credit_codes_are_refused_with_a_reason(code, error):
    with pytest.raises(ValidationError) as caught:
        validate_uscc(code)
    assert caught.value.code == error


# GB 11643 vectors: the standard's own example and computed ones (docs/security.md E1).
@pytest.mark.parametrize(
    "number", ["11010519491231002X", "440524188001010014", "35050219900101123X"]
)
def test_valid_resident_ids_are_accepted(number):
    validate_resident_id(number)


@pytest.mark.parametrize(
    "number,error",
    [
        ("110105194912310021", "id_checksum"),
        ("11010519491331002X", "id_birth"),  # month 13
        ("11010520990101002X", "id_birth"),  # born in the future
        ("1101051949123100", "id_format"),
        ("11010519491231002Y", "id_format"),
        ("110105194902300020", "id_birth"),  # checksum fine, 30 February
        ("990105194912310023", "id_region"),
    ],
)
def test_invalid_resident_ids_are_refused_with_a_reason(number, error):
    with pytest.raises(ValidationError) as caught:
        validate_resident_id(number)
    assert caught.value.code == error
    assert not is_valid_resident_id(number)


def test_lower_case_and_full_width_input_is_normalized():
    assert is_valid_resident_id("11010519491231002x")
    assert is_valid_resident_id("１１０１０５１９４９１２３１００２Ｘ")


@pytest.mark.parametrize("mobile", ["13800138000", "19912345678"])
def test_mainland_mobiles_are_accepted(mobile):
    validate_mobile(mobile)


@pytest.mark.parametrize(
    "typed",
    [
        "+8613800138000",
        "+86 138 0013 8000",
        "0086 138-0013-8000",
        "138 0013 8000",
        "(+86) 138.0013.8000",
        "１３８００１３８０００",
    ],
)
def test_mobiles_as_people_type_them_become_eleven_digits(typed):
    assert normalize_mobile(typed) == "13800138000"


@pytest.mark.parametrize(
    "mobile",
    [
        "12800138000",
        "1380013800",
        "abc",
        "",
        "14012345678",  # 140: no operator holds it
        "15412345678",  # 154: unallocated
        "+1 650 253 0000",  # a valid number, not a Chinese one
        "+852 6123 4567",  # Hong Kong mobile
        "059122334455",  # a Fuzhou landline
        "1-800-FLOWERS",
        "13800138000 ext. 12",
        "1" * 200,
    ],
)
def test_other_numbers_are_not_mobiles(mobile):
    with pytest.raises(ValidationError):
        validate_mobile(mobile)
    assert mobile_key(mobile) == normalize_code(mobile)


@pytest.mark.parametrize(
    "number",
    [
        "350182198506150015",  # 长乐市, abolished 2017: the holder keeps the number
        "350628199001010016",  # 平和县, exists
        "110103196001010010",  # 崇文区, merged into 东城区 in 2010
        "110118199001010019",  # 密云区, created 2015, holder born before it
        "820000199001010011",  # Macao residents' residence permit
    ],
)
def test_county_codes_that_existed_at_any_time_are_accepted(number):
    number = number[:17] + resident_id_check_char(number[:17])
    validate_resident_id(number)


@pytest.mark.parametrize(
    "prefix", ["350199", "110199", "350000"[:4] + "99", "469999", "710101"[:4] + "98"]
)
def test_county_codes_that_never_existed_are_refused(prefix):
    first17 = prefix + "19900101001"
    with pytest.raises(ValidationError) as caught:
        validate_resident_id(first17 + resident_id_check_char(first17))
    assert caught.value.code == "id_region"


@pytest.mark.parametrize(
    "typed",
    [
        "91350100-M000100Y4-3",
        "9135 0100 M000 100Y 43",
        "91350100－M000100Y43",
        " 91350100m000100y43 ",
    ],
)
def test_credit_codes_with_hyphens_and_spaces_are_accepted(typed):
    validate_uscc(typed)
    assert normalize_uscc(typed) == "91350100M000100Y43"


@pytest.mark.parametrize("authority_type", ["94", "14", "B1", "Y2", "0A"])
def test_credit_codes_of_no_registration_authority_or_type_are_refused(
    authority_type,
):
    first17 = authority_type + "350100M000100Y4"
    with pytest.raises(ValidationError) as caught:
        validate_uscc(first17 + uscc_check_char(first17))
    assert caught.value.code == "uscc_authority"


def test_masking_follows_publicity_conventions():
    assert mask_name("张三") == "张*"
    assert mask_name("张小三") == "张*三"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name("买买提·艾力") == "买**·*力"
    assert mask_name("李") == "李"
    assert mask_identifier("35050219900101123X") == "3505**********123X"
    assert mask_mobile("13800138000") == "138****8000"


def test_a_baby_born_today_in_china_has_a_valid_id_before_eight_in_the_morning():
    """Early in China's morning the server's UTC date is still yesterday; the
    birth date is checked against China's today."""
    from freezegun import freeze_time

    from cms.core.identifiers import resident_id_check_char

    first17 = "35050220261209001"
    number = first17 + resident_id_check_char(first17)
    with freeze_time("2026-12-09T00:30:00+08:00"):
        assert is_valid_resident_id(number)
    with freeze_time("2026-12-08T23:30:00+08:00"):
        assert not is_valid_resident_id(number)  # not born yet
