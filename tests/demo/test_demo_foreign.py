"""What the demo city shows a foreign talent: the residence guide's online
application, and an account with a Hong Kong number."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import Locale

from cms.accounts.models import User
from cms.demo import DEMO_PASSWORD
from cms.services.models import ServiceGuidePage, ServiceMode

pytestmark = pytest.mark.usefixtures("demo")

GUIDE = "外籍高层次人才居留许可"


def test_the_residence_guide_offers_its_live_form_although_marked_window_only():
    guide = ServiceGuidePage.objects.live().get(title=GUIDE)
    # The demo data keeps the mode an editor set before the form went live.
    assert guide.service_mode == ServiceMode.OFFLINE
    form = guide.application_form
    assert form is not None and form.live
    # In Chinese, and in English (its own English form, demo data).
    chinese = BeautifulSoup(Client().get(guide.url).content, "html.parser")
    assert len(chinese.find_all("a", href=form.url, string="在线办理")) >= 2
    english = guide.get_translation(Locale.objects.get(language_code="en"))
    english_form = english.specific.application_form
    assert english_form is not None and english_form.live
    assert english_form.translation_key == form.translation_key
    page = Client().get(english.url)
    soup = BeautifulSoup(page.content, "html.parser")
    buttons = soup.find_all("a", href=english_form.url, string="Apply online")
    assert len(buttons) >= 2, "the top and the bottom of the guide offer it"
    assert "Online or at the window" in soup.select_one(".meta-chips").get_text()


def test_the_module_list_calls_it_online_too():
    guide = ServiceGuidePage.objects.live().get(title=GUIDE)
    english = guide.get_translation(Locale.objects.get(language_code="en"))
    # The module's English version lists the guide's English version.
    module = english.get_parent().specific
    page = Client().get(module.url)
    soup = BeautifulSoup(page.content, "html.parser")
    (item,) = [
        li
        for li in soup.select(".guide-list__item")
        if li.find("a", string=english.title) is not None
    ]
    assert item.select_one(".tag").get_text() == "Online or at the window"


def test_a_window_only_guide_without_a_form_stays_window_only():
    for guide in ServiceGuidePage.objects.live().filter(
        service_mode=ServiceMode.OFFLINE
    ):
        if guide.application_form is None:
            assert guide.handling_mode == ServiceMode.OFFLINE, guide.title
            assert not guide.applies_online or not guide.online_url, guide.title


def test_the_foreign_talent_signs_in_with_the_hong_kong_number():
    user = User.objects.get(username="demo-talent-intl")
    assert user.mobile == "+85251000001"
    assert user.email_verified_at is not None and not user.mobile_verified
    assert user.id_kind == "passport" and user.identity_number == "PA0000001"
    for typed in ("+852 5100 0001", "00852 51000001", "demo-talent-intl"):
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": typed, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, typed
        assert client.session["_auth_user_id"] == str(user.pk)
