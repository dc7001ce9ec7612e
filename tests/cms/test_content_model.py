"""The hall's content model: structure, figures, policies, guides, catalogue."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from wagtail.models import Page, Site

from cms.accounts.models import Employer, User
from cms.core.models import ServiceCategory, TalentTier
from cms.home.bootstrap import ensure_hall
from cms.home.figures import hall_figures
from cms.home.models import HomePage
from cms.news.models import NewsIndexPage
from cms.policies.models import PolicyIndexPage, PolicyStatus
from cms.services.models import ServiceItem
from tests.factories import (
    home_page,
    make_department,
    make_employer,
    make_guide,
    make_policy,
    make_service_item,
    make_user,
    tier,
)

pytestmark = pytest.mark.django_db


def test_migrations_create_the_hall():
    home = home_page()
    assert Site.objects.get(is_default_site=True).root_page.specific == home
    assert PolicyIndexPage.objects.child_of(home).live().exists()
    assert NewsIndexPage.objects.child_of(home).live().exists()
    assert ServiceCategory.objects.count() == 12
    assert {"人才认定", "出入境", "创新创业", "综合"} <= set(
        ServiceCategory.objects.values_list("name", flat=True)
    )
    assert TalentTier.objects.count() == 7


def test_the_default_site_is_served_where_the_hall_is(settings):
    """Full URLs (API html_url, the printed sheet) name the hall's address,
    not the localhost:80 of the site Wagtail's migrations create."""
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert home_page().full_url == "http://127.0.0.1:8000/"

    settings.WAGTAILADMIN_BASE_URL = "https://rencai.quanzhou.gov.cn"
    welcome = Page.get_first_root_node().add_child(
        instance=Page(title="Welcome", slug="welcome")
    )
    site.root_page, site.hostname, site.port = welcome, "localhost", 80
    site.save()
    ensure_hall()
    site.refresh_from_db()
    assert (site.hostname, site.port, site.root_page_id) == (
        "rencai.quanzhou.gov.cn",
        443,
        home_page().pk,
    )
    # Once the hall owns the site, its address is the administrators' to edit.
    site.hostname = "www.example.gov.cn"
    site.save()
    ensure_hall()
    site.refresh_from_db()
    assert site.hostname == "www.example.gov.cn"


def test_bootstrap_is_idempotent():
    before = (
        Page.objects.count(),
        ServiceCategory.objects.count(),
        Site.objects.count(),
    )
    ensure_hall()
    assert (
        Page.objects.count(),
        ServiceCategory.objects.count(),
        Site.objects.count(),
    ) == before
    assert HomePage.objects.count() == 1


def test_hall_figures_are_counted_from_data():
    def figure(key):
        return next(f["value"] for f in hall_figures() if f["key"] == key)

    employers, talents = figure("employers"), figure("talents")
    make_employer()
    make_user(kind=User.Kind.TALENT)
    make_user(kind=User.Kind.STAFF)
    assert figure("employers") == employers + 1
    assert figure("talents") == talents + 1


def test_employer_credit_code_is_normalised_and_checked():
    employer = Employer(name="某公司", uscc="91350100m000100y43")
    employer.full_clean()
    employer.save()
    assert employer.uscc == "91350100M000100Y43"
    with pytest.raises(ValidationError):
        Employer(name="另一家", uscc="91350100M000100Y44").full_clean()


def test_mobile_and_email_are_unique_across_users():
    make_user(mobile="13900000001", email="a@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(mobile="13900000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(email="A@example.com")


def test_repealed_policy_knows_its_successor_and_tiers():
    department = make_department()
    new = make_policy(issuing_department=department)
    old = make_policy(
        issuing_department=department,
        status=PolicyStatus.REPEALED,
        superseded_by=new,
        tiers=[tier("tier-2")],
    )
    assert old.is_repealed and not new.is_repealed
    assert list(new.supersedes.all()) == [old]
    assert old.tier_names == ["第二层次人才"]
    assert old.get_module().specific == department.module_page


def test_policies_and_guides_only_live_in_modules():
    from cms.policies.models import PolicyPage
    from cms.services.models import ServiceGuidePage

    assert PolicyPage.can_create_at(make_department().module_page)
    assert not PolicyPage.can_create_at(home_page())
    assert not ServiceGuidePage.can_create_at(home_page())


def test_guide_splits_required_and_optional_materials():
    guide = make_guide()
    assert [m["name"] for m in guide.required_materials] == ["身份证"]
    assert [m["name"] for m in guide.optional_materials] == ["获奖证书"]


def test_home_menu_groups_service_items_by_category(rf):
    guide = make_guide()
    item = make_service_item(guide=guide)
    make_service_item(is_active=False)
    request = rf.get("/")
    request.user = make_user()
    context = home_page().get_context(request)
    recognition = next(
        group
        for group in context["service_menu"]
        if group["category"].slug == "talent-recognition"
    )
    assert recognition["items"] == [item]
    assert ServiceItem.objects.get(pk=item.pk).guide.specific == guide


def test_bootstrap_stays_out_of_backward_migrations(monkeypatch):
    """`migrate news zero` must not try to rebuild pages whose tables are gone."""
    from cms.home import bootstrap

    called = []
    monkeypatch.setattr(bootstrap, "ensure_taxonomies", lambda: called.append(True))
    ensure_hall(plan=[(object(), True)])
    assert called == []
    ensure_hall(plan=[(object(), False)])
    assert called == [True]
