"""No wasted work per request on the public pages.

Each page has a query budget, measured on a hall with several of everything so
that a query per item (a link that loads its page, a queryset evaluated in a
loop) shows. The first request of each test warms what a running process keeps
(site root paths, content types, the cached links of the fixed pages). The
cached links must follow every published change on the next request.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from cms.departments.models import DepartmentPage
from tests.datasets import fresh, rolled_back
from tests.factories import (
    home_page,
    make_department,
    make_district,
    make_guide,
    make_news,
    make_policy,
    make_service_item,
    tier,
)

pytestmark = pytest.mark.django_db

# Queries of one anonymous request, warm. Wagtail's own routing and serving
# (site, a page per level of the path, aliases, view restrictions) counts in.
# A Wagtail page adds two for its language versions (hreflang and the Chinese
# fallback note, cms/core/i18n.py): the versions and the page's locale; with
# the fragment cache on they are remembered (test_fragment_cache.py).
BUDGETS = {
    "home": 19,
    "policy": 19,
    "guide": 16,
    # The notice sheet and the module ask for their guides' live online form: it
    # says how to apply, and its review steps set the promised time.
    "notice": 14,
    "services": 5,
    "services_by_department": 5,
    "search": 6,
    "module": 16,
}


@pytest.fixture(scope="module")
def built_hall(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at the end; each
    test runs in a savepoint of its own, so what it adds goes with it."""
    with rolled_back(django_db_blocker):
        yield build_hall()


@pytest.fixture
def hall(built_hall, db):
    """The module's hall, its pages read again for this test."""
    return {key: fresh(instance) for key, instance in built_hall.items()}


def build_hall():
    """Three departments (one in a district) with guides, items, policies and
    news: enough that a query per item would show in every budget."""
    district = make_district(name="晋江市")
    departments = [make_department() for _ in range(2)]
    departments.append(make_department(district=district))
    guides, policies = [], []
    for department in departments:
        for _ in range(2):
            guide = make_guide(parent=department.module_page)
            make_service_item(guide=guide, department=department)
            guides.append(guide)
        make_service_item(department=department)  # no guide yet
    for index, department in enumerate(departments):
        policies.append(
            make_policy(
                issuing_department=department,
                tiers=[tier("tier-1"), tier("tier-2")],
                issued_on=datetime.date(2026, 1, 1 + index),
            )
        )
        make_news(parent=department.module_page)
    main = policies[0]
    main.related_guides.set(guides)
    main.save_revision().publish()
    for guide in guides[:2]:
        guide.policies.add(*policies)
    return {"policy": main, "guide": guides[0], "district": district}


def addresses(hall) -> dict[str, str]:
    guide = hall["guide"]
    return {
        "home": "/",
        "policy": hall["policy"].url,
        "guide": guide.url,
        "notice": guide.url + "notice/",
        "services": "/services/",
        "services_by_department": "/services/?by=department",
        "search": "/search/?q=住房补贴",
        "module": guide.get_parent().url,
    }


def warm_count(client, address: str) -> int:
    assert client.get(address).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", list(BUDGETS))
def test_public_page_stays_within_its_query_budget(
    client, hall, name, django_assert_max_num_queries
):
    address = addresses(hall)[name]
    client.get(address)
    with django_assert_max_num_queries(BUDGETS[name]):
        response = client.get(address)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "name", ["home", "policy", "guide", "module", "services_by_department"]
)
def test_query_count_does_not_grow_with_the_content(client, hall, name):
    address = addresses(hall)[name]
    before = warm_count(client, address)
    module = hall["guide"].get_parent()
    for _ in range(3):
        make_guide(parent=module)
        make_news(parent=module)
        department = make_department()
        guide = make_guide(parent=department.module_page)
        make_service_item(guide=guide, department=department)
        policy = make_policy(issuing_department=department, tiers=[tier("tier-3")])
        hall["policy"].related_guides.add(guide)
        guide.policies.add(hall["policy"], policy)
    hall["policy"].save_revision().publish()
    assert warm_count(client, address) == before


def test_module_of_a_page_is_found_in_one_query(hall, django_assert_num_queries):
    department = make_department(district=hall["district"])
    guide = make_guide(parent=department.module_page)
    guide = Page.objects.get(pk=guide.pk).specific
    with django_assert_num_queries(1):
        module = guide.get_module()
        # The specific module, with its own fields, at no further cost.
        assert isinstance(module, DepartmentPage)
        assert module.department_id == department.pk
        assert module.title == department.module_page.title
    assert hall["district"].module_page.get_module() == hall["district"].module_page
    assert home_page().get_module() is None


