"""Case rights come from casework roles, never from belonging to a unit.

A department's content editor and moderator and a form builder work in the
same department as its handler, yet get 404 on every case path; the case
officer can only be someone who may handle the case; units' roles are made
with the units; the upgrade migration gives roles to the staff who did
casework and to nobody else.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from guardian.shortcuts import assign_perm

from cms.departments.models import Department, District
from forms.casework import actions, workflow
from forms.casework.action_forms import AssignForm
from forms.casework.rights import (
    CASE_PERMISSIONS,
    officer_candidates,
    visible_applications,
)
from forms.casework.roles import CITY_ROLES, PUBLICITY, REVIEWERS, WINDOW_CLERKS
from forms.models import Application, CaseEvent
from tests.cms.hall_admin import client_for
from tests.factories import make_department, make_district
from tests.forms.admin_helpers import ID_A
from tests.forms.test_case_admin import admin_staff, build_world

pytestmark = pytest.mark.django_db

CASE_ACTIONS = (
    "accept",
    "accept_with_tolerance",
    "return",
    "pass",
    "opinion",
    "approve",
    "reject",
    "assign",
    "note",
)
OUTSIDERS = ("content_editor", "content_moderator", "form_builder")


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_content_staff_and_form_builders_get_404_on_every_case_path(world, role):
    """They share the handler's department; the handler sees the dispatched
    case, they see nothing at all."""
    user = getattr(world, role)
    assert visible_applications(world.handler).filter(pk=world.cases["department"].pk)
    assert not visible_applications(user).exists()
    client = client_for(user)
    for kind, case in world.cases.items():
        where = (role, kind)
        case_url = reverse("applications_cases:case", args=[case.uuid])
        assert client.get(case_url).status_code == 404, where
        file_url = reverse("applications:file", args=[case.files.get().uuid])
        assert client.get(file_url).status_code == 404, where
        reveal_url = reverse("applications_cases:reveal", args=[case.uuid])
        assert client.post(reveal_url, {"reason": "核对"}).status_code == 404, where
        for action in CASE_ACTIONS:
            url = reverse("applications_cases:act", args=[case.uuid, action])
            data = {
                f"{action}-lock_version": str(case.lock_version),
                f"{action}-comment": "同意",
                f"{action}-agrees": "yes",
                f"{action}-officer": str(user.pk),
            }
            assert client.post(url, data).status_code == 404, (*where, action)
    assert not CaseEvent.objects.filter(actor=user).exists()
    for file_format in ("csv", "xlsx"):
        url = reverse("applications_admin:export", args=[world.form.pk, file_format])
        assert client.post(url).status_code == 404, (role, file_format)
    lookup = client.post(reverse("applications_admin:find_by_id"), {"id_number": ID_A})
    assert lookup.status_code == 404, role


def test_the_officer_is_chosen_among_staff_who_may_handle_the_case(world):
    w = world
    case = w.cases["department"]
    offered = set(AssignForm(application=case).fields["officer"].queryset)
    # The window's group handles a step of the case; the housing handlers
    # hold the case; the reviewer may change every case.
    assert {w.clerk, w.reviewer, w.handler, w.superuser} <= offered
    for outsider in (
        w.content_editor,
        w.content_moderator,
        w.form_builder,
        w.publicity,
        w.other_handler,
        w.other_prereviewer,
    ):
        assert outsider not in offered, outsider
    # The other department never received the case: its handler is not offered.
    assert w.other_handler not in set(officer_candidates(case))


def test_naming_an_outsider_officer_is_refused_on_the_server(world):
    w = world
    case = Application.objects.get(pk=w.cases["department"].pk)
    with pytest.raises(workflow.NotAllowed):
        actions.act(case, w.superuser, "assign", officer=w.content_editor)
    client = client_for(w.reviewer)
    url = reverse("applications_cases:act", args=[case.uuid, "assign"])
    response = client.post(
        url,
        {
            "assign-lock_version": str(case.lock_version),
            "assign-officer": str(w.content_editor.pk),
        },
    )
    assert response.status_code != 302 or (
        response["Location"] != reverse("applications_cases:case", args=[case.uuid])
    )
    bulk = client.post(
        reverse("applications_cases:bulk_assign"),
        {
            "officer": w.content_editor.pk,
            "case": f"{case.uuid}:{case.lock_version}",
        },
    )
    assert bulk.status_code == 302
    assert Application.objects.get(pk=case.pk).officer_id is None
    assert not visible_applications(w.content_editor).exists()
    # Someone who may handle it is accepted.
    actions.act(case, w.superuser, "assign", officer=w.handler)
    assert Application.objects.get(pk=case.pk).officer == w.handler


def test_joining_and_leaving_the_role_gives_and_takes_the_units_cases(world):
    w = world
    newcomer = admin_staff(department=w.housing)
    assert not visible_applications(newcomer).exists()
    newcomer.groups.add(w.housing.casework_group)
    seen = set(visible_applications(newcomer).values_list("pk", flat=True))
    assert seen == {w.cases["department"].pk, w.cases["approve"].pk}
    newcomer.groups.remove(w.housing.casework_group)
    assert not visible_applications(newcomer).exists()


def test_an_administrator_grants_the_role_in_the_user_admin(world):
    """Through Wagtail's own user editor: the department alone gives nothing,
    the 经办 role gives the department's cases."""
    w = world
    newcomer = admin_staff(department=w.housing, real_name="新经办")
    assert not visible_applications(newcomer).exists()
    client = client_for(w.superuser)
    url = reverse("wagtailusers_users:edit", args=[newcomer.pk])
    form = client.get(url).context["form"]
    assert w.housing.casework_group in form.fields["groups"].queryset
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields and name not in {"password1", "password2"}
    }
    data.pop("is_superuser", None)
    data.update(
        is_active="on",
        mobile=newcomer.mobile or "",
        groups=[g.pk for g in newcomer.groups.all()] + [w.housing.casework_group.pk],
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert set(visible_applications(newcomer)) == {
        w.cases["department"],
        w.cases["approve"],
    }
    assert workflow.may_handle_step(newcomer, w.cases["department"])


def test_every_unit_gets_its_casework_role_without_page_rights():
    department, district = make_department(name="泉州市测试局"), make_district()
    assert department.casework_group.name == "泉州市测试局 · 经办"
    assert district.casework_group.name == f"{district.name} · 初审"
    for group in (department.casework_group, district.casework_group):
        assert not group.page_permissions.exists()
        assert not group.collection_permissions.exists()
        assert set(group.permissions.values_list("codename", flat=True)) == {
            "access_admin"
        }


def test_the_city_roles_exist_with_their_permissions():
    for name, permissions in CITY_ROLES.items():
        group = Group.objects.get(name=name)
        held = {
            f"{app_label}.{codename}"
            for app_label, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert held == set(permissions), name
    publicity = set(
        Group.objects.get(name=PUBLICITY).permissions.values_list("codename", flat=True)
    )
    assert "view_application" not in publicity


# --- the upgrade ---


def _old_style_world():
    """What an installation looked like before: units without casework roles,
    case rights on the accounts of everyone in the unit."""
    w = build_world()
    for unit in (w.housing, w.other_department, w.district, w.elsewhere):
        group = unit.casework_group
        type(unit).objects.filter(pk=unit.pk).update(casework_group=None)
        group.delete()
    Group.objects.filter(name__in=CITY_ROLES).delete()
    w.handlers_group = Group.objects.create(name="职能部门经办")
    w.prereviewers_group = Group.objects.create(name="县区初审")
    w.handler.groups.add(w.handlers_group)
    w.prereviewer.groups.add(w.prereviewers_group)
    for user, kinds in (
        (w.handler, ("department", "approve")),
        (w.content_editor, ("department", "approve")),
        (w.content_moderator, ("department", "approve")),
        (w.form_builder, ("department", "approve")),
        (w.prereviewer, ("prereview", "department", "approve")),
    ):
        for kind in kinds:
            for permission in CASE_PERMISSIONS:
                assign_perm(permission, user, w.cases[kind])
    # An officer from another department holds rights on their own case.
    Application.objects.filter(pk=w.cases["accept"].pk).update(officer=w.other_handler)
    for permission in CASE_PERMISSIONS:
        assign_perm(permission, w.other_handler, w.cases["accept"])
    return w


def test_the_upgrade_gives_roles_to_casework_staff_only():
    w = _old_style_world()
    assert visible_applications(w.content_editor).exists()  # the old leak
    migration = importlib.import_module("forms.migrations.0006_casework_roles")
    migration.grant_casework_roles(apps, None)

    housing = Department.objects.get(pk=w.housing.pk)
    district = District.objects.get(pk=w.district.pk)
    assert housing.casework_group.name.endswith(" · 经办")
    assert district.casework_group.name.endswith(" · 初审")
    assert w.handler.groups.filter(pk=housing.casework_group_id).exists()
    assert w.prereviewer.groups.filter(pk=district.casework_group_id).exists()
    for outsider in (w.content_editor, w.content_moderator, w.form_builder):
        assert not outsider.groups.filter(
            pk__in=[housing.casework_group_id, district.casework_group_id]
        ).exists(), outsider
        assert not visible_applications(outsider).exists(), outsider
    # The units keep what reached them, through their roles.
    assert set(visible_applications(w.handler)) == {
        w.cases["department"],
        w.cases["approve"],
    }
    assert set(visible_applications(w.prereviewer)) == {
        w.cases["prereview"],
        w.cases["department"],
        w.cases["approve"],
    }
    # The officer keeps their case; their department does not gain it.
    assert set(visible_applications(w.other_handler)) == {w.cases["accept"]}
    colleague = admin_staff(
        Department.objects.get(pk=w.other_department.pk).casework_group
    )
    assert not visible_applications(colleague).exists()
    # The window's group handles acceptance steps: its members get 受理.
    assert w.clerk.groups.filter(name=WINDOW_CLERKS).exists()
    assert Group.objects.filter(name=REVIEWERS).exists()
    assert workflow.may_handle_step(w.handler, w.cases["department"])
    # Running it again changes nothing.
    migration.grant_casework_roles(apps, None)
    assert Group.objects.filter(name__endswith=" · 经办").count() == (
        Department.objects.count()
    )


def test_granting_again_adds_no_row_and_reaches_unit_and_officer(world):
    """Every action grants the case's holders again: the rows guardian reads
    are written once, for the unit's role and for the officer."""
    from guardian.models import GroupObjectPermission, UserObjectPermission

    from forms.casework.rights import grant_case_rights

    case = world.cases["department"]
    Application.objects.filter(pk=case.pk).update(officer=world.handler)
    case.refresh_from_db()

    def rows():
        by_group = GroupObjectPermission.objects.filter(object_pk=str(case.pk))
        by_user = UserObjectPermission.objects.filter(object_pk=str(case.pk))
        return (
            sorted(by_group.values_list("group_id", "permission__codename")),
            sorted(by_user.values_list("user_id", "permission__codename")),
        )

    grant_case_rights(case)
    first = rows()
    grant_case_rights(case)
    assert rows() == first
    groups, users = first
    codenames = sorted(name.split(".")[1] for name in CASE_PERMISSIONS)
    housing = world.housing.casework_group_id
    assert sorted(name for group, name in groups if group == housing) == codenames
    assert sorted(name for user, name in users if user == world.handler.pk) == codenames
