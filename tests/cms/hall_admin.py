"""Builders and helpers for tests that drive Wagtail's admin over real HTTP.

Two city departments with content of every kind, their staff, and the form data
the page editor posts, so that permission tests refuse *valid* requests: a
refusal must come from the permission check, never from a malformed form.
"""

from dataclasses import dataclass

from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from tests.factories import (
    make_department,
    make_editor,
    make_guide,
    make_news,
    make_policy,
    make_user,
)

ZHUJIAN = {"name": "泉州市住房和城乡建设局", "short_name": "住建局"}
RENSHE = {"name": "泉州市人力资源和社会保障局", "short_name": "人社局"}


@dataclass
class DepartmentContent:
    """A department, its module and one page of each kind, plus an unpublished draft."""

    department: object
    module: object
    policy: object
    guide: object
    news: object
    draft: object

    @property
    def pages(self) -> list:
        return [self.policy, self.guide, self.news, self.draft]


def make_department_with_content(draft_marker: str, **fields) -> DepartmentContent:
    """`draft_marker` is an ASCII word in the draft's title, so that admin search
    can look for it whatever the Chinese segmentation does."""
    department = make_department(**fields)
    module = department.module_page
    short = department.short_name
    return DepartmentContent(
        department=department,
        module=module,
        policy=make_policy(
            parent=module,
            issuing_department=department,
            title=f"{short}高层次人才安居办法",
        ),
        guide=make_guide(parent=module, title=f"{short}人才认定办事指南"),
        news=make_news(parent=module, title=f"{short}人才服务新闻"),
        draft=make_policy(
            parent=module,
            issuing_department=department,
            live=False,
            title=f"{short}内部征求意见稿 {draft_marker}",
        ),
    )


def make_staff(unit, moderator: bool = False, **overrides):
    """A unit's editor or moderator whose password is current, so the password
    expiry middleware lets them into the admin."""
    overrides.setdefault("password_changed_at", timezone.now())
    return make_editor(unit, moderator=moderator, **overrides)


def make_superuser(**overrides):
    overrides.setdefault("password_changed_at", timezone.now())
    return make_user(is_staff=True, is_superuser=True, kind="staff", **overrides)


def client_for(user, **client_kwargs) -> Client:
    client = Client(**client_kwargs)
    client.force_login(user)
    return client


def admin_url(name: str, *args) -> str:
    return reverse(f"wagtailadmin_pages:{name}", args=args)


def body_stream(paragraph: str) -> dict:
    """A StreamField value the way the admin's JavaScript posts it."""
    return nested_form_data(
        {
            "body": streamfield(
                [
                    ("heading", {"text": "申报条件", "level": "h2"}),
                    ("paragraph", rich_text(f"<p>{paragraph}</p>")),
                ]
            ),
            "comments": inline_formset([]),
        }
    )


def policy_edit_data(html: str, paragraph: str = "正文", **changes) -> QueryDict:
    """The policy editor's form as rendered in `html`, with a body and `changes`.

    The StreamField is built by JavaScript in the browser, so the rendered form
    carries no inputs for it: they are added here.
    """
    data = querydict_from_html(html, form_id="page-edit-form")
    data.update(body_stream(paragraph))
    for name, value in changes.items():
        data[name] = value
    return data


def policy_add_data(department, title: str, slug: str, **changes) -> dict:
    """What the editor posts from the 'add policy' form."""
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "document_number": "泉建〔2026〕8号",
            "issuing_department": str(department.pk),
            "issued_on": "2026-03-01",
            "status": "in_force",
            "summary": "新引进高层次人才可申请租房补贴。",
            "attachments": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data.update(body_stream("符合条件的人才可按月领取补贴。"))
    data.update(changes)
    return data


def assert_refused(response) -> None:
    """Wagtail refuses with 403, or with a redirect to the dashboard carrying a
    'permission denied' message. With `follow=True`, where the chain ended."""
    dashboard = reverse("wagtailadmin_home")
    chain = getattr(response, "redirect_chain", None)
    if chain:
        assert chain[-1][0] == dashboard, chain
        return
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:
        assert response["Location"] == dashboard, response["Location"]
