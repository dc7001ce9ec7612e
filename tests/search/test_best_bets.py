"""Best bets: pages administrators promote for a query, shown above the
ordinary results of its first unfiltered page (as on GOV.UK search)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction

from search.documents import _is_public
from search.models import BestBet
from search.query import SearchRequest, best_bets, search
from tests.factories import (
    make_news,
    make_policy,
    make_standard_page,
    make_user,
)

pytestmark = pytest.mark.django_db

QUERY = "人才绿卡"


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def bet(page, query=QUERY, **fields) -> BestBet:
    """A bet saved as the admin form saves it (query normalised in clean())."""
    best_bet = BestBet(query=query, page=page, **fields)
    best_bet.full_clean()
    best_bet.save()
    return best_bet


@pytest.fixture
def hall(reindex):
    """Two policies that match the query, a news item and a standard page
    promoted for it (the page does not match it at all)."""
    policies = [
        make_policy(
            title="人才绿卡办理规定", summary="持卡人才可享受住房、子女入学服务。"
        ),
        make_policy(title="人才绿卡服务细则"),
    ]
    news = make_news(title="港湾计划首批名单公布", summary="首批港湾计划人才名单。")
    about = make_standard_page(title="关于人才服务大厅", introduction="一站式办理。")
    reindex()
    return {"policies": policies, "news": news, "about": about}


def titles(results) -> list[str]:
    return [b.title for b in results.best_bets]


def test_bets_come_in_order_with_type_and_summary_and_never_count(hall):
    bet(hall["about"], order=2)
    bet(hall["news"], order=1)
    with translation.override("en"):
        plain = search(SearchRequest(QUERY, filters={"type": "policy"}))
        results = search(SearchRequest(QUERY))
        first, second = results.best_bets
        assert (first.type, first.type_label) == ("news", "News")
        assert (second.type, second.type_label) == ("page", "Standard page")
    assert titles(results) == ["港湾计划首批名单公布", "关于人才服务大厅"]
    assert first.url == hall["news"].get_url_parts()[2]
    assert first.summary == "首批港湾计划人才名单。"
    assert second.summary == "一站式办理。"
    # The ordinary results are those of the same search without bets (all
    # policies here, so the type filter changes nothing else).
    assert results.total == plain.total == 2
    assert results.facets == plain.facets
    assert [h.key for h in results.hits] == [h.key for h in plain.hits]


def test_the_search_page_shows_a_labelled_block_above_the_results(client, hall):
    bet(hall["news"], order=1)
    bet(hall["about"], order=2)
    with translation.override("en"):
        response = client.get("/search/", {"q": QUERY}, HTTP_ACCEPT_LANGUAGE="en")
    page = soup(response)
    block = page.select_one("section.search-best-bets")
    heading = page.find(id=block["aria-labelledby"])
    assert heading.name == "h2" and heading.get_text(strip=True) == "Recommended"
    links = [(a.get_text(), a["href"]) for a in block.select("a")]
    assert links == [
        ("港湾计划首批名单公布", hall["news"].get_url_parts()[2]),
        ("关于人才服务大厅", hall["about"].get_url_parts()[2]),
    ]
    # Above the ordinary results, which still count two.
    main = page.select_one(".search-main")
    assert main.find_all(["section", "ol"], recursive=False)[0] is block
    assert len(page.select(".search-result")) == 2
    assert "2 results" in page.select_one(".search-count").get_text()


def test_the_api_adds_best_bets_and_keeps_its_shape(client, hall):
    bet(hall["about"], order=2)
    bet(hall["news"], order=1)
    data = client.get("/api/search/", {"q": QUERY}).json()
    assert set(data) == {
        "total",
        "page",
        "num_pages",
        "results",
        "facets",
        "facets_approximate",
        "unavailable",
        "suggestions",
        "best_bets",
    }
    assert data["best_bets"] == [
        {
            "title": "港湾计划首批名单公布",
            "url": hall["news"].get_url_parts()[2],
            "type": "news",
        },
        {
            "title": "关于人才服务大厅",
            "url": hall["about"].get_url_parts()[2],
            "type": "page",
        },
    ]
    assert data["total"] == 2 and len(data["results"]) == 2


def test_not_on_a_later_page_nor_with_a_filter(client, hall):
    bet(hall["news"])
    assert titles(search(SearchRequest(QUERY))) == ["港湾计划首批名单公布"]
    assert search(SearchRequest(QUERY, page=2)).best_bets == []
    assert search(SearchRequest(QUERY, filters={"type": "policy"})).best_bets == []
    api = client.get("/api/search/", {"q": QUERY, "type": "policy"}).json()
    assert api["best_bets"] == [] and api["total"] == 2
    page = soup(client.get("/search/", {"q": QUERY, "page": 2}))
    assert page.select_one(".search-best-bets") is None


def test_inactive_unpublished_and_restricted_pages_are_not_shown(hall):
    draft = make_standard_page(title="草稿页面", live=False)
    private = make_standard_page(title="内部页面")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    # Restricted through an ancestor, as Wagtail restricts a whole section.
    section = make_standard_page(title="内部栏目")
    inside = make_standard_page(parent=section, title="内部栏目下的页面")
    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="x1"
    )
    bet(hall["news"], is_active=False)
    for order, page in enumerate([draft, private, inside, hall["about"]]):
        bet(page, order=order)
    assert not any(_is_public(page) for page in (draft, private, inside))
    assert titles(search(SearchRequest(QUERY))) == ["关于人才服务大厅"]


def test_a_bet_is_hidden_when_its_page_is_unpublished(hall):
    bet(hall["news"])
    hall["news"].unpublish()
    assert search(SearchRequest(QUERY)).best_bets == []


def test_a_promoted_page_is_not_repeated_among_the_hits(client, hall):
    promoted, other = hall["policies"]
    bet(promoted)
    results = search(SearchRequest(QUERY))
    assert titles(results) == ["人才绿卡办理规定"]
    assert [h.title for h in results.hits] == ["人才绿卡服务细则"]
    assert results.best_bets[0].summary == "持卡人才可享受住房、子女入学服务。"
    page = soup(client.get("/search/", {"q": QUERY}))
    shown = [a.get_text() for a in page.select(".search-main a")]
    assert shown.count("人才绿卡办理规定") == 1
    # With a filter there are no bets, so the page is an ordinary hit again.
    filtered = search(SearchRequest(QUERY, filters={"type": "policy"}))
    assert "人才绿卡办理规定" in [h.title for h in filtered.hits]


def test_matching_is_on_the_normalised_query(hall):
    stored = bet(hall["news"], query="  ＲＣ  Green Card ")
    assert stored.query == "rc green card"
    for typed in ("rc green card", "ＲＣ　ＧＲＥＥＮ　ＣＡＲＤ", " Rc Green Card  "):
        assert titles(search(SearchRequest(typed))) == ["港湾计划首批名单公布"]
    assert search(SearchRequest("rc green")).best_bets == []


def test_a_page_is_promoted_once_per_query(hall):
    bet(hall["news"], query="人才绿卡")
    with pytest.raises(ValidationError):
        bet(hall["news"], query=" 人才绿卡 ")
    bet(hall["news"], query="港湾计划")
    assert BestBet.objects.count() == 2


def test_best_bets_cost_one_small_query_when_there_are_none(
    hall, django_assert_num_queries
):
    """Every search asks; most queries have no best bet, and then a lookup on
    the index answers. With bets, one more query reads them all."""
    bet(hall["news"], order=1)
    bet(hall["about"], order=2)
    best_bets(QUERY)  # warms Django's content type and site root caches
    with django_assert_num_queries(2):
        assert len(best_bets(QUERY)) == 2
    with django_assert_num_queries(1):
        assert best_bets("没有推荐的查询") == []


# --- Admin ---------------------------------------------------------------


def staff_client(client, *codenames):
    staff = make_user(is_staff=True, kind="staff")
    staff.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="harbor_search", codename__in=codenames
        ),
    )
    client.force_login(staff)
    return client


def test_an_editor_without_the_permission_cannot_create_a_bet(client, hall):
    client = staff_client(client, "add_searchterm", "change_searchterm")
    response = client.post(
        reverse("bestbet:add"),
        {"query": QUERY, "page": hall["news"].pk, "order": 0, "is_active": "on"},
    )
    assert response.status_code in (302, 403)
    assert not BestBet.objects.exists()
    assert client.get(reverse("bestbet:index")).status_code in (302, 403)


def test_a_user_with_the_permission_creates_and_finds_a_bet(client, hall):
    client = staff_client(client, "add_bestbet", "change_bestbet", "view_bestbet")
    response = client.post(
        reverse("bestbet:add"),
        {
            "query": " ＨＲ人才绿卡 ",
            "page": hall["news"].pk,
            "order": 3,
            "note": "局长办公会要求",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = BestBet.objects.get()
    assert (created.query, created.page_id, created.order) == (
        "hr人才绿卡",
        hall["news"].pk,
        3,
    )
    listing = soup(client.get(reverse("bestbet:index"), {"q": "hr人才"}))
    cells = [td.get_text(" ", strip=True) for td in listing.select("tbody td")]
    assert any("hr人才绿卡" in cell for cell in cells)
    assert "港湾计划首批名单公布" in cells
    assert "3" in cells
    missing = soup(client.get(reverse("bestbet:index"), {"q": "住房"}))
    assert missing.select("tbody tr") == []


def test_search_the_hall_shows_the_bets_too(client, hall):
    bet(hall["news"])
    client = staff_client(client)
    with translation.override("en"):
        response = client.get(
            reverse("hall_search:index"), {"q": QUERY}, HTTP_ACCEPT_LANGUAGE="en"
        )
    block = soup(response).select_one("section[aria-labelledby=hall-best-bets-title]")
    assert block.select_one("h2").get_text(strip=True) == "Recommended"
    assert [a.get_text() for a in block.select("a")] == ["港湾计划首批名单公布"]
