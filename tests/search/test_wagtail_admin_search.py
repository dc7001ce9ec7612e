"""Editors' own search: the admin's page search and the page chooser find
Chinese words inside titles and bodies (Wagtail's database backend alone
reads a Chinese title as one token, and found none of them)."""

import pytest
from django.urls import reverse

from search.wagtail_backend import segmented_text
from tests.factories import make_policy, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True, kind="staff"))
    return client


@pytest.fixture
def policies():
    return [
        make_policy(title="住房补贴实施细则"),
        make_policy(title="青年人才生活补贴发放办法"),
        make_policy(title="港湾计划申报指南"),
    ]


def found_titles(response, policies):
    page = response.content.decode()
    return {p.title for p in policies if p.title in page}


def test_the_admin_page_search_finds_a_word_inside_titles(admin_client, policies):
    response = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "补贴"})
    assert response.status_code == 200
    assert found_titles(response, policies) == {
        "住房补贴实施细则",
        "青年人才生活补贴发放办法",
    }


def test_the_admin_page_search_reads_a_phrase_as_its_words(admin_client, policies):
    response = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "港湾计划"})
    assert found_titles(response, policies) == {"港湾计划申报指南"}
    response = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "签证"})
    assert response.status_code == 200
    assert found_titles(response, policies) == set()


def test_the_page_chooser_search_finds_a_word_inside_titles(admin_client, policies):
    response = admin_client.get(
        reverse("wagtailadmin_choose_page_search"), {"q": "补贴"}
    )
    assert response.status_code == 200
    assert found_titles(response, policies) == {
        "住房补贴实施细则",
        "青年人才生活补贴发放办法",
    }


def test_a_renamed_page_is_found_by_its_new_words(admin_client, policies):
    policy = policies[2]
    policy.title = "海归创业补贴申报指南"
    policy.save_revision().publish()
    response = admin_client.get(
        reverse("wagtailadmin_choose_page_search"), {"q": "海归"}
    )
    assert "海归创业补贴申报指南" in response.content.decode()


def test_text_without_chinese_is_left_as_it_is():
    assert segmented_text("Harbor Plan 2026") == "Harbor Plan 2026"
    assert "补贴" in segmented_text("住房补贴实施细则").split()


def test_the_stock_backend_alone_misses_them(policies):
    """What this backend is for: the same pages through Wagtail's database
    backend unsegmented find nothing for a word inside a title."""
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    stock = get_search_backend("wagtail.search.backends.database")
    stock.add_bulk(type(policies[0]), policies)
    found = stock.search("补贴", Page.objects.live())
    assert not {p.title for p in found} & {p.title for p in policies}
