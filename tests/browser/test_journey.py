"""A visitor's journey through the hall in a real browser, on desktop and phone."""

import pytest
from playwright.sync_api import expect

from cms.core.models import HallSettings
from cms.services.models import ServiceMode
from tests.browser.navigation import arrive
from tests.factories import (
    home_page,
    make_department,
    make_guide,
    make_news,
    make_policy,
    make_service_item,
)

# serialized_rollback restores what migrations created (locale, root page, collections)
# after each flush; without it the second live-server test finds an empty tree.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def build_hall() -> dict:
    """A department module with a guide, a policy and a news item, and a menu item."""
    settings = HallSettings.for_site(home_page().get_site())
    settings.hotline = "0595-12345"
    settings.address = "泉州市丰泽区人才大厦"
    settings.opening_hours = "工作日 8:30-12:00, 14:30-17:30"
    settings.save()
    department = make_department(name="泉州市人力资源和社会保障局", short_name="人社局")
    module = department.module_page
    module.introduction = "负责高层次人才认定、人才服务和人才政策的组织实施。"
    module.address = "泉州市丰泽区人才大厦一楼"
    module.service_window = "人才服务专窗 3 号窗口"
    module.phone = "0595-22100000"
    module.office_hours = "工作日 8:30-12:00, 14:30-17:30"
    module.save_revision().publish()
    guide = make_guide(
        parent=module,
        title="泉州市高层次人才认定",
        item_code="QZ-RC-0001",
        summary="符合条件的高层次人才经认定后，可享受住房、子女就学、医疗保健等配套待遇。",
        conditions=[
            ("condition", "在泉州市工作并签订一年以上劳动合同"),
            ("condition", "符合《泉州市高层次人才认定和评价办法》规定的层次条件"),
        ],
        materials=[
            (
                "material",
                {
                    "name": "居民身份证",
                    "form": "copy",
                    "copies": 1,
                    "required": True,
                    "notes": "正反面复印在同一页",
                },
            ),
            (
                "material",
                {
                    "name": "劳动合同",
                    "form": "original_and_copy",
                    "copies": 1,
                    "required": True,
                    "notes": "原件核验后退回",
                },
            ),
            (
                "material",
                {
                    "name": "最高学历学位证书",
                    "form": "copy",
                    "copies": 1,
                    "required": True,
                    "notes": "",
                },
            ),
            (
                "material",
                {
                    "name": "获奖证书或业绩证明",
                    "form": "original_and_copy",
                    "copies": 1,
                    "required": False,
                    "notes": "按所申报层次提供",
                },
            ),
        ],
        process=[
            (
                "step",
                {
                    "title": "网上申报",
                    "description": "登录人才港湾填写申请并上传材料",
                    "handler": "申请人",
                    "time_limit_days": None,
                },
            ),
            (
                "step",
                {
                    "title": "窗口受理",
                    "description": "材料齐全的当场受理；不齐全的一次性告知",
                    "handler": "人才服务专窗",
                    "time_limit_days": 1,
                },
            ),
            (
                "step",
                {
                    "title": "审核认定",
                    "description": "人社部门会同行业主管部门审核",
                    "handler": "人社局",
                    "time_limit_days": 3,
                },
            ),
            (
                "step",
                {
                    "title": "公示发证",
                    "description": "公示 5 个工作日无异议后发放人才证",
                    "handler": "人社局",
                    "time_limit_days": 1,
                },
            ),
        ],
        legal_basis=[
            (
                "basis",
                {
                    "title": "《泉州市高层次人才认定和评价办法》",
                    "article": "第五条至第十二条",
                },
            )
        ],
        fees="不收费",
        place="泉州市丰泽区人才大厦一楼",
        window="人才服务专窗 3 号窗口",
        office_hours="工作日 8:30-12:00, 14:30-17:30",
        service_mode=ServiceMode.BOTH,
        complaint_phone="12345",
        faq=[
            (
                "question",
                {
                    "question": "可以委托他人办理吗？",
                    "answer": "可以，需提供授权委托书及受托人身份证。",
                },
            )
        ],
    )
    policy = make_policy(
        issuing_department=department,
        title="泉州市高层次人才认定和评价办法",
        document_number="泉人社〔2026〕12号",
        summary="明确七个层次高层次人才的认定标准、申报程序和配套待遇。",
        body=[
            (
                "paragraph",
                "<p>第一条 为深入实施人才强市战略，加快集聚高层次人才，制定本办法。</p>",
            )
        ],
    )
    policy.related_guides.set([guide])
    policy.save_revision().publish()
    item = make_service_item(
        guide=guide, name="高层次人才认定申请", department=department
    )
    make_service_item(name="人才住房补贴申领", department=department)
    make_news(
        parent=module, title="人才港湾正式上线运行", summary="一站式服务大厅今日上线。"
    )
    return {"guide": guide, "policy": policy, "item": item, "module": module}


