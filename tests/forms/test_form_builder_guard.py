"""No path around *Can build application forms*, through Wagtail's own admin views.

A module moderator publishes, unpublishes, moves, copies, deletes and restricts
the module's pages; on an application form, or on a page holding one below it,
every one of these paths refuses them unless they may build forms, and a form
builder with the same page rights still can.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, TaskState

from forms.models import ApplicationFormPage
from tests.cms.hall_admin import (
    admin_url,
    client_for,
    make_staff,
    make_superuser,
)
from tests.factories import make_department, make_guide, make_user
from tests.forms.admin_helpers import make_form

pytestmark = pytest.mark.django_db


def with_build_right(user):
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="applications", codename="build_forms"
        )
    )
    # Permission caches live on the instance.
    return type(user).objects.get(pk=user.pk)


@dataclass
class Hall:
    module: Page
    guide: Page  # holds the form
    form: ApplicationFormPage
    other_guide: Page  # holds nothing
    moderator: object
    builder: object  # the same moderator's rights, plus build_forms


@pytest.fixture
def hall() -> Hall:
    department = make_department()
    module = department.module_page
    guide = make_guide(parent=module)
    return Hall(
        module=module,
        guide=guide,
        form=make_form(parent=guide),
        other_guide=make_guide(parent=module),
        moderator=make_staff(department, moderator=True),
        builder=with_build_right(make_staff(department, moderator=True)),
    )


def fresh(page) -> Page:
    return Page.objects.get(pk=page.pk)


def bulk_url(action: str, *pages) -> str:
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
    return url + "?" + "&".join(f"id={page.pk}" for page in pages)


# --- bulk actions ---


@pytest.mark.parametrize("target", ["form", "guide"])
def test_bulk_unpublish_refuses_a_moderator(hall, target):
    page = getattr(hall, target)
    client = client_for(hall.moderator)
    client.post(bulk_url("unpublish", page), {"include_descendants": "on"})
    assert fresh(page).live and fresh(hall.form).live


def test_bulk_unpublish_lets_a_form_builder(hall):
    client_for(hall.builder).post(bulk_url("unpublish", hall.form))
    assert not fresh(hall.form).live


def test_bulk_publish_of_a_form_draft_refuses_a_moderator(hall):
    draft = ApplicationFormPage.objects.get(pk=hall.form.pk)
    draft.title = "被改过的申请表"
    draft.save_revision()
    client_for(hall.moderator).post(bulk_url("publish", hall.form))
    assert fresh(hall.form).title == hall.form.title
    client_for(hall.builder).post(bulk_url("publish", hall.form))
    assert fresh(hall.form).title == "被改过的申请表"


def test_bulk_move_refuses_a_moderator(hall):
    client_for(hall.moderator).post(
        bulk_url("move", hall.form), {"chooser": hall.other_guide.pk}
    )
    assert fresh(hall.form).get_parent().pk == hall.guide.pk


def test_bulk_move_of_a_form_lets_a_form_builder(hall):
    client_for(hall.builder).post(
        bulk_url("move", hall.form), {"chooser": hall.other_guide.pk}
    )
    assert fresh(hall.form).get_parent().pk == hall.other_guide.pk


@pytest.mark.parametrize("target", ["form", "guide"])
def test_bulk_delete_refuses_a_moderator(hall, target):
    page = getattr(hall, target)
    client_for(hall.moderator).post(bulk_url("delete", page))
    assert Page.objects.filter(pk=page.pk).exists()
    assert Page.objects.filter(pk=hall.form.pk).exists()


def test_bulk_delete_of_a_form_lets_a_form_builder(hall):
    client_for(hall.builder).post(bulk_url("delete", hall.form))
    assert not Page.objects.filter(pk=hall.form.pk).exists()


# --- privacy ---

LOGIN_ONLY = {"restriction_type": "login", "password": "", "groups": []}


@pytest.mark.parametrize("target", ["form", "guide", "module"])
def test_privacy_dialog_refuses_a_moderator(hall, target):
    page = getattr(hall, target)
    client = client_for(hall.moderator)
    url = admin_url("set_privacy", page.pk)
    assert client.get(url).status_code in (302, 403)
    response = client.post(url, LOGIN_ONLY)
    assert response.status_code in (302, 403)
    assert not PageViewRestriction.objects.exists()


def test_privacy_dialog_still_works_for_a_moderator_where_no_form_is(hall):
    client_for(hall.moderator).post(
        admin_url("set_privacy", hall.other_guide.pk), LOGIN_ONLY
    )
    assert PageViewRestriction.objects.filter(page=hall.other_guide).exists()


def test_privacy_dialog_lets_a_form_builder(hall):
    response = client_for(hall.builder).post(
        admin_url("set_privacy", hall.form.pk), LOGIN_ONLY
    )
    assert response.status_code == 200
    assert PageViewRestriction.objects.filter(page=hall.form).exists()


# --- single-page actions that are not the editor ---


def test_move_refuses_a_moderator_and_lets_a_builder(hall):
    url = admin_url("move_confirm", hall.form.pk, hall.other_guide.pk)
    client_for(hall.moderator).post(url)
    assert fresh(hall.form).get_parent().pk == hall.guide.pk
    client_for(hall.builder).post(url)
    assert fresh(hall.form).get_parent().pk == hall.other_guide.pk


@pytest.mark.parametrize("target", ["form", "guide"])
def test_copy_refuses_a_moderator(hall, target):
    page = getattr(hall, target)
    before = Page.objects.count()
    parent = hall.other_guide if target == "form" else hall.module
    client_for(hall.moderator).post(
        admin_url("copy", page.pk),
        {
            "new_title": "副本",
            "new_slug": "copy-of-it",
            "new_parent_page": parent.pk,
            "copy_subpages": "on",
            "publish_copies": "on",
        },
    )
    assert Page.objects.count() == before


def test_copy_of_a_form_lets_a_form_builder(hall):
    before = ApplicationFormPage.objects.count()
    response = client_for(hall.builder).post(
        admin_url("copy", hall.form.pk),
        {
            "new_title": "副本",
            "new_slug": "copy-of-it",
            "new_parent_page": hall.other_guide.pk,
        },
    )
    assert response.status_code == 302
    assert ApplicationFormPage.objects.count() == before + 1


def test_lock_refuses_a_moderator(hall):
    client_for(hall.moderator).post(admin_url("lock", hall.form.pk))
    assert not ApplicationFormPage.objects.get(pk=hall.form.pk).locked
    client_for(hall.builder).post(admin_url("lock", hall.form.pk))
    assert ApplicationFormPage.objects.get(pk=hall.form.pk).locked


def test_unscheduling_a_revision_refuses_a_moderator(hall):
    page = ApplicationFormPage.objects.get(pk=hall.form.pk)
    page.title = "定时发布的新版"
    page.go_live_at = timezone.now() + datetime.timedelta(days=3)
    revision = page.save_revision(user=hall.builder)
    revision.publish(user=hall.builder)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    url = admin_url("revisions_unschedule", page.pk, revision.pk)

    client_for(hall.moderator).post(url)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None

    client_for(hall.builder).post(url)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None


def test_reverting_to_a_revision_refuses_a_moderator(hall):
    first = hall.form.latest_revision
    client = client_for(hall.moderator)
    response = client.get(admin_url("revisions_revert", hall.form.pk, first.pk))
    assert response.status_code in (302, 403)


# --- moderation workflow ---


def submit_form_change(hall) -> TaskState:
    """A form builder without the publish right submits a change of the form to
    the module's moderation workflow."""
    author = with_build_right(make_staff(hall.module.department))
    page = ApplicationFormPage.objects.get(pk=hall.form.pk)
    page.title = "审核中的新版申请表"
    page.save_revision(user=author)
    page.get_workflow().start(page, author)
    return page.current_workflow_task_state


