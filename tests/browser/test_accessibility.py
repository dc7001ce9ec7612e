"""axe-core over the hall at 1280 and 375 px: every kind of public page, every
step of every demo form (blank and with errors), the review page, the receipt,
我的申请, the progress lookup and publicity. No critical or serious violation
may remain; each one is reported with its page, width, rule and element.

Beside axe, what it cannot see: the error summary takes the focus and the
title says 错误 (Error in English), Enter in a step with a repeatable group continues instead of
adding a row, and no page is wider than a phone.

One browser and one demo city for the whole walk: the demo takes a minute to
load, so everything is checked in one test and the failures are collected.
"""

import re
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from freezegun import freeze_time
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.axe import violations
from tests.browser.navigation import arrive
from tests.browser.test_contrast import audit, describe
from tests.datasets import early_this_morning

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
DEMO_PASSWORD = "Demo#City2026"  # noqa: S105 (the demo's published password)

KNOWN_BAD = """<html lang="en"><head><title>bad</title></head><body><main>
<h1>Known violations</h1>
<input id="nameless" type="text">
<p id="faint" style="color:#ccc;background:#fff">faint grey text</p>
</main></body></html>"""


def public_pages() -> dict[str, str]:
    """One live page of each kind, and the hall's own views."""
    from cms.departments.models import DepartmentPage, DistrictPage
    from cms.home.models import StandardPage
    from cms.news.models import NewsIndexPage, NewsPage
    from cms.policies.models import PolicyIndexPage, PolicyPage
    from cms.services.models import ServiceGuidePage
    from forms.models import ApplicationFormPage, PublicityBatch
    from forms.reporting.views import performance_rows

    pages = {"home": "/"}
    kinds = {
        "department": DepartmentPage,
        "district": DistrictPage,
        "standard page": StandardPage,
        "news index": NewsIndexPage,
        "news": NewsPage,
        "policy index": PolicyIndexPage,
        "policy": PolicyPage,
        "service guide": ServiceGuidePage,
        "form page": ApplicationFormPage,
    }
    for name, model in kinds.items():
        page = model.objects.live().exact_type(model).order_by("path").first()
        if page is not None:
            pages[name] = page.url
    repealed = PolicyPage.objects.live().filter(status="repealed").first()
    if repealed is not None:
        pages["repealed policy"] = repealed.url
    if "service guide" in pages:
        pages["notice sheet"] = pages["service guide"] + "notice/"
    if "form page" in pages:
        pages["form checklist"] = pages["form page"] + "checklist/"
    pages |= {
        "services": "/services/",
        "search": "/search/?q=人才住房补贴",
        "search, nothing found": "/search/?q=无此内容qqq",
        "register": "/accounts/register/",
        "password reset": "/accounts/password/reset/",
        "not found": "/no-such-page/",
        "performance": "/performance/",
        "publicity": "/publicity/",
    }
    measured = [row for row in performance_rows() if row.get("has_forms")]
    if measured:
        pages["performance detail"] = f"/performance/{measured[0]['item_id']}/"
    batch = PublicityBatch.objects.filter(
        published_at__isnull=False, closed_at__isnull=True
    ).first()
    if batch is not None:
        pages["publicity batch"] = f"/publicity/{batch.pk}/"
    return pages