def test_module_of_a_page_in_a_district_module_is_the_district(hall):
    guide = make_guide(parent=hall["district"].module_page)
    assert guide.get_module() == hall["district"].module_page


def header_link(client, label: str) -> str:
    soup = BeautifulSoup(client.get("/en/").content, "html.parser")
    return soup.select_one("nav.mainnav").find("a", string=label)["href"]


def test_a_renamed_fixed_page_is_linked_on_the_next_request(client):
    policy_index = home_page().get_children().get(slug="policies").specific
    assert header_link(client, "Policies") == "/policies/"
    policy_index.slug = "zhengce"
    policy_index.save_revision().publish()
    assert header_link(client, "Policies") == "/zhengce/"
    footer = BeautifulSoup(client.get("/").content, "html.parser").select_one("footer")
    assert footer.find("a", href="/zhengce/")


def test_a_moved_fixed_page_is_linked_on_the_next_request(client):
    news_index = home_page().get_children().get(slug="news")
    about = home_page().get_children().exclude(pk=news_index.pk).first()
    assert header_link(client, "News") == "/news/"
    target = make_department().module_page
    news_index.move(target, pos="last-child")
    assert header_link(client, "News") == target.url + "news/"
    assert about is not None


def test_a_new_guide_shows_in_the_menu_on_the_next_request(client, hall):
    client.get("/")
    department = make_department()
    guide = make_guide(parent=department.module_page, title="外籍人才工作许可指南")
    make_service_item(guide=guide, department=department, name="外籍人才工作许可")
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.find("a", string="外籍人才工作许可")["href"] == guide.url
    catalogue = BeautifulSoup(client.get("/services/").content, "html.parser")
    assert catalogue.find("a", string="外籍人才工作许可")["href"] == guide.url


def test_an_unpublished_guide_is_no_longer_linked_on_the_next_request(client, hall):
    guide = hall["guide"]
    name = guide.service_item.name
    client.get("/")
    guide.unpublish()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.find("a", string=name) is None
    assert soup.find(string=name)


def test_policy_page_links_guides_issuer_and_tiers(client, hall):
    policy = hall["policy"]
    soup = BeautifulSoup(client.get(policy.url).content, "html.parser")
    guide_links = {a["href"] for a in soup.select(".guide-list__title")}
    assert guide_links == {guide.url for guide in policy.related_guides.all()}
    issuer = policy.issuing_department
    assert soup.find("a", string=issuer.name)["href"] == issuer.module_page.url
    assert [tag.get_text() for tag in soup.select(".docinfo .tag")] == [
        tier("tier-1").name,
        tier("tier-2").name,
    ]


def test_pages_in_a_private_section_stay_out_of_the_lists(client, hall):
    from wagtail.models import PageViewRestriction

    department = make_department()
    private_policy = make_policy(issuing_department=department, title="内部政策草案")
    private_guide = make_guide(parent=department.module_page, title="内部办事指南")
    hall["policy"].related_guides.add(private_guide)
    hall["policy"].save_revision().publish()
    hall["guide"].policies.add(private_policy)
    PageViewRestriction.objects.create(
        page=department.module_page, restriction_type=PageViewRestriction.LOGIN
    )
    for address in ("/", hall["policy"].url, hall["guide"].url):
        text = client.get(address).content.decode()
        assert "内部政策草案" not in text and "内部办事指南" not in text, address


def test_links_from_url_paths_match_wagtails_own_urls(rf, hall):
    """page_url gives what Page.get_url gives, with one site and with two (a
    page of the other site is linked absolutely)."""
    from wagtail.models import Site

    from cms.core.links import page_url

    def check():
        request = rf.get("/")
        for page in Page.objects.filter(depth__gt=1):
            assert page_url(page.url_path, request) == page.get_url(request), page

    check()
    other_root = Page.get_first_root_node().add_child(
        instance=Page(title="晋江人才港湾", slug="jinjiang")
    )
    Site.objects.create(hostname="jinjiang.example", port=443, root_page=other_root)
    check()
    request = rf.get("/")
    assert page_url(other_root.url_path, request) == "https://jinjiang.example/"
    assert page_url("/no-site/", request) is None and page_url("", request) is None