def test_approving_a_form_in_the_workflow_refuses_a_moderator(hall):
    task_state = submit_form_change(hall)
    url = admin_url("workflow_action", hall.form.pk, "approve", task_state.pk)
    response = client_for(hall.moderator).post(url, {"comment": ""})
    assert response.status_code in (302, 403)
    assert fresh(hall.form).title == hall.form.title
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_approving_a_form_in_the_workflow_lets_a_form_builder(hall):
    task_state = submit_form_change(hall)
    url = admin_url("workflow_action", hall.form.pk, "approve", task_state.pk)
    client_for(hall.builder).post(url, {"comment": ""})
    assert fresh(hall.form).title == "审核中的新版申请表"


# --- the rights, as a matrix ---

ACTIONS = (
    "edit",
    "publish",
    "unpublish",
    "delete",
    "move",
    "copy",
    "set_view_restrictions",
    "lock",
)
ON_HOLDER_REFUSED = {"unpublish", "delete", "move", "copy", "set_view_restrictions"}


def role(name: str, hall: Hall):
    department = hall.module.department
    if name == "editor":
        return make_staff(department)
    if name == "moderator":
        return hall.moderator
    if name == "builder-editor":
        return with_build_right(make_staff(department))
    if name == "builder-moderator":
        return hall.builder
    if name == "other-moderator":
        return make_staff(make_department(), moderator=True)
    if name == "talent":
        return make_user()
    return make_superuser()


