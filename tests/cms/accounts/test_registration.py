"""Registration of talents and employer contacts, with an SMS-verified mobile number."""

import datetime
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from freezegun import freeze_time

from cms.accounts.models import Employer, User, VerificationCode
from cms.core.identifiers import mask_mobile
from cms.core.sms import MemorySMSBackend
from tests.factories import make_employer, make_user, valid_uscc

from .conftest import last_code, sent_codes

pytestmark = pytest.mark.django_db

URL = "/accounts/register/"
MOBILE = "13812345678"
E164 = "+86" + MOBILE  # how accounts keep it
STRONG = "Lz8#qWm4!pRt"


def form_data(**overrides) -> dict:
    data = {
        "kind": "talent",
        "real_name": "林晓明",
        "mobile": MOBILE,
        "email": "",
        "organisation_name": "",
        "uscc": "",
        "code": "",
        "password1": STRONG,
        "password2": STRONG,
        "action": "register",
    }
    data.update(overrides)
    return data


def send_code(client, mobile=MOBILE, **extra):
    return client.post(URL, form_data(mobile=mobile, action="send_code", **extra))


def register(client, **overrides):
    mobile = overrides.get("mobile", MOBILE)
    send = send_code(client, mobile=mobile)
    assert send.status_code == 200
    overrides.setdefault("code", last_code(mobile))
    return client.post(URL, form_data(**overrides))


def error_codes(response, field: str) -> set[str]:
    form = response.context["form"]
    return {error.code for error in form.errors.as_data().get(field, [])}


def test_talent_registers_with_the_texted_code_and_is_signed_in(client):
    response = register(client, email="Lin@Example.COM")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    user = User.objects.get(mobile=E164)
    assert user.kind == User.Kind.TALENT
    assert user.real_name == "林晓明"
    assert user.email == "lin@example.com"
    assert user.employer is None
    assert user.check_password(STRONG)
    assert client.session[SESSION_KEY] == str(user.pk)


def test_employer_contact_registers_a_new_organisation(client):
    uscc = valid_uscc()
    response = register(
        client,
        kind="employer",
        organisation_name="泉州港湾科技有限公司",
        uscc=f" {uscc.lower()} ",
    )
    assert response.status_code == 302
    user = User.objects.get(mobile=E164)
    assert user.kind == User.Kind.EMPLOYER
    assert user.employer.uscc == uscc
    assert user.employer.name == "泉州港湾科技有限公司"


def test_employer_contact_must_name_the_organisation(client):
    response = register(client, kind="employer")
    assert response.status_code == 200
    assert "required" in error_codes(response, "organisation_name")
    assert "required" in error_codes(response, "uscc")
    assert not User.objects.filter(mobile=E164).exists()


def test_a_mistyped_uscc_is_refused_and_the_code_survives(client):
    uscc = valid_uscc()
    wrong_check = uscc[:17] + ("0" if uscc[17] != "0" else "1")
    response = register(
        client, kind="employer", organisation_name="某公司", uscc=wrong_check
    )
    assert response.status_code == 200
    assert error_codes(response, "uscc") == {"uscc_checksum"}
    assert not User.objects.filter(mobile=E164).exists()
    assert not Employer.objects.filter(uscc=wrong_check).exists()
    # A typo elsewhere must not cost the visitor their code.
    assert VerificationCode.objects.get(target=E164).used_at is None


def test_an_already_registered_uscc_is_refused_not_joined(client):
    existing = make_employer(name="已注册企业")
    member = make_user(kind=User.Kind.EMPLOYER, employer=existing)
    response = register(
        client, kind="employer", organisation_name="冒名企业", uscc=existing.uscc
    )
    assert response.status_code == 200
    assert error_codes(response, "uscc") == {"uscc_registered"}
    assert not User.objects.filter(mobile=E164).exists()
    assert list(existing.members.all()) == [member]
    assert Employer.objects.filter(uscc=existing.uscc).count() == 1


def comparable(response, mobile: str) -> str:
    """The page without its CSRF token and with the number and its mask blanked."""
    html = re.sub(r'value="[^"]{64}"', "", response.content.decode())
    return html.replace(mobile, "NUMBER").replace(mask_mobile(mobile), "MASKED")


def test_send_code_answers_the_same_whether_or_not_the_mobile_is_registered(client):
    """The page never tells a stranger that a number has an account: the owner
    gets a notice by SMS instead of a code, and no second account is made."""
    other = "13812340000"
    make_user(mobile=MOBILE)
    registered = send_code(client)
    new = send_code(Client(), mobile=other)
    assert registered.status_code == new.status_code == 200
    assert error_codes(registered, "mobile") == set()
    assert registered.context["code_sent"] is True
    assert comparable(registered, MOBILE) == comparable(new, other)
    assert sent_codes(MOBILE) == []
    ((to, notice),) = [sms for sms in MemorySMSBackend.outbox if sms[0] == E164]
    assert "already has one" in notice or "已有账号" in notice
    response = client.post(URL, form_data(code="123456"))
    assert error_codes(response, "code") == {"code_wrong"}
    assert User.objects.filter(mobile=E164).count() == 1


def test_a_number_registered_after_its_code_was_sent_is_refused(client):
    send_code(client)
    make_user(mobile=MOBILE)
    response = client.post(URL, form_data(code=last_code(MOBILE)))
    assert error_codes(response, "mobile") == {"mobile_taken"}
    assert User.objects.filter(mobile=E164).count() == 1


def test_a_registered_email_is_refused(client):
    make_user(email="taken@example.com")
    response = register(client, email="TAKEN@example.com")
    assert error_codes(response, "email") == {"email_taken"}
    assert not User.objects.filter(mobile=E164).exists()


