"""What staff read in the admin: the publicity role's batch pages are called
公示批次 (never the inbox's 未读 for Wagtail's "New"), the applications list's
filters read 按…, and the project's catalogue leaves Wagtail's and Django's
own words alone."""

import gettext
import re
import sysconfig
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from forms.casework.roles import PUBLICITY
from tests.cms.hall_admin import client_for
from tests.forms.test_case_admin import (  # noqa: F401 (fixtures)
    INDEX,
    admin_staff,
    built_world,
    world,
)

pytestmark = pytest.mark.django_db


def test_the_publicity_role_s_batch_pages_read_right():
    clerk = admin_staff(Group.objects.get(name=PUBLICITY))
    client = client_for(clerk)
    pages = {
        "applications_publicitybatch_modeladmin_index": "公示批次",
        "applications_publicitybatch_modeladmin_create": "新建 公示批次",
        "applications_objection_modeladmin_index": "异议",
    }
    for name, heading in pages.items():
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        html = response.content.decode()
        h1 = re.search(r"<h1.*?</h1>", html, re.S).group(0)
        assert " ".join(re.sub(r"<[^>]+>", " ", h1).split()) == heading, name
        assert "未读" not in html, name
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("applications_publicitybatch_modeladmin_index") in home


def test_the_applications_list_filters_read_in_chinese(world):
    html = client_for(world.clerk).get(reverse(INDEX)).content.decode()
    assert "按工作队列" in html
    assert "By " not in html


def _catalogue(path: Path) -> dict:
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def test_the_project_catalogue_renames_no_upstream_word():
    """A msgid without context that Wagtail or Django translate keeps their
    translation (the rule catalogue_collisions.py checks, held here)."""
    ours = _catalogue(
        Path(settings.BASE_DIR) / "site/locale/zh_Hans/LC_MESSAGES/django.mo"
    )
    site = Path(sysconfig.get_paths()["purelib"])
    upstream = {}
    for package in ("django", "wagtail", "wagtail_modeladmin"):
        for mo in (site / package).glob("**/locale/zh_Hans/LC_MESSAGES/*.mo"):
            for key, value in _catalogue(mo).items():
                if isinstance(key, str) and key and "\x04" not in key:
                    upstream.setdefault(key, value)
    assert upstream, "no upstream catalogue found"
    renamed = {
        key: (value, upstream[key])
        for key, value in ours.items()
        if isinstance(key, str)
        and key in upstream
        and upstream[key]
        and value != upstream[key]
    }
    assert renamed == {}
