"""The search page at /search/: results, facets, snippets, help when nothing
is found; it works without JavaScript."""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from tests.factories import make_news, make_policy

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_search_finds_a_published_policy_by_title(client, reindex):
    make_policy(title="Housing subsidy rules")
    make_policy(title="Housing draft rules", live=False)
    reindex()
    response = client.get("/search/", {"q": "Housing"})
    assert response.status_code == 200
    titles = [a.get_text() for a in soup(response).select(".search-result__title a")]
    assert titles == ["Housing subsidy rules"]


def test_empty_and_overlong_queries_do_not_fail(client):
    assert client.get("/search/").status_code == 200
    assert client.get("/search/", {"q": "住" * 5000}).status_code == 200


def test_results_show_count_snippets_facets_and_repealed_flag(client, reindex):
    make_policy(title="住房补贴实施细则", summary="高层次人才可申请住房补贴。")
    make_policy(title="住房补贴旧办法", summary="住房补贴。", status="repealed")
    make_news(title="住房补贴发放新闻", summary="本月发放住房补贴。")
    reindex()
    with translation.override("en"):
        response = client.get("/search/", {"q": "住房补贴"}, HTTP_ACCEPT_LANGUAGE="en")
    page = soup(response)
    assert "3 results" in page.select_one(".search-count").get_text()
    results = page.select(".search-result")
    assert len(results) == 3
    assert results[0].select_one("mark").get_text() == "住房补贴"
    repealed = page.select_one(".search-result.is-repealed")
    assert repealed.select_one(".badge--repealed") is not None
    facet_links = page.select(".search-facet a")
    assert any("type=news" in a["href"] for a in facet_links)
    assert (
        page.select_one("input#search-q")["data-suggest-url"] == "/api/search/suggest/"
    )
    assert page.select_one("label[for=search-q]") is not None
    assert page.select_one("[aria-live=polite]") is not None


def test_a_facet_link_filters_the_results(client, reindex):
    make_policy(title="人才绿卡办理规定")
    make_news(title="人才绿卡首发仪式")
    reindex()
    response = client.get("/search/", {"q": "人才绿卡", "type": "news"})
    titles = [
        a.get_text(strip=True) for a in soup(response).select(".search-result__title a")
    ]
    assert titles == ["人才绿卡首发仪式"]
    selected = soup(response).select_one(".search-facet__link.is-selected")
    assert "type=" not in selected["href"]  # clicking it clears the filter


def test_nothing_found_offers_help_and_suggestions(client, reindex):
    make_policy(title="子女入学办法")
    reindex()
    response = client.get("/search/", {"q": "小孩冰淇淋"})
    page = soup(response)
    assert response.status_code == 200
    assert page.select_one(".search-empty") is not None
    suggestions = [a.get_text() for a in page.select(".search-empty__suggestions a")]
    assert "子女" in suggestions  # a synonym of what was typed
    assert "住房补贴" in suggestions  # a popular term


def test_pagination(client, reindex):
    for n in range(12):
        make_policy(title=f"港湾计划第{n}批名单")
    reindex()
    first = soup(client.get("/search/", {"q": "港湾计划"}))
    assert len(first.select(".search-result")) == 10
    next_link = first.select_one(".pagination a[rel=next]")
    assert "page=2" in next_link["href"] and "q=" in next_link["href"]
    second = soup(client.get("/search/", {"q": "港湾计划", "page": 2}))
    assert len(second.select(".search-result")) == 2


def test_bad_parameters_get_a_message_not_an_error(client):
    response = client.get("/search/", {"q": "补贴", "type": "nonsense"})
    assert response.status_code == 400
    assert soup(response).select_one(".search-error[role=alert]") is not None
    assert client.get("/search/", {"q": "补贴", "page": "x"}).status_code == 400