class Walk:
    """Visits pages in one browser tab and collects what is wrong with them."""

    def __init__(self, page, base: str, viewport: dict):
        self.page, self.base, self.width = page, base, viewport["width"]
        page.set_viewport_size(viewport)
        self.problems: list[str] = []
        self.checked: list[str] = []
        self.enter_pressed = 0

    @contextmanager
    def part(self, name: str):
        """One part of the walk: should it break (a button missing, a page
        that never comes), that is reported and the walk goes on."""
        try:
            yield
        except (PlaywrightError, AssertionError) as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            self.problems.append(f"{self.where(name)}: broke off: {first}")

    def where(self, name: str) -> str:
        return f"{name} @{self.width}px"

    def check(self, name: str) -> None:
        """axe, and nothing wider than the window."""
        where = self.where(name)
        self.checked.append(where)
        self.problems += violations(self.page, where)
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        if overflow > 0:
            self.problems.append(f"{where}: {overflow}px wider than the window")

    def visit(self, name: str, path: str) -> None:
        self.page.goto(self.base + path)
        self.check(name)

    def submit(self, name: str, button: str) -> None:
        """Send the form with what it holds; the errors must take the focus."""
        self.page.locator(button).first.click()
        summary = self.page.locator(".error-summary")
        expect(summary, f"{self.where(name)}: no error summary").to_be_visible()
        self.page.wait_for_load_state()
        self.errors_announced(name)
        self.check(name)

    def errors_announced(self, name: str) -> None:
        where = self.where(name)
        focused = self.page.evaluate(
            "() => document.activeElement.matches('.error-summary')"
        )
        if not focused:
            self.problems.append(f"{where}: the error summary does not have the focus")
        # "错误" on a Chinese page, "Error" on an English form.
        lang = self.page.evaluate("() => document.documentElement.lang")
        word = "Error" if lang.startswith("en") else "错误"
        if word not in self.page.title():
            self.problems.append(f"{where}: the title does not say {word}")


def sign_in(walk: Walk, username: str) -> None:
    page = walk.page
    page.goto(walk.base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("form[action$='/accounts/logout/']")).to_be_attached()


def walk_public(walk: Walk, pages: dict[str, str]) -> None:
    page = walk.page
    for name, path in pages.items():
        with walk.part(name):
            walk.visit(name, path)
    with walk.part("home, search typed"):
        page.goto(walk.base + "/")
        page.locator("main input[type=search]").first.fill("人才住房补贴")
        walk.check("home, search typed")
        # axe leaves typed text out of its contrast rule: measured here.
        report, failures = audit(page, "main form[role=search]")
        assert report["checked"] >= 1, report
        if failures:
            walk.problems.append(
                f"{walk.where('home, search typed')}: contrast\n{describe(failures)}"
            )
    with walk.part("login"):
        walk.visit("login", "/accounts/login/")
        page.fill("input[name=username]", "nobody")
        page.fill("input[name=password]", "wrong password")
        walk.submit("login, wrong password", "form.form button[type=submit]")
    with walk.part("register"):
        walk.visit("register", "/accounts/register/")
        walk.submit("register, empty", "main form button[type=submit]:visible")
    with walk.part("progress lookup"):
        walk.visit("progress lookup", "/applications/progress/")
        walk.submit("progress lookup, empty", ".progress-form button[type=submit]")
        page.fill("input[name=receipt_number]", "QZRC-2026-999999")
        page.fill("input[name=id_last_four]", "1234")
        walk.submit("progress lookup, not found", ".progress-form button[type=submit]")
    if "publicity batch" in pages:
        with walk.part("publicity objection"):
            page.goto(walk.base + pages["publicity batch"])
            if page.locator(".objection-form").count():
                walk.submit(
                    "publicity objection, empty",
                    ".objection-form button[type=submit]",
                )


def walk_forms(walk: Walk, forms) -> None:
    """Each demo form: its page, every step blank and sent empty, the review."""
    for form in forms:
        with walk.part(form.title):
            walk_form(walk, form)


def walk_form(walk: Walk, form) -> None:
    from forms.applying import services
    from forms.models import Application

    page, name = walk.page, form.title
    walk.visit(f"{name}: form page", form.url)
    page.locator("form[action$='start/'] button[type=submit]").click()
    arrive(page, re.compile(r".*/step/\d+/$"))
    uuid = re.search(r"/applications/([0-9a-f-]+)/step/", page.url).group(1)
    application = Application.objects.get(uuid=uuid)
    for step in services.steps_of(application):
        path = f"/applications/{uuid}/step/{step.number}/"
        where = f"{name}: step {step.number}"
        with walk.part(where):
            page.goto(walk.base + path)
            if not page.url.endswith(path):
                continue  # hidden by a condition on earlier answers
            walk.check(where)
            if page.locator(".group-input__row").count():
                enter_continues(walk, where)
                page.goto(walk.base + path)
            page.locator("button[name=action][value=next]").last.click()
            page.wait_for_load_state()
            if page.locator(".error-summary").count():
                walk.errors_announced(f"{where}, sent empty")
                walk.check(f"{where}, sent empty")
    walk.visit(f"{name}: review", f"/applications/{uuid}/review/")


