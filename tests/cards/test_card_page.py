"""The card page under My applications: who sees which card, what it shows,
the QR code's content and the partners listed."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cms.core.models import TalentTier
from forms.cards import services, tokens
from forms.models import Partner, TalentCard
from tests.cards.helpers import approved_talent
from tests.factories import make_department, make_editor, make_user, tier

pytestmark = pytest.mark.django_db
CARD_URL = "/applications/card/"


def test_the_owner_sees_name_tier_number_validity_and_a_qr_code(client):
    user, profile = approved_talent(name="欧阳小明")
    client.force_login(user)
    response = client.get(CARD_URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "data-card-name>欧阳小明<" in text
    assert f"data-card-tier>{profile.tier.name}<" in text
    assert f"data-card-number>{profile.certificate_number}<" in text
    assert profile.valid_until.strftime("%Y-%m-%d") in text
    assert "data-card-qr" in text
    assert (
        "no-cache" in response["Cache-Control"]
        or "no-store" in response["Cache-Control"]
    )


def test_my_applications_links_to_the_card_only_when_there_is_one(client):
    user, _profile = approved_talent()
    client.force_login(user)
    assert reverse("applications:card") in client.get("/applications/").content.decode()
    client.force_login(make_user())
    assert (
        reverse("applications:card")
        not in client.get("/applications/").content.decode()
    )


def _role_users():
    housing = make_department(name="泉州市住房和城乡建设局")
    users = {
        "other talent": make_user(),
        "employer": make_user(kind="employer"),
        "editor": make_editor(housing),
        "superuser": make_user(kind="staff", is_superuser=True, is_staff=True),
    }
    for name in ("受理", "审核", "核准", "公示", "统计"):
        users[name] = make_user(kind="staff", groups=[Group.objects.get(name=name)])
    return users


def test_nobody_else_sees_a_talents_card(client):
    _owner, profile = approved_talent(name="欧阳小明")
    for role, user in _role_users().items():
        client.force_login(user)
        response = client.get(CARD_URL)
        assert response.status_code == 200, role
        text = response.content.decode()
        assert profile.certificate_number not in text, role
        assert "欧阳小明" not in text, role
        assert response.context["cards"] == [], role
    client.logout()
    response = client.get(CARD_URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_qr_code_carries_the_verify_url_of_a_genuine_token(client, monkeypatch):
    encoded = []
    real = services.qr_svg

    def spy(text):
        encoded.append(text)
        return real(text)

    monkeypatch.setattr(services, "qr_svg", spy)
    user, profile = approved_talent(name="欧阳小明")
    client.force_login(user)
    client.get(CARD_URL)
    (url,) = encoded
    prefix = "http://testserver/verify/"
    assert url.startswith(prefix)
    claims = tokens.verify(url.removeprefix(prefix))
    card = TalentCard.objects.get(profile=profile)
    assert claims.serial == card.serial
    assert claims.tier == profile.tier.code
    assert claims.expires == profile.valid_until
    assert claims.masked_name == "欧**明"
    # The address the phone opens answers "valid".
    assert (
        client.get(url.removeprefix("http://testserver")).context["outcome"] == "valid"
    )


def test_the_card_is_issued_once_per_profile(client):
    user, profile = approved_talent()
    client.force_login(user)
    client.get(CARD_URL)
    client.get(CARD_URL)
    assert TalentCard.objects.filter(profile=profile).count() == 1


def test_a_withdrawn_or_ended_recognition_shows_no_qr_code(client):
    user, profile = approved_talent()
    client.force_login(user)
    profile.revoked_on = timezone.localdate()
    profile.save()
    text = client.get(CARD_URL).content.decode()
    assert "data-card-qr" not in text
    assert "撤销" in text
    profile.revoked_on = None
    profile.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    profile.save()
    text = client.get(CARD_URL).content.decode()
    assert "data-card-qr" not in text
    assert "认定已到期" in text


def test_the_card_lists_the_partners_of_its_tier(client):
    top = tier("tier-1")
    other = TalentTier.objects.exclude(pk=top.pk).first()
    every = Partner.objects.create(
        name="泉州市第一医院", code="h1", kind="hospital", benefits="绿色通道\n专家门诊"
    )
    mine = Partner.objects.create(
        name="清源山疗养院", code="s1", kind="sanatorium", benefits="年度疗养"
    )
    mine.tiers.add(top)
    theirs = Partner.objects.create(
        name="港湾实验学校", code="k1", kind="school", benefits="子女入学"
    )
    theirs.tiers.add(other)
    Partner.objects.create(name="停用单位", code="x1", benefits="无", active=False)
    user, _profile = approved_talent(tier=top)
    client.force_login(user)
    text = client.get(CARD_URL).content.decode()
    assert every.name in text and "绿色通道" in text and "专家门诊" in text
    assert mine.name in text
    assert theirs.name not in text
    assert "停用单位" not in text
