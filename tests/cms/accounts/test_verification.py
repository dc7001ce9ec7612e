"""One-time codes: single use, bound to number (or address) and purpose."""

import pytest

from cms.accounts.models import VerificationCode
from cms.accounts.verification import consume_code, issue_code

from .conftest import last_code, sent_codes

pytestmark = pytest.mark.django_db

MOBILE = "+8613812345678"  # callers hand over E.164
REGISTER = VerificationCode.Purpose.REGISTER
RESET = VerificationCode.Purpose.RESET_PASSWORD


def test_a_code_works_exactly_once():
    issue_code(MOBILE, REGISTER)
    code = last_code(MOBILE)
    assert consume_code(MOBILE, REGISTER, code) is True
    assert consume_code(MOBILE, REGISTER, code) is False


def test_a_code_is_bound_to_its_purpose_and_number():
    issue_code(MOBILE, REGISTER)
    code = last_code(MOBILE)
    assert consume_code(MOBILE, RESET, code) is False
    assert consume_code("13900000000", REGISTER, code) is False
    assert consume_code(MOBILE, REGISTER, code) is True


def test_codes_are_six_digits_and_vary():
    for _ in range(20):
        issue_code(MOBILE, REGISTER)
    codes = sent_codes(MOBILE)
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(set(codes)) > 1
    assert (
        VerificationCode.objects.filter(target=MOBILE, used_at__isnull=True).count()
        == 1
    )


def test_wrong_tries_are_counted_on_the_live_code():
    issue_code(MOBILE, REGISTER)
    code = last_code(MOBILE)
    wrong = "000000" if code != "000000" else "111111"
    consume_code(MOBILE, REGISTER, wrong)
    consume_code(MOBILE, REGISTER, wrong)
    assert VerificationCode.objects.get(target=MOBILE).failed_attempts == 2
