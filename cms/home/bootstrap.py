"""The hall's fixed structure, created after every `migrate` (and after a test flush).

A fresh database gets the home page (replacing Wagtail's welcome page), the site
that serves it, the policy and news lists, the service categories and the talent
tiers. Idempotent: what exists is left alone.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms.core.models import ServiceCategory, TalentTier
from cms.home.models import HomePage
from cms.news.models import NewsIndexPage
from cms.policies.models import PolicyIndexPage

SERVICE_CATEGORIES = [
    ("talent-recognition", "人才认定", "id-card"),
    ("funding", "资金补助", "coins"),
    ("housing", "住房安居", "home"),
    ("schooling", "子女就学", "school"),
    ("training", "进修培训", "book"),
    ("healthcare", "医疗保健", "health"),
    ("recuperation", "疗养休假", "sun"),
    ("spouse-employment", "配偶就业", "briefcase"),
    ("residence", "居留落户", "location"),
    ("entry-exit", "出入境", "plane"),
    ("innovation", "创新创业", "rocket"),
    ("general", "综合", "grid"),
]

TALENT_TIERS = [
    (f"tier-{number}", f"第{name}层次人才")
    for number, name in enumerate(["一", "二", "三", "四", "五", "六", "七"], start=1)
]


def ensure_taxonomies() -> None:
    for order, (slug, name, icon) in enumerate(SERVICE_CATEGORIES):
        ServiceCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "icon": icon, "sort_order": order}
        )
    for order, (code, name) in enumerate(TALENT_TIERS):
        TalentTier.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )


def ensure_default_locale() -> None:
    """Wagtail creates it in a data migration, which a test flush does not replay."""
    if not Locale.objects.exists():
        Locale.objects.create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )


def site_address() -> tuple[str, int]:
    """The default site's host and port, from WAGTAILADMIN_BASE_URL (the
    address the hall is served at); set once, then kept as edited in the admin."""

    url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return url.hostname or "localhost", url.port or (
        443 if url.scheme == "https" else 80
    )


def ensure_home_page():

    home = HomePage.objects.order_by("path").first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        # Wagtail's own migration leaves a "Welcome" page with the slug we want.
        for welcome in root.get_children().filter(slug="home"):
            if not isinstance(welcome.specific, HomePage):
                welcome.delete()
        root.refresh_from_db()
        home = root.add_child(instance=HomePage(title="人才港湾", slug="home"))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    hostname, port = site_address()
    if site is None:
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name="人才港湾",
        )
    elif site.root_page_id != home.pk:
        # Taking over the site Wagtail's migrations made for its welcome page
        # (localhost:80): full URLs (API, printed sheets) must name this hall.
        site.root_page = home
        site.site_name = site.site_name or "人才港湾"
        site.hostname, site.port = hostname, port
        site.save()
    for page_class, title, slug in (
        (PolicyIndexPage, "政策文件", "policies"),
        (NewsIndexPage, "新闻动态", "news"),
    ):
        if not page_class.objects.child_of(home).exists():
            page = home.add_child(instance=page_class(title=title, slug=slug))
            page.save_revision().publish()
            home.refresh_from_db()
    return home


def ensure_hall(plan=None, **kwargs) -> None:
    # Migrating backwards may have removed the very tables the hall lives in.
    if plan and any(backwards for _migration, backwards in plan):
        return
    with transaction.atomic():
        ensure_default_locale()
        ensure_taxonomies()
        ensure_home_page()
