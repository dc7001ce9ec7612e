"""The calculator (pages and API), 我的待遇, the staff list and its rights,
and 免申即享: offers, messages and deliveries when a profile changes."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from cms.core.models import TalentTier
from forms.eligibility.offers import KIND
from forms.eligibility.service import known_facts
from forms.models import (
    BenefitOffer,
    Delivery,
    Message,
    OfferStatus,
    TalentFacts,
    TalentProfile,
)
from tests.eligibility.helpers import make_city, staff_with
from tests.factories import make_employer, make_user

pytestmark = [pytest.mark.django_db]

CALCULATOR = "/calculator/"
MINE = "/calculator/mine/"
STAFF = "/admin/benefits/"


def items_in(page: str, outcome: str) -> list[str]:
    import re

    return re.findall(rf'data-outcome="{outcome}" data-item="([^"]+)"', page)


# --- the public calculator ---


def test_the_calculator_asks_only_what_the_rules_need(client):
    make_city()
    page = client.get(CALCULATOR).content.decode()
    assert 'name="tier"' in page
    # No rule tests these, so nobody is asked.
    assert 'name="industry"' not in page
    assert 'name="nationality"' not in page
    steps = [client.get(CALCULATOR, {"step": n}).content.decode() for n in (1, 2)]
    assert 'name="first_home"' in "".join(steps)


def test_the_calculator_lists_yes_maybe_and_no_with_reasons(client):
    make_city()
    answers = {
        "step": 99,
        "tier": "tier-1",
        "tier_valid": "true",
        "first_home": "true",
        "child_age": "16",
        "child_school": "primary",
    }
    with translation.override("en"):
        response = client.get(CALCULATOR, answers, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    # Housing needs "received", which the calculator never asks: maybe.
    assert items_in(page, "maybe") == ["购房补贴"]
    assert items_in(page, "yes") == ["港湾卡"]
    assert items_in(page, "no") == ["子女入学"]
    assert "《子女入学保障办法》第三条" in page
    assert "2000000" in page
    assert not TalentFacts.objects.exists()


def test_a_bad_answer_is_a_message_not_a_500(client):
    make_city()
    response = client.get(CALCULATOR, {"step": 99, "tier": "tier-99", "child_age": "x"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    response = client.get(CALCULATOR, {"step": "abc"})
    assert response.status_code == 200


def test_the_api_returns_the_lists(client):
    make_city()
    response = client.post(
        "/api/v1/calculator/",
        json.dumps(
            {"facts": {"tier": "tier-2", "tier_valid": True, "first_home": False}}
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [e["item"] for e in body["yes"]] == ["港湾卡"]
    housing = next(e for e in body["no"] if e["item"] == "购房补贴")
    assert housing["clauses"][0]["fact"] == "first_home"
    assert housing["policy_clause"] == "《购房补贴办法》第五条"


@pytest.mark.parametrize(
    "facts",
    [{"shoe_size": 42}, {"tier": "tier-99"}, {"child_age": "many"}, {"received": True}],
)
def test_the_api_refuses_bad_facts(client, facts):
    make_city()
    response = client.post(
        "/api/v1/calculator/",
        json.dumps({"facts": facts}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "invalid_request"
    assert set(body["errors"]) == set(facts)


# --- 我的待遇 ---


def talent_with_profile(tier_code="tier-2", district=None):
    employer = make_employer(district=district) if district else None
    user = make_user(employer=employer)
    TalentProfile.objects.create(
        user=user, name=user.real_name, tier=TalentTier.objects.get(code=tier_code)
    )
    return user


def test_my_benefits_start_from_the_profile_and_ask_only_what_is_missing(client):
    district, _rules = make_city()
    user = talent_with_profile(district=district)
    client.force_login(user)
    page = client.get(MINE).content.decode()
    assert 'name="tier"' not in page  # known from the talent database
    assert 'name="first_home"' in page
    response = client.post(
        MINE, {"first_home": "true", "child_age": "8", "child_school": "primary"}
    )
    assert response.status_code == 302
    assert TalentFacts.objects.get(user=user).facts["first_home"] is True
    page = client.get(MINE).content.decode()
    assert set(items_in(page, "yes")) == {"子女入学", "购房补贴", "港湾卡"}
    assert known_facts(user)["employer_district"] == "350503"


def test_my_benefits_refuse_a_bad_answer_and_write_nothing(client):
    make_city()
    user = talent_with_profile()
    client.force_login(user)
    response = client.post(MINE, {"first_home": "perhaps"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not TalentFacts.objects.filter(user=user).exists()
    # A fact the hall already knows cannot be overwritten from here.
    client.post(MINE, {"tier": "tier-1", "first_home": "true"})
    assert "tier" not in TalentFacts.objects.get(user=user).facts


def test_a_talent_sees_only_their_own_list(client):
    make_city()
    mine = talent_with_profile("tier-2")
    other = talent_with_profile("tier-6")
    TalentFacts.objects.create(
        user=other, facts={"child_age": 9, "child_school": "primary"}
    )
    client.force_login(mine)
    page = client.get(MINE).content.decode()
    assert "第二层次" in page and "第六层次" not in page
    # Answers given on someone else's behalf are never read.
    assert "子女入学" not in items_in(page, "yes")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(MINE)
    assert response.status_code == 302
    assert "login" in response["Location"] or "accounts" in response["Location"]


# --- 免申即享 ---


def test_a_new_recognition_offers_benefits_and_tells_the_talent(
    django_capture_on_commit_callbacks,
):
    make_city()
    user = make_user()
    TalentFacts.objects.create(user=user, facts={"first_home": True})
    assert not BenefitOffer.objects.exists()
    with django_capture_on_commit_callbacks() as callbacks:
        TalentProfile.objects.create(
            user=user, name="X", tier=TalentTier.objects.get(code="tier-1")
        )
    offers = {o.rule.name: o for o in BenefitOffer.objects.filter(user=user)}
    assert set(offers) == {"首次购房补贴", "港湾卡发放"}
    assert offers["港湾卡发放"].status == OfferStatus.TO_CONFIRM
    assert offers["首次购房补贴"].status == OfferStatus.NOTIFIED
    assert offers["首次购房补贴"].amount == 2000000
    assert Message.objects.filter(recipient=user).count() == 2
    channels = sorted(
        Delivery.objects.filter(recipient=user, kind=KIND).values_list(
            "channel", flat=True
        )
    )
    assert channels == ["email", "email", "sms", "sms"]
    assert len(callbacks) == 4  # each delivery is queued once the change commits
    # A second change finds nothing new: nobody is told twice.
    TalentProfile.objects.filter(user=user).first().save()
    assert Message.objects.filter(recipient=user).count() == 2


def test_an_unqualified_profile_offers_nothing():
    make_city()
    user = make_user()
    TalentProfile.objects.create(user=user, name="Y", tier=None)
    assert not BenefitOffer.objects.exists()
    assert not Message.objects.filter(recipient=user).exists()


# --- the staff list: a matrix of roles ---


@pytest.fixture
def offers_made():
    make_city()
    user = talent_with_profile("tier-1")
    TalentFacts.objects.create(user=user, facts={"first_home": True})
    return BenefitOffer.objects.filter(user=user)


@pytest.mark.parametrize(
    "who, list_status, export_status",
    [
        ("anonymous", 302, 302),
        ("talent", 302, 302),
        ("staff without the right", 302, 302),
        ("staff who may view", 200, 302),
        ("staff who may export", 200, 200),
        ("administrator", 200, 200),
    ],
)
def test_who_sees_eligible_but_not_applied(
    client, offers_made, who, list_status, export_status
):
    users = {
        "anonymous": None,
        "talent": make_user(),
        "staff without the right": staff_with(),
        "staff who may view": staff_with("view_benefitoffer"),
        "staff who may export": staff_with("view_benefitoffer", "export_benefitoffer"),
        "administrator": make_user(kind="staff", is_superuser=True),
    }
    if users[who]:
        client.force_login(users[who])
    # The admin answers a refusal with a redirect and a message, never the list.
    response = client.get(STAFF)
    assert response.status_code == list_status
    assert ("港湾卡发放" in response.content.decode()) == (list_status == 200)
    response = client.get(STAFF, {"format": "csv"})
    assert response.status_code == export_status
    assert ("首次购房补贴" in response.content.decode("utf-8-sig")) == (
        export_status == 200
    )
    if export_status == 200:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert sorted(row[1] for row in rows[1:]) == ["港湾卡发放", "首次购房补贴"]


def test_staff_confirm_an_offer_without_application(client, offers_made):
    offer = offers_made.get(status=OfferStatus.TO_CONFIRM)
    viewer = staff_with("view_benefitoffer")
    client.force_login(viewer)
    client.post(reverse("eligibility_decide", args=[offer.pk]), {"decision": "confirm"})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.TO_CONFIRM
    decider = staff_with("view_benefitoffer", "change_benefitoffer")
    client.force_login(decider)
    response = client.post(
        reverse("eligibility_decide", args=[offer.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CONFIRMED and offer.decided_by == decider
    # Once decided it cannot be decided again.
    again = client.post(
        reverse("eligibility_decide", args=[offer.pk]), {"decision": "decline"}
    )
    assert again.status_code == 404
