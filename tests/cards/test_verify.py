"""The public verification page: outcomes, forgery, revocation, keys, counting."""

import datetime
import json
from urllib.parse import quote

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from forms.cards import tokens
from forms.cards.views import PARTNER_COOKIE
from forms.models import Partner, TalentCard, VerificationCount
from tests.cards.helpers import approved_talent, new_key, token_of

pytestmark = pytest.mark.django_db


def verify(client, token, **params):
    return client.get("/verify/" + quote(token, safe=""), params)


def outcome(response) -> str:
    return response.context["outcome"]


def test_a_genuine_card_is_valid_and_shows_only_masked_name_and_tier(client):
    _user, profile = approved_talent(name="欧阳小明")
    response = verify(client, token_of(profile))
    assert response.status_code == 200
    assert outcome(response) == "valid"
    text = response.content.decode()
    assert "欧**明" in text
    assert "欧阳小明" not in text
    assert profile.certificate_number not in text
    assert profile.tier.name in text
    # Chinese first, English beneath.
    assert "有效" in text
    assert "Valid card" in text


def test_verification_needs_no_account_and_is_not_cached(client):
    _user, profile = approved_talent()
    response = verify(client, token_of(profile))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_an_expired_token_is_expired(client):
    _user, profile = approved_talent(valid_days=30)
    token = token_of(profile)
    # The database was extended, but the token in hand carries the old date.
    profile.valid_until = timezone.localdate() + datetime.timedelta(days=400)
    profile.save()
    with freeze_time(timezone.now() + datetime.timedelta(days=60)):
        assert outcome(verify(client, token)) == "expired"
    assert outcome(verify(client, token)) == "valid"


def test_a_withdrawn_recognition_revokes_the_card(client):
    _user, profile = approved_talent()
    token = token_of(profile)
    profile.revoked_on = timezone.localdate()
    profile.save()
    response = verify(client, token)
    assert response.status_code == 200
    assert outcome(response) == "revoked"
    assert "已被撤销" in response.content.decode()


def test_an_ended_recognition_revokes_the_card_before_the_token_expires(client):
    _user, profile = approved_talent(valid_days=365)
    token = token_of(profile)
    profile.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    profile.save()
    assert outcome(verify(client, token)) == "revoked"


def test_a_deleted_profile_or_unknown_serial_is_revoked(client):
    _user, profile = approved_talent()
    token = token_of(profile)
    profile.delete()
    assert TalentCard.objects.filter(profile=None).count() == 1
    assert outcome(verify(client, token)) == "revoked"
    TalentCard.objects.all().delete()
    assert outcome(verify(client, token)) == "revoked"


@pytest.mark.parametrize(
    "token",
    [
        "x",
        "abc.def",
        "....",
        "a" * 1000,
        "%00",
        "eyJ2IjoxfQ.AAAA",
        "中文.签名",
        "<script>alert(1)<\\script>",
        "' OR 1=1 --",
    ],
)
def test_garbage_gets_a_clear_page_never_a_500(client, token):
    response = verify(client, token)
    assert response.status_code == 400
    assert outcome(response) == "invalid"
    text = response.content.decode()
    assert "不是真实的人才卡" in text
    assert "<script>alert" not in text


def test_a_tampered_or_truncated_token_gets_the_invalid_page(client):
    _user, profile = approved_talent()
    token = token_of(profile)
    body, signature = token.split(".")
    payload = json.loads(tokens.b64decode(body))
    payload["e"] = "2099-12-31"
    forged = tokens.b64encode(json.dumps(payload).encode()) + "." + signature
    for bad in (forged, token[:-3], body + "." + signature[::-1]):
        response = verify(client, bad)
        assert response.status_code == 400
        assert outcome(response) == "invalid"


