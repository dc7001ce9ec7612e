"""What the visitor sees: every public page renders with its key facts.

UI labels are English msgids until the lead builds the Chinese catalogue, so label
assertions ask for English (Accept-Language: en); content assertions use the
Chinese demo data, which is stored as typed.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from cms.policies.models import PolicyStatus
from cms.services.models import ServiceMode
from tests.factories import (
    home_page,
    make_department,
    make_district,
    make_guide,
    make_news,
    make_policy,
    make_service_item,
    make_standard_page,
    tier,
)

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def english(url: str) -> str:
    """A page's address in English: page addresses carry their language, and
    a page with no English version is shown there in Chinese, with a note."""
    return "/en" + url


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def publish(page) -> None:
    page.save_revision().publish()
    page.refresh_from_db()


def make_module_with_contact(department=None):
    department = department or make_department(
        name="泉州市人力资源和社会保障局", short_name="人社局"
    )
    module = department.module_page
    module.introduction = "负责全市人才认定和人才服务工作。"
    module.address = "泉州市丰泽区人才大厦一楼"
    module.service_window = "人才服务专窗 3 号窗口"
    module.phone = "0595-22100000"
    module.office_hours = "工作日 8:30-12:00, 14:30-17:30"
    publish(module)
    return department, module


# --- Home ---------------------------------------------------------------------


def test_home_shows_search_menu_latest_content_figures_and_modules(client):
    department, module = make_module_with_contact()
    make_district(name="晋江市")
    guide = make_guide(parent=module, title="高层次人才认定")
    make_service_item(guide=guide, name="高层次人才认定申请", department=department)
    make_service_item(name="人才住房补贴申领", department=department)  # no guide yet
    make_policy(issuing_department=department, title="泉州市高层次人才认定办法")
    make_news(parent=module, title="人才港湾正式上线")

    soup = soup_of(client.get("/", **ENGLISH))

    search = soup.select_one("form[role=search]")
    assert search["action"] == "/search/" and search["method"] == "get"
    assert search.select_one("input[name=q]")["id"] == search.select_one("label")["for"]
    item_link = soup.find("a", string="高层次人才认定申请")
    assert item_link["href"] == guide.url
    pending = soup.find(string="人才住房补贴申领")
    assert pending.parent.name == "span", (
        "an item without a guide must not be a dead link"
    )
    themes = [
        tab.select_one(".theme__name").get_text() for tab in soup.select("[data-tab]")
    ]
    assert themes[:2] == ["人才认定", "资金补助"]
    assert soup.find("a", string="泉州市高层次人才认定办法")
    assert soup.find("a", string="人才港湾正式上线")
    figure_keys = {figure["data-figure"] for figure in soup.select("[data-figure]")}
    assert {"employers", "talents"} <= figure_keys
    modules = soup.select_one("#departments")
    assert modules.find(string="泉州市人力资源和社会保障局")
    assert modules.find(string="晋江市")
    assert soup.find("h1").get_text(strip=True) == home_page().headline


def test_standard_page_renders_its_body(client):
    page = make_standard_page(
        title="关于人才港湾",
        introduction="一站式服务大厅简介",
        body=[
            ("heading", {"text": "服务宗旨", "level": "h2"}),
            ("paragraph", "<p>让人才少跑腿。</p>"),
            (
                "notice",
                {"kind": "warning", "title": "温馨提示", "text": "<p>请带齐材料。</p>"},
            ),
        ],
    )
    soup = soup_of(client.get(page.url))
    assert soup.find("h1").get_text() == "关于人才港湾"
    assert soup.find("h2", string="服务宗旨")
    assert "让人才少跑腿。" in soup.get_text()
    notice = soup.select_one(".notice--warning")
    assert notice["role"] == "note"
    assert "温馨提示" in notice.get_text() and "请带齐材料。" in notice.get_text()


def make_document(title: str = "申报表（模板）"):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document(
        title=title, file=ContentFile(b"%PDF-1.4 sample", name="form.pdf")
    )
    document.save()
    return document


def make_image():
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images.models import Image

    buffer = BytesIO()
    PillowImage.new("RGB", (64, 48), "#b4141b").save(buffer, format="PNG")
    return Image.objects.create(
        title="服务专窗", file=ImageFile(buffer, name="window.png")
    )


def test_body_blocks_render_images_documents_and_headings(client):
    document = make_document()
    page = make_standard_page(
        body=[
            ("heading", {"text": "办理须知", "level": "h3"}),
            (
                "image",
                {
                    "image": make_image(),
                    "caption": "人才大厦服务专窗",
                    "alt_text": "窗口照片",
                },
            ),
            ("document", {"document": document, "title": ""}),
        ]
    )
    soup = soup_of(client.get(page.url))
    assert soup.find("h3", string="办理须知")
    figure = soup.select_one("figure.figure-image")
    assert (
        figure.img["alt"] == "窗口照片"
        and figure.figcaption.get_text() == "人才大厦服务专窗"
    )
    link = soup.select_one(".document-link a")
    assert link["href"] == document.url and "申报表（模板）" in link.get_text()
    assert "PDF" in link.get_text()


def test_policy_attachments_and_material_samples_link_their_documents(client):
    from cms.policies.models import PolicyAttachment

    document = make_document("申请表")
    policy = make_policy()
    PolicyAttachment.objects.create(
        page=policy, document=document, title="附件1：申请表"
    )
    publish(policy)
    guide = make_guide(
        materials=[
            (
                "material",
                {
                    "name": "申请表",
                    "form": "original",
                    "copies": 2,
                    "required": True,
                    "notes": "",
                    "sample": document,
                },
            )
        ]
    )
    policy_soup = soup_of(client.get(policy.url))
    assert policy_soup.select_one(".attachments a")["href"] == document.url
    guide_soup = soup_of(client.get(guide.url))
    assert guide_soup.select_one("#materials tbody a")["href"] == document.url


# --- Department and district modules ------------------------------------------------


def test_department_module_shows_window_and_its_contents(client):
    department, module = make_module_with_contact()
    guide = make_guide(parent=module, title="人才认定办事指南")
    policy = make_policy(issuing_department=department, title="人才认定实施细则")
    news = make_news(parent=module, title="人社局开展人才政策宣讲")

    soup = soup_of(client.get(english(module.url), **ENGLISH))

    text = soup.get_text()
    for expected in (
        module.introduction,
        module.address,
        module.service_window,
        module.phone,
        module.office_hours,
    ):
        assert expected in text
    assert soup.find("a", href=guide.url, string=guide.title)
    assert soup.find("a", href=policy.url, string=policy.title)
    assert soup.find("a", href=news.url, string=news.title)
    assert soup.select_one("aside h2").get_text() == "Service window"


def test_district_module_lists_its_departments(client):
    district = make_district(name="晋江市")
    sub = make_department(
        name="晋江市人力资源和社会保障局", short_name="晋江人社局", district=district
    )
    soup = soup_of(client.get(district.module_page.url))
    assert soup.find("a", href=sub.module_page.url)
    assert soup.find("h1").get_text() == "晋江市"


# --- Policies ----------------------------------------------------------------------


def test_policy_page_shows_every_document_field(client):
    department, module = make_module_with_contact()
    guide = make_guide(parent=module, title="住房补贴办事指南")
    policy = make_policy(
        issuing_department=department,
        title="泉州市高层次人才住房保障办法",
        document_number="泉人社〔2026〕8号",
        effective_from=datetime.date(2026, 4, 1),
        effective_until=datetime.date(2031, 3, 31),
        summary="第一至第三层次人才可申请购房补贴。",
        body=[("paragraph", "<p>第一条 为吸引高层次人才……</p>")],
        tiers=[tier("tier-1"), tier("tier-2")],
    )
    policy.related_guides.set([guide])
    publish(policy)

    soup = soup_of(client.get(english(policy.url), **ENGLISH))

    info = soup.select_one("dl.docinfo")
    assert (
        info.select_one("[data-field=document-number]").get_text()
        == "泉人社〔2026〕8号"
    )
    info_text = info.get_text()
    for expected in (
        "泉州市人力资源和社会保障局",
        "2026-03-01",
        "2026-04-01",
        "2031-03-31",
        "住房安居",
    ):
        assert expected in info_text
    assert "第一层次人才" in info_text and "第二层次人才" in info_text
    assert soup.select_one(".badge--in_force").get_text() == "In force"
    assert soup.find("h1").get_text() == policy.title
    assert policy.summary in soup.select_one(".summary-box").get_text()
    assert "第一条 为吸引高层次人才" in soup.select_one(".document__body").get_text()
    assert soup.find("a", href=guide.url, string=guide.title)
    assert not soup.select(".banner")


def test_repealed_policy_shows_a_banner_linking_its_successor(client):
    department = make_department()
    successor = make_policy(issuing_department=department, title="新版人才住房办法")
    repealed = make_policy(
        issuing_department=department,
        title="旧版人才住房办法",
        status=PolicyStatus.REPEALED,
        superseded_by=successor,
    )
    soup = soup_of(client.get(english(repealed.url), **ENGLISH))
    banner = soup.select_one(".banner--danger")
    assert banner["role"] == "status"
    assert "repealed" in banner.get_text()
    assert banner.select_one("a[data-successor]")["href"] == successor.url
    # The successor lists what it replaced.
    successor_soup = soup_of(client.get(successor.url))
    assert successor_soup.find("a", href=repealed.url)


def test_amended_policy_shows_a_softer_banner(client):
    department = make_department()
    newer = make_policy(issuing_department=department, title="修订后的办法")
    amended = make_policy(
        issuing_department=department, status=PolicyStatus.AMENDED, superseded_by=newer
    )
    soup = soup_of(client.get(amended.url))
    assert not soup.select(".banner--danger")
    banner = soup.select_one(".banner--notice")
    assert banner.select_one("a[data-successor]")["href"] == newer.url


def test_repealed_policy_without_live_successor_has_no_dead_link(client):
    department = make_department()
    draft = make_policy(issuing_department=department, live=False)
    repealed = make_policy(
        issuing_department=department, status=PolicyStatus.REPEALED, superseded_by=draft
    )
    soup = soup_of(client.get(repealed.url))
    assert soup.select_one(".banner--danger")
    assert not soup.select("a[data-successor]")


def test_policy_index_lists_and_filters_by_status(client):
    department = make_department()
    in_force = make_policy(issuing_department=department, title="现行政策")
    repealed = make_policy(
        issuing_department=department, title="废止政策", status=PolicyStatus.REPEALED
    )
    index_url = home_page().get_children().get(slug="policies").url

    everything = soup_of(client.get(index_url))
    assert everything.find("a", string=in_force.title)
    assert everything.find("a", string=repealed.title)

    filtered = soup_of(client.get(index_url, {"status": "repealed"}))
    assert filtered.find("a", string=repealed.title)
    assert not filtered.find("a", string=in_force.title)
    assert filtered.select_one("#filter-status option[selected]")["value"] == "repealed"


# --- Service guides and the notification sheet ---------------------------------------


def make_full_guide(module):
    return make_guide(
        parent=module,
        title="高层次人才认定",
        item_code="QZ-RC-0001",
        eligible_applicants="在泉工作的高层次人才及其用人单位",
        summary="经认定的高层次人才可享受相应待遇。",
        conditions=[
            ("condition", "在泉州市工作并签订劳动合同"),
            ("condition", "缴纳社保满6个月"),
        ],
        process=[
            (
                "step",
                {
                    "title": "网上申报",
                    "description": "提交材料",
                    "handler": "申请人",
                    "time_limit_days": None,
                },
            ),
            (
                "step",
                {
                    "title": "窗口受理",
                    "description": "审查材料",
                    "handler": "服务专窗",
                    "time_limit_days": 1,
                },
            ),
        ],
        legal_basis=[
            (
                "basis",
                {"title": "《泉州市高层次人才认定和评价办法》", "article": "第五条"},
            )
        ],
        statutory_limit_days=20,
        promised_limit_days=5,
        fees="不收费",
        place="泉州市人才大厦一楼",
        window="3 号窗口",
        office_hours="工作日 8:30-17:30",
        service_mode=ServiceMode.BOTH,
        online_url="https://example.org/apply",
        contact_phone="0595-12345678",
        complaint_phone="0595-12345679",
        faq=[
            (
                "question",
                {
                    "question": "可以委托他人办理吗？",
                    "answer": "可以，需提供授权委托书。",
                },
            )
        ],
    )


def test_service_guide_shows_every_structured_element(client):
    department, module = make_module_with_contact()
    guide = make_full_guide(module)
    policy = make_policy(issuing_department=department, title="人才认定政策")
    policy.related_guides.set([guide])
    publish(policy)

    soup = soup_of(client.get(english(guide.url), **ENGLISH))
    text = soup.get_text()

    assert soup.select_one("[data-field=item-code]").get_text() == "QZ-RC-0001"
    assert soup.find("a", href=module.url, string=module.title)
    for expected in (
        "在泉工作的高层次人才及其用人单位",
        "在泉州市工作并签订劳动合同",
        "缴纳社保满6个月",
        "网上申报",
        "服务专窗",
        "《泉州市高层次人才认定和评价办法》",
        "第五条",
        "不收费",
        "泉州市人才大厦一楼",
        "3 号窗口",
        "工作日 8:30-17:30",
        "0595-12345678",
        "0595-12345679",
    ):
        assert expected in text, expected
    rows = soup.select("#materials tbody tr")
    assert [row.select_one(".materials-table__name").get_text() for row in rows] == [
        "身份证",
        "获奖证书",
    ]
    assert [row["data-required"] for row in rows] == ["true", "false"]
    assert rows[0].find(string="Copy") and rows[1].find(string="Original and copy")
    limits = soup.select_one("#time-and-fees").get_text(" ", strip=True)
    assert "Statutory time limit 20 working days" in limits
    assert "Promised time limit 5 working days" in limits
    faq = soup.select_one("details.faq")
    assert faq.summary.get_text() == "可以委托他人办理吗？"
    assert soup.find("a", href=policy.url)
    notice_links = soup.find_all("a", href=guide.url + "notice/")
    assert notice_links, "the guide links its printable notification sheet"
    assert soup.find("a", href="https://example.org/apply", string="Apply online")


def test_offline_guide_offers_no_online_application(client):
    guide = make_guide(
        service_mode=ServiceMode.OFFLINE, online_url="https://example.org/apply"
    )
    soup = soup_of(client.get(guide.url))
    assert not soup.find("a", href="https://example.org/apply")


def test_notice_sheet_lists_every_material_with_required_or_optional(client):
    _, module = make_module_with_contact()
    guide = make_full_guide(module)

    soup = soup_of(client.get(english(guide.url + "notice/"), **ENGLISH))

    sheet = soup.select_one("article.sheet")
    assert guide.title in sheet.select_one(".sheet__item").get_text()
    assert "QZ-RC-0001" in sheet.select_one(".sheet__meta").get_text()
    rows = sheet.select("tr[data-material]")
    listed = [
        (row.find("label").get_text(), row.find_all("td")[5].get_text()) for row in rows
    ]
    assert listed == [("身份证", "Required"), ("获奖证书", "Optional")]
    for row in rows:
        checkbox = row.select_one("input[type=checkbox]")
        assert row.find("label")["for"] == checkbox["id"]
    sheet_text = sheet.get_text(" ", strip=True)
    for expected in (
        "在泉州市工作并签订劳动合同",
        "20 working days",
        "5 working days",
        "泉州市人才大厦一楼",
        "0595-12345678",
    ):
        assert expected in sheet_text, expected
    # The hall's date (China time), not the server's: they differ before 08:00.
    assert sheet.select_one("time")["datetime"] == timezone.localdate().isoformat()
    print_button = soup.select_one("button[data-print]")
    assert print_button.has_attr("hidden"), (
        "shown by script only, since printing needs it"
    )


# --- Catalogue ------------------------------------------------------------------------


@pytest.fixture
def catalogue_items():
    housing_dept = make_department(name="泉州市住房和城乡建设局", short_name="住建局")
    talent_dept = make_department(
        name="泉州市人力资源和社会保障局", short_name="人社局"
    )
    from cms.core.models import ServiceCategory

    housing = ServiceCategory.objects.get(slug="housing")
    recognition = ServiceCategory.objects.get(slug="talent-recognition")
    return {
        "subsidy": make_service_item(
            name="购房补贴", category=housing, department=housing_dept
        ),
        "rent": make_service_item(
            name="租房补贴", category=housing, department=talent_dept
        ),
        "recognition": make_service_item(
            name="人才认定", category=recognition, department=talent_dept
        ),
        "hidden": make_service_item(
            name="已停办事项",
            category=recognition,
            department=talent_dept,
            is_active=False,
        ),
        "housing_dept": housing_dept,
        "talent_dept": talent_dept,
    }


def group_items(soup) -> dict[str, list[str]]:
    return {
        group.select_one(".catalogue-group__name").get_text(): sorted(
            name.get_text() for name in group.select(".item-card__name")
        )
        for group in soup.select(".catalogue-group")
    }


def test_catalogue_groups_items_by_category(client, catalogue_items):
    soup = soup_of(client.get("/services/"))
    assert group_items(soup) == {
        "人才认定": ["人才认定"],
        "住房安居": sorted(["购房补贴", "租房补贴"]),
    }


def test_catalogue_groups_items_by_department(client, catalogue_items):
    soup = soup_of(client.get("/services/", {"by": "department"}))
    groups = group_items(soup)
    assert groups == {
        "泉州市住房和城乡建设局": ["购房补贴"],
        "泉州市人力资源和社会保障局": sorted(["租房补贴", "人才认定"]),
    }
    assert soup.select_one(".view-tabs a[aria-current]")["href"].startswith(
        "?by=department"
    )


def test_catalogue_filters_by_category_and_department(client, catalogue_items):
    by_category = soup_of(client.get("/services/", {"category": "housing"}))
    assert group_items(by_category) == {"住房安居": sorted(["购房补贴", "租房补贴"])}
    both = soup_of(
        client.get(
            "/services/",
            {"category": "housing", "department": catalogue_items["talent_dept"].pk},
        )
    )
    assert group_items(both) == {"住房安居": ["租房补贴"]}
    assert both.select_one("#filter-category option[selected]")["value"] == "housing"


def test_catalogue_says_when_nothing_matches(client, catalogue_items):
    soup = soup_of(client.get("/services/", {"category": "entry-exit"}, **ENGLISH))
    assert not soup.select(".catalogue-group")
    assert "No service items match these filters." in soup.get_text()