def enter_continues(walk: Walk, where: str) -> None:
    """Enter in a text box saves the step (next or errors), adding no row."""
    page = walk.page
    before, address = page.locator(".group-input__row").count(), page.url
    field = page.locator("form[data-application-form] input[type=text]:visible")
    with page.expect_navigation():
        field.first.press("Enter")
    page.wait_for_load_state()
    walk.enter_pressed += 1
    after = page.locator(".group-input__row").count()
    moved = page.url != address
    errors = page.locator(".error-summary").count()
    if after != before and not moved:
        walk.problems.append(
            f"{walk.where(where)}: Enter added a row ({before} → {after}) "
            "instead of continuing"
        )
    elif not (errors or moved):
        walk.problems.append(f"{walk.where(where)}: Enter did nothing visible")


def walk_applicant(walk: Walk, application) -> None:
    pages = {
        "receipt": f"/applications/{application.uuid}/receipt/",
        "我的申请": "/applications/",
        "application detail": f"/applications/{application.uuid}/",
        "messages": "/applications/messages/",
    }
    for name, path in pages.items():
        with walk.part(name):
            walk.visit(name, path)


# Text with Chinese characters whose nearest lang is not Chinese.
UNMARKED_CHINESE = r"""() => {
  const cjk = /[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!cjk.test(node.textContent) || el.closest("script, style, template")) continue;
    const marked = el.closest("[lang]");
    if (!marked || !marked.lang.toLowerCase().startsWith("zh")) {
      found.push(`${el.localName}.${el.className} “${node.textContent.trim().slice(0, 30)}”`);
    }
  }
  return found;
}"""


def walk_english(walk: Walk, pages: dict[str, str]) -> None:
    """English pages: the interface in English, the Chinese content marked."""
    page = walk.page
    page.goto(walk.base + "/i18n/en/?next=/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for name in ("home", "policy", "service guide", "search", "form page"):
        if name not in pages:
            continue
        walk.visit(f"{name} in English", pages[name])
        for text in page.evaluate(UNMARKED_CHINESE):
            walk.problems.append(
                f"{walk.where(name + ' in English')}: Chinese without "
                f'lang="zh-Hans": {text}'
            )
    page.goto(walk.base + "/i18n/zh-hans/?next=/")


def assert_axe_finds_known_violations(page) -> None:
    """The harness itself: a page with two known faults is reported by rule
    and element."""
    page.set_content(KNOWN_BAD)
    found = violations(page, "known bad")
    assert any("label (critical) #nameless" in line for line in found), found
    assert any("color-contrast (serious) #faint" in line for line in found), found


def test_no_critical_or_serious_axe_violations(live_server, browser):
    from forms.models import Application, ApplicationFormPage, ApplicationStatus

    with freeze_time(early_this_morning()):
        call_command("load_demo", "--quiet")
    pages = public_pages()
    forms = list(ApplicationFormPage.objects.live().order_by("path"))
    assert len(forms) >= 5, "the demo's forms are missing"
    submitted = (
        Application.objects.filter(
            applicant__username__startswith="demo-talent",
            status=ApplicationStatus.SUBMITTED,
        )
        .select_related("applicant")
        .order_by("pk")
        .first()
    )
    assert submitted is not None, "no submitted application in the demo"

    problems, checked, enter_pressed = [], [], 0
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        page = context.new_page()
        if viewport is DESKTOP:
            assert_axe_finds_known_violations(page)
        walk = Walk(page, live_server.url, viewport)
        walk_public(walk, pages)
        if viewport is DESKTOP:
            with walk.part("English"):
                walk_english(walk, pages)
        with walk.part("sign-in"):
            sign_in(walk, submitted.applicant.username)
        walk_forms(walk, forms)
        walk_applicant(walk, submitted)
        problems += walk.problems
        checked += walk.checked
        enter_pressed += walk.enter_pressed
        context.close()
    assert len(checked) >= 2 * (len(pages) + 6 * len(forms)), checked
    # The demo's forms have required fields and repeatable groups: both were tried.
    assert sum(", sent empty" in where for where in checked) >= 2 * len(forms), checked
    assert enter_pressed >= 2, "no step with a repeatable group was reached"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