def test_a_retired_key_makes_its_cards_invalid(client):
    old, new = new_key(), new_key()
    _user, profile = approved_talent()
    with override_settings(CARD_SIGNING_KEYS=[old]):
        token = token_of(profile)
    with override_settings(CARD_SIGNING_KEYS=[new, old]):
        assert outcome(verify(client, token)) == "valid"
    with override_settings(CARD_SIGNING_KEYS=[new]):
        assert outcome(verify(client, token)) == "invalid"


def test_the_public_keys_are_published(client):
    old, new = new_key(), new_key()
    with override_settings(CARD_SIGNING_KEYS=[new, old]):
        response = client.get("/verify/keys.json")
        assert response.status_code == 200
        keys = response.json()["keys"]
        assert [key["kid"] for key in keys] == [
            kid for kid, _key in tokens.signing_keys()
        ]
    assert {key["kty"] for key in keys} == {"OKP"}
    assert {key["crv"] for key in keys} == {"Ed25519"}
    # Only public material: 32-byte keys, no private "d".
    assert all(len(tokens.b64decode(key["x"])) == 32 for key in keys)
    assert all("d" not in key for key in keys)
    assert "public" in response["Cache-Control"]


# --- counting per partner ---


def _counts() -> dict:
    return {
        (row.partner.code if row.partner else None, row.outcome): row.count
        for row in VerificationCount.objects.select_related("partner")
    }


def _partner(code="hospital-1", **fields) -> Partner:
    return Partner.objects.create(
        name=fields.pop("name", "泉州市第一医院"),
        code=code,
        kind="hospital",
        benefits="绿色通道\n专家门诊预约",
        **fields,
    )


def test_verifications_are_counted_per_partner_and_outcome(client):
    hospital, school = _partner(), _partner(code="school-1", name="港湾实验学校")
    _user, profile = approved_talent()
    token = token_of(profile)
    verify(client, token, partner="hospital-1")
    verify(client, token, partner="hospital-1")
    verify(client, token, partner="school-1")
    verify(client, "garbage", partner="school-1")
    verify(client, token)  # no partner
    verify(client, token, partner="no-such-partner")
    assert _counts() == {
        ("hospital-1", "valid"): 2,
        ("school-1", "valid"): 1,
        ("school-1", "invalid"): 1,
        (None, "valid"): 2,
    }
    assert hospital.verification_counts.get().day == timezone.localdate()
    assert school.verification_counts.count() == 2


def test_a_partners_own_link_counts_the_scans_of_that_phone(client):
    _partner()
    response = client.get(reverse("cards:partner", args=["hospital-1"]))
    assert response.status_code == 200
    assert response.cookies[PARTNER_COOKIE].value == "hospital-1"
    assert "泉州市第一医院" in response.content.decode()
    _user, profile = approved_talent()
    response = verify(client, token_of(profile))
    assert "泉州市第一医院" in response.content.decode()
    assert _counts() == {("hospital-1", "valid"): 1}
    # The query names another partner: it wins.
    _partner(code="spa-1", name="清源山疗养院")
    verify(client, token_of(profile), partner="spa-1")
    assert _counts()[("spa-1", "valid")] == 1


def test_an_unknown_or_inactive_partner_link_is_404(client):
    _partner(active=False)
    assert client.get(reverse("cards:partner", args=["hospital-1"])).status_code == 404
    assert client.get(reverse("cards:partner", args=["nobody"])).status_code == 404


def test_counts_hold_no_personal_data():
    """Per partner, day and outcome: no field that could name a card or person."""
    fields = {field.name for field in VerificationCount._meta.get_fields()}
    assert fields == {"id", "partner", "day", "outcome", "count"}


@freeze_time("2026-03-02 10:00:00")
def test_counts_split_by_day(client):
    _partner()
    _user, profile = approved_talent()
    token = token_of(profile)
    verify(client, token, partner="hospital-1")
    with freeze_time("2026-03-03 10:00:00"):
        verify(client, token, partner="hospital-1")
    assert sorted(VerificationCount.objects.values_list("day", "count")) == [
        (datetime.date(2026, 3, 2), 1),
        (datetime.date(2026, 3, 3), 1),
    ]