UNLABELLED_CONTROLS = """
() => [...document.querySelectorAll("input, select, textarea")]
    .filter((el) => !["hidden", "submit", "button"].includes(el.type))
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label"))
    .map((el) => el.outerHTML)
"""


def accessibility_problems(page) -> list[str]:
    """What a screen-reader user would trip over first, checked on every page."""
    problems = []
    if page.locator("h1").count() != 1:
        problems.append(f"{page.locator('h1').count()} h1 elements")
    if not page.evaluate("document.documentElement.lang"):
        problems.append("no lang attribute")
    problems += [f"unlabelled: {html}" for html in page.evaluate(UNLABELLED_CONTROLS)]
    if page.locator("img:not([alt])").count():
        problems.append("an image without alt")
    if page.locator("main").count() != 1:
        problems.append("not exactly one main landmark")
    return problems


def no_horizontal_scroll(page) -> bool:
    assert page.evaluate("window.innerWidth") == page.viewport_size["width"]
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_visitor_goes_from_the_menu_to_the_guide_its_sheet_and_the_policy(
    live_server, desktop, artifacts
):
    hall = build_hall()
    page = desktop
    page.goto(live_server.url + "/")
    page.screenshot(path=artifacts / "home-desktop.png", full_page=True)

    page.get_by_role("link", name=hall["item"].name).click()
    arrive(page, live_server.url + hall["guide"].url)
    expect(page.locator("h1")).to_have_text(hall["guide"].title, use_inner_text=True)
    page.screenshot(path=artifacts / "guide-desktop.png", full_page=True)

    page.locator(f'a[href="{hall["guide"].url}notice/"]').first.click()
    arrive(page, live_server.url + hall["guide"].url + "notice/")
    expect(page.locator("tr[data-material] label")).to_have_text(
        [
            "居民身份证",
            "劳动合同",
            "最高学历学位证书",
            "获奖证书或业绩证明",
        ],
        use_inner_text=True,
    )
    print_button = page.locator("button[data-print]")
    expect(print_button, "the script reveals the print button").to_be_visible()
    page.screenshot(path=artifacts / "notice-desktop.png", full_page=True)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(print_button).to_be_hidden()
    page.screenshot(path=artifacts / "notice-print.png", full_page=True)
    page.emulate_media(media="screen")

    page.go_back()
    arrive(page, live_server.url + hall["guide"].url)
    page.locator(f'#policies a[href="{hall["policy"].url}"]').click()
    arrive(page, live_server.url + hall["policy"].url)
    expect(page.locator("[data-field=document-number]")).to_have_text(
        "泉人社〔2026〕12号", use_inner_text=True
    )
    page.screenshot(path=artifacts / "policy-desktop.png", full_page=True)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_pages_fit_the_screen_without_sideways_scrolling(
    live_server, request, screen, artifacts
):
    """375 px is the narrowest phone the hall supports; desktop is checked too."""
    hall = build_hall()
    page = request.getfixturevalue(screen)
    pages = {
        "home": "/",
        "guide": hall["guide"].url,
        "notice": hall["guide"].url + "notice/",
        "policy": hall["policy"].url,
        "module": hall["module"].url,
        "catalogue": "/services/",
        "policy-index": "/policies/",
        "news-index": "/news/",
        "login": "/accounts/login/",
        "missing": "/no-such-page/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.screenshot(path=artifacts / f"{name}-{screen}.png", full_page=True)
        assert no_horizontal_scroll(page), f"{name} scrolls sideways on the {screen}"
        assert accessibility_problems(page) == [], name


def test_keyboard_reaches_the_skip_link_first_and_drives_the_theme_tabs(
    live_server, desktop, artifacts
):
    build_hall()
    page = desktop
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box and box["y"] >= 0, "the focused skip link is on screen"
    page.screenshot(path=artifacts / "skip-link-focus.png")
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    tabs = page.get_by_role("tab")
    first = tabs.nth(0)
    expect(first).to_have_attribute("aria-selected", "true")
    first.focus()
    page.keyboard.press("ArrowRight")
    second = tabs.nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(second).to_be_focused()
    panel_id = second.get_attribute("aria-controls")
    expect(page.locator(f"#{panel_id}")).to_be_visible()
    expect(page.locator(f"#{first.get_attribute('aria-controls')}")).to_be_hidden()
