"""The overlay of translations Wagtail and its companions have not shipped yet.

It may only fill gaps: a msgid an installed catalogue already translates keeps the
upstream wording. And the admin screens editors and staff use read in Chinese.
"""

import gettext
import html
import json
import pathlib
import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from wagtail.users.models import UserProfile

from cms.accounts.models import User
from tests.factories import make_department, make_guide, make_user
from tests.i18n.upstream_gaps import OVERLAY, PACKAGES, read_po, site_packages

PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w+\}")


def overlay_entries(domain):
    return read_po(OVERLAY / f"{domain}.po")


def upstream_catalogues(domain):
    """Every compiled zh_Hans catalogue the packages ship, installed app or not, as
    the collision check reads them: one wording per English string."""
    site = site_packages()
    for package in PACKAGES:
        for mo in sorted(
            site.glob(f"{package}/**/locale/zh_Hans/LC_MESSAGES/{domain}.mo")
        ):
            with mo.open("rb") as handle:
                yield mo.relative_to(site), gettext.GNUTranslations(handle)._catalog


def mo_key(entry):
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_overlay_never_replaces_an_upstream_translation(domain):
    ours = {mo_key(e): e for e in overlay_entries(domain)}
    assert ours, "the overlay catalogue is empty or unreadable"
    clashes = []
    for app, catalogue in upstream_catalogues(domain):
        for key, value in catalogue.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if msgid in ours and value:
                clashes.append(f"{app}: {msgid!r}")
    assert not clashes, "translated upstream already:\n" + "\n".join(clashes)


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_overlay_entries_are_complete_and_keep_their_placeholders(domain):
    problems = []
    for entry in overlay_entries(domain):
        if not entry.translated:
            problems.append(f"untranslated or fuzzy: {entry.msgid!r}")
            continue
        source = set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in entry.msgstr.values():
            if set(PLACEHOLDER.findall(text)) != source:
                problems.append(f"placeholders differ: {entry.msgid!r} -> {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_overlay_matches_its_catalogue(domain):
    with (OVERLAY / f"{domain}.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    for entry in overlay_entries(domain):
        key = (mo_key(entry), 0) if entry.msgid_plural else mo_key(entry)
        assert compiled.get(key) == entry.msgstr[0], f"recompile: {entry.msgid!r}"


def test_overlay_comes_after_the_projects_catalogue():
    paths = [pathlib.Path(p) for p in settings.LOCALE_PATHS]
    assert OVERLAY.parents[1] in paths
    assert paths.index(OVERLAY.parents[1]) > paths.index(
        pathlib.Path(settings.BASE_DIR) / "site" / "locale"
    )


# Admin screens, each with English strings Wagtail 8 shows there untranslated
# upstream: the test first proves they are on the English screen.
SCREENS = {
    "page editor": (
        "Autosave is paused",
        "Content metrics",
        "Schedule to publish",
        "Choose who can view the live version of this page",
    ),
    "page listing": ("Date updated", "Edited by", "Has child pages"),
    "page search": ("Show keyboard shortcuts", "Page types usage"),
    "workflows": ("Show disabled",),
    "workflow report": ("By task",),
    "user account": ("Save your changes before leaving", "Theme preferences"),
    "images": ("Grid layout", "Usage count: (low to high)"),
    "documents": ("Show keyboard shortcuts", "Close modal dialogs (like this one)"),
    "locked pages report": ("Locked by",),
}


@pytest.fixture
def screens(client):
    department = make_department(name="泉州市人力资源和社会保障局")
    guide = make_guide(parent=department.module_page)
    staff = make_user(kind=User.Kind.STAFF, is_staff=True, is_superuser=True)
    client.force_login(staff)
    urls = {
        "page editor": reverse("wagtailadmin_pages:edit", args=[guide.pk]),
        "page listing": reverse(
            "wagtailadmin_explore", args=[department.module_page.pk]
        ),
        "page search": reverse("wagtailadmin_pages:search") + "?q=人才",
        "workflows": reverse("wagtailadmin_workflows:index"),
        "workflow report": reverse("wagtailadmin_reports:workflow"),
        "user account": reverse("wagtailadmin_account"),
        "images": reverse("wagtailimages:index"),
        "documents": reverse("wagtaildocs:index"),
        "locked pages report": reverse("wagtailadmin_reports:locked_pages"),
    }
    return client, staff, urls


def render(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def visible(text):
    """A msgid as the screen shows it: placeholders filled, so match the words around them."""
    return [part.strip() for part in PLACEHOLDER.split(text) if len(part.strip()) > 6]


@pytest.mark.django_db
def test_admin_screens_show_no_english_that_wagtail_left_untranslated(screens):
    client, staff, urls = screens
    leftovers = {
        msgid
        for entry in overlay_entries("django")
        for msgid in visible(entry.msgid)
        if " " in msgid
    }
    for name, url in urls.items():
        page = render(client, url)
        shown = [text for text in leftovers if text in page]
        expected = [p for text in SCREENS[name] for p in visible(text)]
        assert not shown, f"{name} shows English: {shown}"
        assert not [text for text in expected if text in page], name


@pytest.mark.django_db
def test_the_screens_check_would_see_english(screens):
    client, staff, urls = screens
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    for name, url in urls.items():
        page = render(client, url)
        expected = [p for text in SCREENS[name] for p in visible(text)]
        assert [text for text in expected if text in page], (
            f"{name}: none of {expected} on the English screen; pick other strings"
        )


@pytest.mark.django_db
def test_without_the_overlay_the_editor_shows_english(screens):
    client, staff, urls = screens
    with override_settings(LOCALE_PATHS=[OVERLAY.parents[2] / "locale"]):
        page = render(client, urls["page editor"])
    assert "Autosave is paused" in page
    assert "自动保存已暂停" in render(client, urls["page editor"])


@pytest.mark.django_db
def test_admin_login_and_a_record_list_read_in_chinese(client):
    overlay = [t for e in overlay_entries("django") for t in visible(e.msgid)]
    login = render(client, reverse("wagtailadmin_login"))
    assert "登录" in login
    assert not [t for t in overlay if " " in t and t in login]
    client.force_login(
        make_user(kind=User.Kind.STAFF, is_staff=True, is_superuser=True)
    )
    records = render(client, reverse("departments_department_modeladmin_index"))
    assert "部门" in records
    assert not [t for t in overlay if " " in t and t in records]


@pytest.mark.django_db
def test_django_password_rules_read_in_chinese():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        validate_password("a1!", make_user())
    text = " ".join(error.value.messages)
    assert "密码长度太短" in text
    assert "This password" not in text


@pytest.mark.django_db
def test_admin_script_catalogue_carries_the_overlay(client):
    """The editor's scripts read their words from this catalogue, in the admin's language."""
    client.force_login(
        make_user(kind=User.Kind.STAFF, is_staff=True, is_superuser=True)
    )
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    assert response.status_code == 200
    catalogue = response.content.decode()
    checked = [
        entry
        for entry in overlay_entries("djangojs")
        if entry.msgid in ("Autosave in progress…", "Insert a block")
    ]
    assert len(checked) == 2
    for entry in checked:
        # The catalogue is JSON inside a script: non-ASCII arrives escaped.
        assert json.dumps(entry.msgstr[0])[1:-1] in catalogue, entry.msgid