def expected(name: str, target: str, action: str) -> bool:
    """What Wagtail's own page rights give, narrowed by the builder's right."""
    if name in ("other-moderator", "talent"):
        return False  # nothing in another module, nothing at all for the public
    if name == "superuser":
        return True
    builds = name.startswith("builder")
    publishes = name.endswith("moderator")
    by_page_rights = {
        "edit": True,
        "copy": True,
        "lock": True,
        "publish": publishes,
        "unpublish": publishes,
        "delete": publishes,
        "move": publishes,
        "set_view_restrictions": publishes,
    }[action]
    if target == "form" and not builds:
        return False
    if target == "guide" and not builds and action in ON_HOLDER_REFUSED:
        return False
    if target == "guide" and action == "delete":
        return False  # a page with children needs bulk_delete, which no unit has
    return by_page_rights


@pytest.mark.parametrize(
    "name",
    [
        "editor",
        "moderator",
        "builder-editor",
        "builder-moderator",
        "other-moderator",
        "talent",
        "superuser",
    ],
)
def test_rights_matrix(hall, name):
    user = role(name, hall)
    for target in ("form", "guide", "other_guide"):
        page = Page.objects.get(pk=getattr(hall, target).pk)
        tester = page.permissions_for_user(user)
        for action in ACTIONS:
            check = getattr(tester, f"can_{action}")
            want = expected(name, target, action)
            assert check() is want, (name, target, action)


def test_requesting_changes_to_a_form_refuses_a_moderator(hall):
    task_state = submit_form_change(hall)
    url = admin_url("workflow_action", hall.form.pk, "reject", task_state.pk)
    response = client_for(hall.moderator).post(url, {"comment": "改一下"})
    assert response.status_code in (302, 403)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_requesting_changes_to_a_form_lets_a_form_builder(hall):
    task_state = submit_form_change(hall)
    url = admin_url("workflow_action", hall.form.pk, "reject", task_state.pk)
    client_for(hall.builder).post(url, {"comment": "改一下"})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED


def test_the_departments_moderator_still_reviews_other_pages(hall):
    """The workflow guard is about forms: a guide's change goes through."""
    editor = make_staff(hall.module.department)
    page = Page.objects.get(pk=hall.other_guide.pk).specific
    page.title = "修订后的办事指南"
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    task_state = page.current_workflow_task_state
    url = admin_url("workflow_action", page.pk, "reject", task_state.pk)
    client_for(hall.moderator).post(url, {"comment": "改一下"})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
