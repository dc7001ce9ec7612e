"""Search follows Wagtail's view restrictions (the privacy dialog).

A login, password or group restriction on a page or any ancestor takes the page
and everything below it out of the index at once; lifting it puts them back.
Moving a page under a restricted page, unpublishing it and its expiry do the
same. And a search never answers a restricted page, even from an index that
missed the update.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from search.documents import hidden_keys
from search.models import SearchEntry
from search.query import SearchRequest, search, suggest
from tests.factories import (
    make_department,
    make_guide,
    make_news,
    make_policy,
    make_service_item,
)

pytestmark = pytest.mark.django_db

TITLE = "港湾计划内部征求意见稿"
QUERY = "港湾计划"


def keys():
    return set(SearchEntry.objects.values_list("key", flat=True))


def restrict(page, kind: str) -> PageViewRestriction:
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type=kind,
        password="secret-pass" if kind == "password" else "",
    )
    if kind == "groups":
        restriction.groups.add(Group.objects.create(name="内部人员"))
    return restriction


def found_everywhere(page) -> dict[str, bool]:
    """Whether the page shows on the results page (its link: the title is cut
    by highlights there), in the API and in suggestions."""
    client = Client()
    api = client.get("/api/search/", {"q": QUERY}).json()
    suggestions = client.get("/api/search/suggest/", {"q": QUERY}).json()
    link = f'href="{page.get_url_parts()[2]}"'
    return {
        "page": link in client.get("/search/", {"q": QUERY}).content.decode(),
        "api": any(hit["title"] == page.title for hit in api["results"]),
        "suggest": any(s["title"] == page.title for s in suggestions["suggestions"]),
    }


@pytest.mark.parametrize("kind", ["login", "password", "groups"])
def test_a_restriction_on_the_page_takes_it_out_and_lifting_it_puts_it_back(
    on_commit, kind
):
    with on_commit():
        policy = make_policy(title=TITLE)
    assert found_everywhere(policy) == {"page": True, "api": True, "suggest": True}

    with on_commit():
        restriction = restrict(policy, kind)
    assert f"policy:{policy.pk}" not in keys()
    assert found_everywhere(policy) == {"page": False, "api": False, "suggest": False}

    with on_commit():
        restriction.delete()
    assert f"policy:{policy.pk}" in keys()
    assert found_everywhere(policy)["api"]


def test_a_restriction_on_an_ancestor_takes_out_everything_below(on_commit):
    module = make_department().module_page
    with on_commit():
        policy = make_policy(parent=module, title=TITLE)
        guide = make_guide(parent=module, title="港湾计划认定办事指南")
        news = make_news(parent=module, title="港湾计划新闻")
        elsewhere = make_policy(title="港湾计划公开文件")
    below = {f"policy:{policy.pk}", f"guide:{guide.pk}", f"news:{news.pk}"}
    assert below <= keys()

    with on_commit():
        restriction = restrict(module, "login")
    assert not below & keys()
    assert f"policy:{elsewhere.pk}" in keys()
    assert {h.key for h in search(SearchRequest(QUERY)).hits} == {
        f"policy:{elsewhere.pk}"
    }

    with on_commit():
        restriction.delete()
    assert below <= keys()


def test_a_restricted_guide_leaves_its_service_item_to_be_found_by_itself(
    on_commit,
):
    """As when the guide is unpublished: the catalogue entry stays findable,
    the guide's own text does not."""
    with on_commit():
        guide = make_guide(title="港湾计划认定办事指南")
        item = make_service_item(name="港湾计划认定", guide=guide)
    assert f"guide:{guide.pk}" in keys() and f"service:{item.pk}" not in keys()
    with on_commit():
        restriction = restrict(guide, "login")
    assert f"guide:{guide.pk}" not in keys() and f"service:{item.pk}" in keys()
    with on_commit():
        restriction.delete()
    assert f"guide:{guide.pk}" in keys() and f"service:{item.pk}" not in keys()


def test_moving_a_page_under_a_restricted_page_takes_it_out(on_commit):
    with on_commit():
        policy = make_policy(title=TITLE)
    private = make_department().module_page
    with on_commit():
        restrict(private, "login")
    assert f"policy:{policy.pk}" in keys()
    with on_commit():
        policy.move(private, pos="last-child")
    assert f"policy:{policy.pk}" not in keys()


def test_unpublishing_takes_a_page_out(on_commit):
    with on_commit():
        news = make_news(title="港湾计划新闻")
    with on_commit():
        news.unpublish()
    assert f"news:{news.pk}" not in keys()


def test_expiry_takes_a_page_out_when_wagtail_unpublishes_it(on_commit):
    with on_commit():
        policy = make_policy(title=TITLE)
    type(policy).objects.filter(pk=policy.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert f"policy:{policy.pk}" in keys()
    with on_commit():
        call_command("publish_scheduled")
    assert f"policy:{policy.pk}" not in keys()


# --- a stale index never answers a restricted page ---


def stale_restriction(django_capture_on_commit_callbacks, page, kind="login"):
    """A restriction whose index update never ran (a failed task, say)."""
    with django_capture_on_commit_callbacks(execute=False):
        restrict(page, kind)


def test_search_and_suggest_leave_out_restricted_pages_of_a_stale_index(
    on_commit, django_capture_on_commit_callbacks
):
    module = make_department().module_page
    with on_commit():
        policy = make_policy(parent=module, title=TITLE)
        public = make_policy(title="港湾计划公开文件")
    stale_restriction(django_capture_on_commit_callbacks, module)
    assert f"policy:{policy.pk}" in keys()  # stale

    assert hidden_keys() == {f"policy:{policy.pk}"}
    results = search(SearchRequest(QUERY))
    assert [h.key for h in results.hits] == [f"policy:{public.pk}"]
    assert results.total == 1
    assert TITLE not in [s["title"] for s in suggest(QUERY)]
    assert found_everywhere(policy) == {"page": False, "api": False, "suggest": False}


def test_nothing_is_hidden_without_restrictions(django_assert_num_queries):
    make_policy(title=TITLE)
    with django_assert_num_queries(1):
        assert hidden_keys() == frozenset()
