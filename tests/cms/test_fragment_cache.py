"""Routes and rendered parts of public pages kept between requests, exact by
the content generation (cms/core/fragments.py).

Off in the test settings; every test here switches it on, with the full-page
cache off, so that what is measured is a page rendered for each request.
"""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.test import override_settings
from wagtail.models import PageViewRestriction

from cms.core import fragments, pagecache
from cms.core.models import HallSettings
from tests.factories import (
    home_page,
    make_department,
    make_guide,
    make_policy,
    make_user,
    tier,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragment_cache():
    caches[pagecache.CACHE_ALIAS].clear()
    fragments._Memo.generation = None
    with override_settings(FRAGMENT_CACHE_ENABLED=True, PAGE_CACHE_ENABLED=False):
        yield
    caches[pagecache.CACHE_ALIAS].clear()
    fragments._Memo.generation = None


@pytest.fixture
def policy():
    guides = [make_guide(), make_guide()]
    policy = make_policy(tiers=[tier("tier-1")])
    policy.related_guides.set(guides)
    policy.save_revision().publish()
    return policy


def text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ")


def test_cached_parts_give_the_page_rendered_afresh(client, policy):
    for address in ("/", policy.url):
        with override_settings(FRAGMENT_CACHE_ENABLED=False):
            fresh = client.get(address).content
        client.get(address)  # kept
        assert client.get(address).content == fresh, address


@pytest.mark.parametrize("name", ["home", "policy"])
def test_a_warm_page_costs_one_query(client, policy, name, django_assert_num_queries):
    """The page itself: no routing walk, no view restriction lookup, no
    settings row, no list behind the cached fragment."""
    address = {"home": "/", "policy": policy.url}[name]
    # The first request creates the site's settings row, a change of content.
    client.get(address)
    client.get(address)
    with django_assert_num_queries(1):
        response = client.get(address)
    assert response.status_code == 200


def test_a_published_change_shows_on_the_next_request(client, policy):
    client.get(policy.url)
    policy.title = "关于高层次人才住房补贴的实施办法（修订）"
    policy.save_revision().publish()
    assert "（修订）" in text(client.get(policy.url))
    assert "（修订）" in text(client.get("/"))


def test_a_change_to_a_linked_page_shows_on_the_page_linking_it(client, policy):
    guide = policy.related_guides.first()
    client.get(policy.url)
    guide.title = "外籍人才工作许可指南"
    guide.save_revision().publish()
    soup = BeautifulSoup(client.get(policy.url).content, "html.parser")
    assert "外籍人才工作许可指南" in [
        a.get_text() for a in soup.select(".guide-list__title")
    ]


def test_an_unpublished_page_is_gone_on_the_next_request(client, policy):
    assert client.get(policy.url).status_code == 200
    policy.unpublish()
    assert client.get(policy.url).status_code == 404


def test_a_moved_page_is_served_at_its_new_address_only(client, policy):
    old_url = policy.url
    assert client.get(old_url).status_code == 200
    policy.move(make_department().module_page, pos="last-child")
    policy.refresh_from_db()
    assert policy.url != old_url
    # Wagtail's redirects app sends the old address on to the new one.
    old = client.get(old_url)
    assert old.status_code == 301 and old["Location"].endswith(policy.url)
    assert client.get(policy.url).status_code == 200


def test_a_new_view_restriction_holds_on_the_next_request(client, policy):
    assert client.get(policy.url).status_code == 200
    PageViewRestriction.objects.create(
        page=policy.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(policy.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_changed_hall_settings_show_on_the_next_request(client, policy):
    client.get(policy.url)
    hall = HallSettings.for_site(home_page().get_site())
    hall.hotline = "0595-12345678"
    hall.save()
    assert "0595-12345678" in text(client.get(policy.url))


def test_a_preview_neither_reads_nor_writes_the_cache(client, policy):
    live_title = policy.title
    client.get(policy.url)
    draft = policy.specific_class.objects.get(pk=policy.pk)
    draft.title = "尚未发布的标题"
    preview = draft.make_preview_request()
    assert "尚未发布的标题" in preview.content.decode()
    page = text(client.get(policy.url))
    assert live_title in page and "尚未发布的标题" not in page


def test_a_signed_in_visitor_sees_their_own_header(client, policy):
    client.get(policy.url)  # the fragment is kept by an anonymous request
    user = make_user(real_name="郑雅琴")
    client.force_login(user)
    page = text(client.get(policy.url))
    assert "郑雅琴" in page and policy.title in page
    client.logout()
    assert "郑雅琴" not in text(client.get(policy.url))


def test_nothing_is_kept_when_switched_off(client, policy):
    with override_settings(FRAGMENT_CACHE_ENABLED=False):
        client.get(policy.url)
        client.get("/")
    assert fragments._Memo.generation is None


def test_a_routable_page_keeps_its_own_routes(client, policy):
    guide = policy.related_guides.first()
    for address in (guide.url, guide.url + "notice/"):
        client.get(address)
        assert client.get(address).status_code == 200, address
    assert guide.title in text(client.get(guide.url + "notice/"))
    assert client.get(guide.url + "no-such-view/").status_code == 404
    guide.unpublish()
    assert client.get(guide.url).status_code == 404
    assert client.get(guide.url + "notice/").status_code == 404