def test_sending_a_code_keeps_what_was_typed_except_passwords(client):
    response = send_code(client, email="lin@example.com", real_name="林晓明")
    html = response.content.decode()
    assert 'value="林晓明"' in html
    assert 'value="lin@example.com"' in html
    assert STRONG not in html
    assert not response.context["form"].errors
    assert len(sent_codes(MOBILE)) == 1


def test_an_invalid_mobile_number_gets_no_code(client):
    response = send_code(client, mobile="12345")
    assert error_codes(response, "mobile") == {"mobile"}
    assert MemorySMSBackend.outbox == []


def test_the_code_is_stored_only_as_a_keyed_hash(client):
    send_code(client)
    code = last_code(MOBILE)
    stored = VerificationCode.objects.get(target=E164)
    assert code not in stored.code_hash
    assert len(stored.code_hash) == 64
    assert stored.expires_at - stored.created_at == datetime.timedelta(minutes=10)


def test_a_wrong_code_is_refused(client):
    send_code(client)
    wrong = "000000" if last_code(MOBILE) != "000000" else "111111"
    response = client.post(URL, form_data(code=wrong))
    assert error_codes(response, "code") == {"code_wrong"}
    assert not User.objects.filter(mobile=E164).exists()


def test_a_code_older_than_ten_minutes_is_refused(client):
    with freeze_time("2026-05-01 09:00:00") as frozen:
        send_code(client)
        code = last_code(MOBILE)
        frozen.tick(datetime.timedelta(minutes=11))
        response = client.post(URL, form_data(code=code))
    assert error_codes(response, "code") == {"code_wrong"}
    assert not User.objects.filter(mobile=E164).exists()


def test_a_code_dies_after_five_wrong_tries(client):
    send_code(client)
    code = last_code(MOBILE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post(URL, form_data(code=wrong))
    response = client.post(URL, form_data(code=code))
    assert error_codes(response, "code") == {"code_wrong"}
    assert not User.objects.filter(mobile=E164).exists()


def test_a_new_code_replaces_the_previous_one(client):
    send_code(client)
    first = last_code(MOBILE)
    send_code(client)
    second = last_code(MOBILE)
    if first == second:
        pytest.skip("the CSPRNG drew the same code twice")
    response = client.post(URL, form_data(code=first))
    assert error_codes(response, "code") == {"code_wrong"}


def test_the_sixth_code_within_an_hour_is_refused_with_429(client):
    with freeze_time("2026-05-01 09:00:00") as frozen:
        statuses = [send_code(client).status_code for _ in range(6)]
        assert statuses == [200, 200, 200, 200, 200, 429]
        assert len(sent_codes(MOBILE)) == 5
        assert len(MemorySMSBackend.outbox) == 5
        refused = send_code(client)
        assert refused.status_code == 429
        assert "too_many_requests" in error_codes(refused, "__all__")
        frozen.tick(datetime.timedelta(minutes=61))
        assert send_code(client).status_code == 200
    assert len(sent_codes(MOBILE)) == 6


def test_one_address_cannot_request_codes_for_many_numbers(settings):
    settings.VERIFICATION_CODE_IP_SEND_LIMIT = 3
    crowded = Client(REMOTE_ADDR="203.0.113.7")
    numbers = [f"1380000000{n}" for n in range(4)]
    statuses = [send_code(crowded, mobile=number).status_code for number in numbers]
    assert statuses == [200, 200, 200, 429]
    assert sent_codes(numbers[3]) == []
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")
    assert send_code(elsewhere, mobile=numbers[3]).status_code == 200


def test_signed_in_visitors_are_sent_to_their_account(client, talent):
    client.force_login(talent)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"


def test_registration_cannot_make_staff(client):
    """Extra or forged fields (docs/security.md mass assignment) are ignored or refused."""
    response = register(client, kind="staff")
    assert response.status_code == 200
    assert response.context["form"].has_error("kind", "invalid_choice")
    register(client, is_staff="on", is_superuser="on", department="1")
    user = User.objects.get(mobile=E164)
    assert not user.is_staff and not user.is_superuser
    assert user.kind == User.Kind.TALENT
    assert user.department is None


def test_send_code_presses_for_a_registered_number_count_against_the_limit(client):
    """Each press counts, whatever the number."""
    make_user(mobile=MOBILE)
    with freeze_time("2026-05-01 09:00:00"):
        responses = [send_code(client) for _ in range(6)]
    assert [response.status_code for response in responses] == [200] * 5 + [429]
    assert error_codes(responses[0], "mobile") == set()
    assert "too_many_requests" in error_codes(responses[5], "__all__")
    assert error_codes(responses[5], "mobile") == set()
    assert sent_codes(MOBILE) == []
    assert len(MemorySMSBackend.outbox) == 5


def test_spellings_of_one_number_share_its_limit(client):
    """Full-width digits and spaces are the same number, so they count together."""
    spellings = [MOBILE, "138 1234 5678", "１３８１２３４５６７８"]
    statuses = [
        send_code(client, mobile=spellings[n % 3]).status_code for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    assert len(sent_codes(MOBILE)) == 5


def test_a_mobile_typed_with_plus_86_and_spaces_registers_in_e164(client):
    typed = "+86 138 1234 5678"
    send = send_code(client, mobile=typed)
    assert send.status_code == 200
    assert [to for to, _text in MemorySMSBackend.outbox] == [E164]
    response = client.post(URL, form_data(mobile=typed, code=last_code(MOBILE)))
    assert response.status_code == 302
    assert User.objects.get(mobile=E164).username == E164


def test_an_unallocated_mobile_range_gets_no_code(client):
    response = send_code(client, mobile="15412345678")
    assert error_codes(response, "mobile") == {"mobile"}
    assert MemorySMSBackend.outbox == []
