"""Writes the pages of the demo city: service guides and their catalogue items,
policies, news, the "about the hall" page, and the hall's settings.

Every page is looked up by its slug under its parent and left alone when it
exists, so a second run creates no page, revision or log entry.
"""

from html import escape

from wagtail.models import Collection, Page, Site

from cms.core.models import HallSettings, ServiceCategory
from cms.core.tabular import read_table
from cms.departments.models import Department
from cms.home.models import HomePage, StandardPage
from cms.news.models import NewsIndexPage, NewsPage
from cms.policies.resources import (
    POLICY_COLUMNS,
    POLICY_REQUIRED_COLUMNS,
    describe_failures,
    import_table,
)
from cms.services.models import ServiceGuidePage, ServiceItem

from . import hall, news
from .files import DemoDataError, blocks, path, read_json
from .progress import Progress
from .samples import FormTemplate, template_from_data, write_sample

# What every demo guide says alike; the rest comes from its module page.
COMPLAINT_PHONE = "0595-12345"
GUIDE_FEES = "不收费"
GUIDE_STREAMS = ("materials", "process", "legal_basis", "faq")


def _guide(record: dict) -> dict:
    """A guide of data/guides.json as the writer takes it: StreamField items
    as pairs, and a material's blank form ("sample") as a FormTemplate."""
    guide = dict(record)
    for name in GUIDE_STREAMS:
        guide[name] = blocks(record[name])
    guide["materials"] = [
        (
            block_type,
            {**value, "sample": template_from_data(value["sample"])}
            if value.get("sample")
            else value,
        )
        for block_type, value in guide["materials"]
    ]
    return guide


GUIDES = [_guide(record) for record in read_json("guides.json")]
# The rows as import_policies reads them (its columns, docs/content.md).
POLICIES = read_json("policies.json")


def _existing_child(parent: Page, page_class: type[Page], slug: str):
    return page_class.objects.child_of(parent).filter(slug=slug).first()


def _publish_under(parent: Page, page: Page) -> Page:
    # The parent may have gained children through another instance (provisioning
    # signals); treebeard computes the new path from the stored child count.
    parent.refresh_from_db()
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _paragraphs(texts: list[str]) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{escape(text)}</p>") for text in texts]


def _materials(
    progress: Progress, materials: list[tuple[str, dict]], department: Department
) -> list[tuple[str, dict]]:
    """The materials as the StreamField stores them: a blank form becomes a
    document in the department's collection, where its editors can replace it."""
    collection = department.collection or Collection.get_first_root_node()
    rows = []
    for block_type, value in materials:
        if isinstance(value.get("sample"), FormTemplate):
            document = write_sample(progress, value["sample"], collection)
            value = {**value, "sample": document}
        rows.append((block_type, value))
    return rows


def write_guides(
    progress: Progress, departments: dict[str, Department]
) -> dict[str, ServiceGuidePage]:
    """Each guide in its department's module, and its entry on the service menu."""
    categories = {category.slug: category for category in ServiceCategory.objects.all()}
    guides = {}
    for order, data in enumerate(GUIDES):
        department = departments[data["department"]]
        module = department.module_page
        guide = _existing_child(module, ServiceGuidePage, data["slug"])
        progress.record("service guides", guide is None)
        if guide is None:
            guide = _publish_under(
                module,
                ServiceGuidePage(
                    title=data["name"],
                    slug=data["slug"],
                    item_code=data["item_code"],
                    eligible_applicants=data["eligible_applicants"],
                    summary=data["summary"],
                    conditions=[("condition", text) for text in data["conditions"]],
                    materials=_materials(progress, data["materials"], department),
                    process=data["process"],
                    legal_basis=data["legal_basis"],
                    statutory_limit_days=data["statutory_limit_days"],
                    promised_limit_days=data["promised_limit_days"],
                    service_mode=data["service_mode"],
                    faq=data["faq"],
                    # As they are: a fallback here would hide a module read
                    # before it was filled in.
                    place=module.address,
                    window=module.service_window,
                    office_hours=module.office_hours,
                    contact_phone=module.phone,
                    complaint_phone=COMPLAINT_PHONE,
                    fees=GUIDE_FEES,
                ),
            )
        item, created = ServiceItem.objects.get_or_create(
            name=data["name"],
            department=department,
            defaults={
                "category": categories[data["category"]],
                "guide": guide,
                "description": data["description"],
                "sort_order": order,
            },
        )
        if item.guide_id is None:
            item.guide = guide
            item.save(update_fields=["guide"])
        progress.record("service items", created)
        guides[data["slug"]] = guide
    return guides


def write_policies(progress: Progress) -> None:
    """Through import_policies' own reader and resource, as a city loads its
    policies: an unchanged row is skipped, so a second run writes nothing."""
    table = read_table(path("policies.json"), POLICY_COLUMNS, POLICY_REQUIRED_COLUMNS)
    result = import_table(table)
    failures = describe_failures(result, [number for number, _row in table.rows])
    if failures:
        raise DemoDataError(
            "The demo policies do not import: "
            + "; ".join(f"row {row}: {reason}" for row, reason in failures)
        )
    for row_result in result.rows:
        progress.record("policies", row_result.import_type == "new")


def write_news(progress: Progress, home: HomePage, modules: dict[str, Page]) -> None:
    news_list = NewsIndexPage.objects.child_of(home).first()
    for data in news.NEWS:
        parent = modules[data["module"]] if data["module"] else news_list
        page = _existing_child(parent, NewsPage, data["slug"])
        progress.record("news", page is None)
        if page is None:
            _publish_under(
                parent,
                NewsPage(
                    title=data["title"],
                    slug=data["slug"],
                    date=data["date"],
                    summary=data["summary"],
                    body=_paragraphs(data["paragraphs"]),
                ),
            )


def write_about_page(progress: Progress, home: HomePage) -> None:
    data = hall.ABOUT_PAGE
    page = _existing_child(home, StandardPage, data["slug"])
    progress.record("about page", page is None)
    if page is None:
        body = []
        for heading, texts in data["sections"]:
            body.append(("heading", {"text": heading, "level": "h2"}))
            body += _paragraphs(texts)
        _publish_under(
            home,
            StandardPage(
                title=data["title"],
                slug=data["slug"],
                introduction=data["introduction"],
                body=body,
            ),
        )


def write_hall_settings(progress: Progress, home: HomePage) -> None:
    """Fill what is still empty; an administrator's values win."""
    site = Site.objects.filter(root_page=home).first() or Site.objects.get(
        is_default_site=True
    )
    settings = HallSettings.for_site(site)
    missing = {
        name: value
        for name, value in hall.HALL_SETTINGS.items()
        if not getattr(settings, name)
    }
    for name, value in missing.items():
        setattr(settings, name, value)
    if missing:
        settings.save()
    progress.record("hall settings", bool(missing))
