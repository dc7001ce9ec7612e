"""What every visitor meets across the hall: news pages, error pages, the language switch, the header and cookies."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import path

from tests.cms.test_pages import (
    ENGLISH,
    make_full_guide,
    make_module_with_contact,
    soup_of,
)
from tests.factories import (
    home_page,
    make_department,
    make_guide,
    make_news,
    make_policy,
    make_user,
)

pytestmark = pytest.mark.django_db


# --- News --------------------------------------------------------------------------------


def test_news_index_and_article(client):
    _, module = make_module_with_contact()
    article = make_news(
        parent=module,
        title="人才港湾正式上线",
        summary="一站式服务大厅今日上线。",
        date=datetime.date(2026, 5, 20),
        body=[("paragraph", "<p>欢迎各类人才使用。</p>")],
    )
    index_url = home_page().get_children().get(slug="news").url
    index = soup_of(client.get(index_url))
    assert index.find("a", href=article.url, string=article.title)
    assert "2026-05-20" in index.get_text()
    assert module.title in index.select_one(".news-list__meta").get_text()

    soup = soup_of(client.get(article.url))
    assert soup.find("h1").get_text() == article.title
    assert "欢迎各类人才使用。" in soup.select_one(".document__body").get_text()
    assert soup.find("a", href=module.url)


def test_news_list_query_count_does_not_grow_with_the_news(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, module = make_module_with_contact()
    index_url = home_page().get_children().get(slug="news").url

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            soup_of(client.get(index_url))
        return len(captured)

    make_news(parent=module)
    queries()  # warms the per-process caches
    few = queries()
    for _ in range(4):
        make_news(parent=make_department().module_page)
    queries()  # new pages empty the cached links: the first request refills them
    assert queries() == few


# --- Errors ------------------------------------------------------------------------------


def test_unknown_address_renders_the_404_page(client):
    response = client.get("/en/no-such-page/", **ENGLISH)
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("h1").get_text() == "Page not found"
    assert soup.select_one("a.skip-link")["href"] == "#main"


def boom(request) -> HttpResponse:
    raise RuntimeError("SECRET_KEY leaked in a traceback")


# The address that fails, through ROOT_URLCONF.
urlpatterns = [path("boom/", boom)]


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_hides_python_details():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", **ENGLISH)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Service temporarily unavailable" in body
    for leak in ("Traceback", "RuntimeError", "SECRET_KEY", "DEBUG", "cms."):
        assert leak not in body


def test_server_error_template_needs_no_context():
    html = render_to_string("500.html")
    assert '<html lang="' in html and "/static/css/site.css" in html


# --- Language, header, caching -------------------------------------------------------


def test_english_is_available_through_accept_language(client):
    # Page addresses carry their language; the others follow the browser's.
    assert soup_of(client.get("/", **ENGLISH)).html["lang"] == "zh-hans"
    assert soup_of(client.get("/accounts/login/", **ENGLISH)).html["lang"] == "en"
    soup = soup_of(client.get("/en/", **ENGLISH))
    assert soup.html["lang"] == "en"
    nav_labels = [link.get_text() for link in soup.select("nav.mainnav a")]
    assert "Policies" in nav_labels and "Services" in nav_labels


def test_chinese_is_the_default_language(client):
    soup = soup_of(client.get("/"))
    assert soup.html["lang"] == "zh-hans"
    nav_labels = [link.get_text() for link in soup.select("nav.mainnav a")]
    assert "政策文件" in nav_labels and "办事服务" in nav_labels


def test_notice_sheet_speaks_chinese_by_default(client):
    _, module = make_module_with_contact()
    guide = make_full_guide(module)
    sheet = soup_of(client.get(guide.url + "notice/")).select_one("article.sheet")
    rows = sheet.select("tr[data-material]")
    assert [row.find_all("td")[5].get_text() for row in rows] == ["必交", "非必交"]
    assert "个工作日" in sheet.get_text()


def test_unknown_address_is_explained_in_chinese_by_default(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("h1").get_text() == "页面不存在"


def test_language_switch_remembers_the_choice_in_a_cookie(client):
    response = client.get("/i18n/en/", {"next": "/services/"})
    assert response.status_code == 302 and response["Location"] == "/services/"
    assert response.cookies["django_language"].value == "en"
    assert "no-store" in response["Cache-Control"]
    soup = soup_of(client.get("/services/"))
    assert soup.html["lang"] == "en"


def test_language_switch_refuses_other_sites_and_unknown_languages(client):
    response = client.get("/i18n/en/", {"next": "https://evil.example/"})
    assert response["Location"] == "/en/"  # the home page, in English
    assert client.get("/i18n/xx/").status_code == 404


def test_header_offers_login_to_visitors_and_a_logout_form_to_members(client):
    anonymous = soup_of(client.get("/"))
    assert anonymous.select_one(".account-nav a[href='/accounts/login/']")
    assert not anonymous.select(".account-nav form")

    client.force_login(make_user(real_name="张三"))
    member = soup_of(client.get("/"))
    logout = member.select_one(".account-nav form")
    assert logout["method"] == "post" and logout["action"] == "/accounts/logout/"
    assert logout.select_one("input[name=csrfmiddlewaretoken]")
    assert "张三" in member.select_one(".account-nav").get_text()


def test_skip_link_comes_first_and_targets_main(client):
    soup = soup_of(client.get("/"))
    first_link = soup.body.find("a")
    assert "skip-link" in first_link["class"] and first_link["href"] == "#main"
    assert soup.find("main")["id"] == "main"


@pytest.mark.parametrize(
    "address",
    [
        "home",
        "module",
        "guide",
        "notice",
        "policy",
        "policy_index",
        "news",
        "catalogue",
        "missing",
    ],
)
def test_anonymous_public_pages_set_no_cookie(client, address):
    """docs/security.md C4: public pages stay cacheable, so they never carry Set-Cookie."""
    department, module = make_module_with_contact()
    guide = make_guide(parent=module)
    urls = {
        "home": "/",
        "module": module.url,
        "guide": guide.url,
        "notice": guide.url + "notice/",
        "policy": make_policy(issuing_department=department).url,
        "policy_index": "/policies/",
        "news": make_news(parent=module).url,
        "catalogue": "/services/",
        "missing": "/no-such-page/",
    }
    response = client.get(urls[address])
    assert response.status_code in (200, 404)
    assert not response.cookies, response.cookies
    assert not response.has_header("Set-Cookie")
