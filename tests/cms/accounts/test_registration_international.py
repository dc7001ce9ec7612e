"""Registration without a mainland number: any country's mobile number, a code
by e-mail where SMS cannot reach, and an identity document of any kind."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from freezegun import freeze_time

from cms.accounts.models import User, VerificationCode
from cms.core import crypto
from cms.core.sms import MemorySMSBackend
from tests.factories import make_user

from .conftest import last_code, sent_codes, signed_in_user_id

pytestmark = pytest.mark.django_db

URL = "/accounts/register/"
HK = "+852 6123 4567"
HK_E164 = "+85261234567"
EMAIL = "sophie.martin@example.org"
STRONG = "Lz8#qWm4!pRt"
CODE_IN_MAIL = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def form_data(**overrides) -> dict:
    data = {
        "kind": "talent",
        "real_name": "MARTIN SOPHIE",
        "mobile": HK,
        "channel": "email",
        "email": EMAIL,
        "organisation_name": "",
        "uscc": "",
        "code": "",
        "id_kind": "",
        "id_number": "",
        "password1": STRONG,
        "password2": STRONG,
        "action": "register",
    }
    data.update(overrides)
    return data


def send_code(client, **overrides):
    return client.post(URL, form_data(action="send_code", **overrides))


def mailed_codes(address: str = EMAIL) -> list[str]:
    return [
        CODE_IN_MAIL.search(message.body).group(1)
        for message in mail.outbox
        if message.to == [address]
    ]


def register_by_email(client, **overrides):
    sent = send_code(client, **overrides)
    assert sent.status_code == 200, sent.context["form"].errors
    overrides.setdefault("code", mailed_codes(overrides.get("email", EMAIL))[-1])
    return client.post(URL, form_data(**overrides))


def error_codes(response, field: str) -> set[str]:
    form = response.context["form"]
    return {error.code for error in form.errors.as_data().get(field, [])}


# --- by SMS, to any country ---


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("+852 6123 4567", "+85261234567"),
        ("+853 6612 3456", "+85366123456"),
        ("+886 912 345 678", "+886912345678"),
        ("+44 7911 123456", "+447911123456"),
        ("138 1234 5678", "+8613812345678"),
        ("+86-138-1234-5678", "+8613812345678"),
    ],
)
def test_a_number_of_any_country_registers_by_sms_in_e164(client, typed, e164):
    sent = send_code(client, mobile=typed, channel="sms", email="")
    assert sent.status_code == 200
    assert [to for to, _text in MemorySMSBackend.outbox] == [e164]
    response = client.post(
        URL, form_data(mobile=typed, channel="sms", email="", code=last_code(e164))
    )
    assert response.status_code == 302
    user = User.objects.get(mobile=e164)
    assert user.mobile_verified and user.email_verified_at is None
    assert signed_in_user_id(client) == str(user.pk)


def test_a_landline_gets_no_code_and_is_told_why(client):
    response = send_code(client, mobile="+852 2123 4567", channel="sms")
    assert error_codes(response, "mobile") == {"mobile_not_mobile"}
    assert MemorySMSBackend.outbox == [] and mail.outbox == []


# --- by e-mail ---


def test_a_foreign_talent_registers_with_an_e_mail_code(client):
    response = register_by_email(client, id_kind="passport", id_number="pa 000 0001")
    assert response.status_code == 302
    user = User.objects.get(email=EMAIL)
    assert user.mobile == HK_E164
    assert not user.mobile_verified, "an e-mail code proves the address only"
    assert user.email_verified_at is not None
    assert user.username == EMAIL
    assert MemorySMSBackend.outbox == [], "no SMS is sent when e-mail was chosen"
    assert signed_in_user_id(client) == str(user.pk)
    # Signs in later with the number as typed, or with the address.
    for identifier in (HK, "00852 6123 4567", EMAIL.upper()):
        other = Client()
        login = other.post(
            "/accounts/login/", {"username": identifier, "password": STRONG}
        )
        assert login.status_code == 302, identifier
        assert signed_in_user_id(other) == str(user.pk)


def test_the_mail_says_what_the_code_is_for_and_how_long_it_lives(client):
    send_code(client)
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert "10" in message.body
    stored = VerificationCode.objects.get(target=EMAIL)
    assert stored.purpose == VerificationCode.Purpose.REGISTER_BY_EMAIL
    assert mailed_codes()[0] not in stored.code_hash


def test_an_e_mail_code_is_needed_and_the_address_required(client):
    response = send_code(client, email="")
    assert error_codes(response, "email") == {"email_required"}
    assert mail.outbox == []


def test_an_e_mail_code_works_once(client):
    send_code(client)
    code = mailed_codes()[-1]
    assert client.post(URL, form_data(code=code)).status_code == 302
    again = Client().post(URL, form_data(code=code, email="other@example.org"))
    assert error_codes(again, "code") == {"code_wrong"}


def test_an_e_mail_code_is_bound_to_its_address(client):
    send_code(client)
    response = client.post(
        URL, form_data(code=mailed_codes()[-1], email="someone.else@example.org")
    )
    assert error_codes(response, "code") == {"code_wrong"}
    assert not User.objects.exists()


def test_an_e_mail_code_expires_after_ten_minutes(client):
    start = datetime.datetime(2026, 12, 8, 2, 0, tzinfo=datetime.UTC)
    with freeze_time(start):
        send_code(client)
    with freeze_time(start + datetime.timedelta(minutes=10, seconds=1)):
        response = client.post(URL, form_data(code=mailed_codes()[-1]))
    assert error_codes(response, "code") == {"code_wrong"}
    assert not User.objects.exists()


def test_an_sms_code_is_no_e_mail_code(client):
    send_code(client, channel="sms")
    response = client.post(URL, form_data(code=last_code(HK_E164)))
    assert error_codes(response, "code") == {"code_wrong"}


def test_e_mail_codes_are_limited_like_sms(client):
    statuses = [send_code(client).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert len(mailed_codes()) == 5


def test_a_registered_address_gets_no_code(client):
    make_user(email=EMAIL)
    response = send_code(client, email=EMAIL.upper())
    assert error_codes(response, "email") == {"email_taken"}
    assert mail.outbox == []


def test_the_owner_of_a_number_proved_by_sms_takes_it_from_an_unproved_account(
    client,
):
    """Someone who typed a stranger's number and proved only an e-mail address
    cannot keep its owner out: the owner's SMS code wins, the other account
    keeps its address and loses the number."""
    assert register_by_email(Client()).status_code == 302
    squatter = User.objects.get(email=EMAIL)
    sent = send_code(client, channel="sms", email="")
    assert sent.status_code == 200
    assert len(sent_codes(HK_E164)) == 1, "a code, not an 'already registered' notice"
    response = client.post(
        URL, form_data(channel="sms", email="", code=last_code(HK_E164))
    )
    assert response.status_code == 302
    owner = User.objects.get(mobile=HK_E164)
    assert owner.pk != squatter.pk and owner.mobile_verified
    squatter.refresh_from_db()
    assert squatter.mobile is None


def test_a_number_proved_by_sms_is_not_taken_by_an_e_mail_registration(client):
    make_user(mobile=HK)
    response = register_by_email(client)
    assert error_codes(response, "mobile") == {"mobile_taken"}
    assert User.objects.filter(mobile=HK_E164).count() == 1


def test_no_reset_code_goes_to_a_number_no_sms_has_proved(client):
    assert register_by_email(Client()).status_code == 302
    client.post(
        "/accounts/password/reset/mobile/", {"mobile": HK, "action": "send_code"}
    )
    assert MemorySMSBackend.outbox == []


# --- identity documents ---

DOCUMENTS_VALID = [
    ("passport", "E12345678", "E12345678"),
    ("passport", "pa 000 0001", "PA0000001"),
    ("hk_macau", "H12345678", "H12345678"),
    ("hk_macau", "M1234567801", "M1234567801"),
    ("taiwan", "12345678", "12345678"),
    ("foreign_permanent", "USA350000000001", "USA350000000001"),  # 2017 card
    ("foreign_permanent", "935000198001010016", "935000198001010016"),  # 2023 card
    ("resident", "11010519491231002X", "11010519491231002X"),
    ("resident", "810000199408230021", "810000199408230021"),  # HK residence permit
]

DOCUMENTS_INVALID = [
    ("passport", "E12", "id_format"),
    ("passport", "E1234-5678", "id_format"),
    ("hk_macau", "X12345678", "id_format"),
    ("taiwan", "1234567", "id_format"),
    ("foreign_permanent", "US350000000001", "id_format"),
    ("foreign_permanent", "935000198001010014", "id_checksum"),
    ("resident", "110105194912310021", "id_checksum"),
    ("", "E12345678", "kind"),
    ("passport", "", "required"),
]


@pytest.mark.parametrize(("kind", "typed", "stored"), DOCUMENTS_VALID)
def test_identity_documents_are_checked_and_sealed(client, kind, typed, stored):
    response = register_by_email(client, id_kind=kind, id_number=typed)
    assert response.status_code == 302
    user = User.objects.get(email=EMAIL)
    assert user.id_kind == kind
    assert user.identity_number == stored
    assert user.id_digest == crypto.blind_index(stored)
    assert stored not in user.id_cipher and stored not in user.id_masked
    assert user.id_masked.endswith(stored[-3:])


@pytest.mark.parametrize(("kind", "typed", "code"), DOCUMENTS_INVALID)
def test_a_wrong_document_is_refused_and_the_code_survives(client, kind, typed, code):
    response = register_by_email(client, id_kind=kind, id_number=typed)
    assert response.status_code == 200
    field = "id_kind" if code == "kind" else "id_number"
    assert error_codes(response, field) == {code}
    assert not User.objects.exists()
    assert VerificationCode.objects.get(target=EMAIL).used_at is None


def test_the_profile_shows_the_document_masked_and_the_number_unproved(client):
    register_by_email(client, id_kind="passport", id_number="E12345678")
    page = client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="en").content
    assert b"E12345678" not in page
    assert b"+852 ****4567" in page


def test_key_rotation_re_encrypts_the_accounts_documents(settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.DATA_ENCRYPTION_KEYS = [old]
    crypto._fernet.cache_clear()
    try:
        user = make_user()
        user.set_identity("passport", "E12345678")
        user.save()
        settings.DATA_ENCRYPTION_KEYS = [new, old]
        crypto._fernet.cache_clear()
        call_command("rotate_data_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
        settings.DATA_ENCRYPTION_KEYS = [new]
        crypto._fernet.cache_clear()
        user.refresh_from_db()
        assert user.identity_number == "E12345678"
    finally:
        crypto._fernet.cache_clear()
