"""English versions of pages: addresses, the Chinese fallback with its note,
hreflang, the language switch, and who may translate what."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale

from cms.accounts.models import User
from tests.factories import (
    english,
    make_department,
    make_editor,
    make_guide,
    make_user,
    translate,
)

pytestmark = pytest.mark.django_db

NOTE = "This page is available in Chinese only."


def hreflangs(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html)
    )


def test_the_english_locale_exists_beside_the_default_one():
    assert set(Locale.objects.values_list("language_code", flat=True)) >= {
        "zh-hans",
        "en",
    }


def test_an_untranslated_page_at_its_english_address_is_chinese_with_a_note():
    guide = make_guide(title="外籍人才工作许可办事指南")
    assert not guide.url.startswith("/en/")
    english_url = "/en" + guide.url

    response = Client().get(english_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert NOTE in html
    # The page's own text is marked as Chinese as a whole.
    assert re.search(r'<div lang="zh-Hans">\s*.*外籍人才工作许可办事指南', html, re.S)

    chinese = Client().get(guide.url).content.decode()
    assert NOTE not in chinese and '<html lang="zh-hans">' in chinese


def test_a_translated_page_is_served_in_english_with_hreflang_on_both_versions():
    guide = make_guide(title="外籍人才居留许可办事指南")
    translated = translate(guide, "Residence permit for foreign talent")
    assert translated.url.startswith("/en/")
    # The untranslated fallback is also right when the English tree exists.
    other = make_guide(parent=guide.get_parent(), title="配偶就业安置")
    fallback = Client().get("/en" + other.url)
    assert fallback.status_code == 200 and NOTE in fallback.content.decode()

    english_html = Client().get(translated.url).content.decode()
    chinese_html = Client().get(guide.url).content.decode()
    assert "Residence permit for foreign talent" in english_html
    assert NOTE not in english_html
    for html in (english_html, chinese_html):
        links = hreflangs(html)
        assert links["zh-Hans"].endswith(guide.url)
        assert links["en"].endswith(translated.url)


def test_the_switch_keeps_the_visitor_on_the_same_page():
    guide = make_guide()
    untranslated = make_guide(parent=guide.get_parent())
    translated = translate(guide, "Talent recognition")
    client = Client()

    def switch(code: str, next_url: str) -> str:
        response = client.get(
            reverse("switch_language", args=[code]), {"next": next_url}
        )
        assert response.status_code == 302
        assert response.cookies["django_language"].value == code
        return response["Location"]

    assert switch("en", guide.url) == translated.url
    assert switch("zh-hans", translated.url) == guide.url
    assert switch("en", untranslated.url) == "/en" + untranslated.url
    assert switch("zh-hans", "/en" + untranslated.url) == untranslated.url
    # Pages without a language in their address keep it; the query stays.
    assert switch("en", "/search/?q=visa") == "/search/?q=visa"
    assert switch("en", "https://evil.example/") == "/en/"


def test_paths_without_a_prefix_follow_the_cookie_and_page_paths_do_not():
    guide = make_guide()
    client = Client()
    client.cookies["django_language"] = "en"
    assert '<html lang="zh-hans">' in client.get(guide.url).content.decode()
    login = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in login


@pytest.fixture
def two_departments():
    mine, theirs = make_department(), make_department()
    return {
        "mine": mine,
        "theirs": theirs,
        "guide": make_guide(parent=mine.module_page),
        "their_guide": make_guide(parent=theirs.module_page),
    }


ROLES = ["editor", "moderator", "other_editor", "applicant", "anonymous"]


def _user(role: str, units) -> User | None:
    if role == "editor":
        return make_editor(units["mine"])
    if role == "moderator":
        return make_editor(units["mine"], moderator=True)
    if role == "other_editor":
        return make_editor(units["theirs"])
    if role == "applicant":
        return make_user()
    return None


@pytest.mark.parametrize("role", ROLES)
def test_only_the_module_staff_translate_and_edit_its_pages(role, two_departments):
    units = two_departments
    # An administrator has made the English module pages (and the home).
    translate(units["mine"].module_page, "My department")
    translate(units["theirs"].module_page, "Their department")
    user = _user(role, units)
    client = Client()
    if user is not None:
        client.force_login(user)
    may = role in ("editor", "moderator")
    for guide, allowed in (
        (units["guide"], may),
        (units["their_guide"], role == "other_editor"),
    ):
        url = reverse("simple_translation:submit_page_translation", args=[guide.pk])
        response = client.post(url, {"locales": [english().pk]})
        created = guide.get_translation_or_none(english())
        if allowed:
            assert response.status_code == 302 and created is not None
            # The English version is theirs to edit, under the module's workflow.
            edit = client.get(reverse("wagtailadmin_pages:edit", args=[created.pk]))
            assert edit.status_code == 200
            assert created.get_workflow() == guide.get_workflow() is not None
        else:
            assert created is None
            assert response.status_code in (302, 403)
    # Nobody but the module's staff edits its English module page.
    english_module = units["mine"].module_page.get_translation(english())
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[english_module.pk]))
    assert (edit.status_code == 200) is may
