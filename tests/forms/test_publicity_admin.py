"""Publicity in the admin, and the whole way from approval through publicity to the talent database."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from freezegun import freeze_time

import forms.talents.profiles  # noqa: F401 (the profile receiver; wired in apps.ready)
from forms.casework.actions import act
from forms.casework.roles import PUBLICITY
from forms.models import (
    ApplicationStatus,
    Objection,
    ObjectionStatus,
    PublicityBatch,
    TalentProfile,
)
from forms.publicity import batches as publicity
from tests.factories import (
    make_department,
    make_editor,
    make_user,
)
from tests.forms.casework_helpers import form_with_steps, submit_as

# Until cms/urls.py includes forms.publicity.urls at /publicity/, this module is
# its own URLconf: the public pages first, then the site's.
from tests.forms.test_publicity import (  # noqa: F401 (fixtures)
    DEFINITION,
    ID_LIKE,
    MOBILE_LIKE,
    MONDAY,
    TIER,
    WORKFLOW,
    _sequence,
    close,
    field,
    form,
    in_publicity,
    objection_data,
    pii_findings,
    published,
    resident_id,
    tier,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.forms.test_publicity")]


# --- the admin ---


def staff_with(*codenames):
    user = make_user(kind="staff")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="applications", codename__in=codenames
        ),
        Permission.objects.get(codename="access_admin"),
    )
    return user


@freeze_time(MONDAY)
def test_staff_build_and_publish_a_batch_in_the_admin(client, form):
    first, second = in_publicity(form), in_publicity(form)
    client.force_login(
        staff_with("add_publicitybatch", "change_publicitybatch", "view_publicitybatch")
    )
    response = client.post(
        reverse("applications_publicitybatch_modeladmin_create"),
        {
            "title": "2026年第三批高层次人才认定公示",
            "intro": "",
            "starts_on": "2026-03-02",
            "working_days": "",
            "contact_phone": "0595-22222222",
            "contact_address": "",
            "applications": [first.pk, second.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    batch = PublicityBatch.objects.get()
    assert set(batch.applications.all()) == {first, second}
    assert batch.working_days == 5 and batch.ends_on == datetime.date(2026, 3, 6)
    edit = reverse("applications_publicitybatch_modeladmin_edit", args=[batch.pk])
    form_page = client.get(edit)
    assert form_page.status_code == 200
    assert first.receipt_number in form_page.content.decode()  # its own, still
    url = reverse("publicity_admin:publish", args=[batch.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    batch.refresh_from_db()
    assert batch.published_at is not None
    assert client.get(edit).status_code in (302, 403)  # published: frozen


@freeze_time(MONDAY)
def test_publishing_and_deciding_need_their_permissions(client, form):
    application = in_publicity(form)
    batch = publicity.create_batch("公示", [application])
    client.force_login(staff_with("view_publicitybatch", "view_objection"))
    # Wagtail's admin answers PermissionDenied by a redirect with a message.
    refused = client.post(reverse("publicity_admin:publish", args=[batch.pk]))
    assert refused.status_code in (302, 403)
    assert PublicityBatch.objects.get(pk=batch.pk).published_at is None
    publicity.publish(batch)
    client.post(f"/publicity/{batch.pk}/", objection_data(batch, application))
    objection = Objection.objects.get()
    url = reverse("publicity_admin:handle_objection", args=[objection.pk])
    decision = {"decision": "uphold", "resolution": "属实"}
    assert client.post(url, decision).status_code in (302, 403)
    assert Objection.objects.get().status == ObjectionStatus.OPEN
    client.force_login(staff_with("view_objection", "change_objection"))
    assert client.get(url).status_code == 200
    assert client.post(url, decision).status_code == 302
    assert Objection.objects.get().status == ObjectionStatus.UPHELD
    assert client.get(url).status_code in (302, 403)  # decided: nothing to do
    talent = make_user(kind="talent")
    client.force_login(talent)
    assert client.get(
        reverse("applications_objection_modeladmin_index")
    ).status_code in (302, 403)


@freeze_time(MONDAY)
def test_the_publicity_role_manages_batches_and_objections(client, form):
    """Publicity is a role (公示) that administrators give, not a superuser's
    job; a department's content editor gets none of it."""
    application = in_publicity(form)
    editor = make_editor(make_department())  # admin access, content rights
    client.force_login(editor)
    index = reverse("applications_publicitybatch_modeladmin_index")
    assert client.get(index).status_code in (302, 403)

    clerk = make_user(kind="staff", groups=[Group.objects.get(name=PUBLICITY)])
    client.force_login(clerk)
    assert client.get(index).status_code == 200
    response = client.post(
        reverse("applications_publicitybatch_modeladmin_create"),
        {
            "title": "2026年第四批高层次人才认定公示",
            "intro": "",
            "starts_on": "2026-03-02",
            "working_days": "",
            "contact_phone": "0595-22222222",
            "contact_address": "",
            "applications": [application.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = PublicityBatch.objects.get()
    assert (
        client.post(reverse("publicity_admin:publish", args=[batch.pk])).status_code
        == 302
    )
    assert PublicityBatch.objects.get(pk=batch.pk).published_at is not None
    client.post(f"/publicity/{batch.pk}/", objection_data(batch, application))
    objection = Objection.objects.get()
    url = reverse("publicity_admin:handle_objection", args=[objection.pk])
    client.force_login(clerk)
    decided = client.post(url, {"decision": "dismiss", "resolution": "经核实无误"})
    assert decided.status_code == 302
    assert Objection.objects.get().status == ObjectionStatus.DISMISSED
    # The role sees publicity, not the cases themselves.
    case = reverse("applications_cases:case", args=[application.uuid])
    assert client.get(case).status_code == 404


@freeze_time(MONDAY)
def test_admin_lists_do_not_show_full_numbers(client, form):
    application = in_publicity(form)
    batch = published([application])
    client.post(f"/publicity/{batch.pk}/", objection_data(batch, application))
    client.force_login(make_user(kind="staff", is_superuser=True))
    for url in (
        reverse("applications_objection_modeladmin_index"),
        reverse("applications_publicitybatch_modeladmin_index"),
        reverse("applications_publicitybatch_modeladmin_inspect", args=[batch.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert pii_findings(response.content.decode()) == [], url


# --- the whole way, through casework ---


@freeze_time(MONDAY)
def test_approval_publicity_completion_and_profile(
    client, tier, django_capture_on_commit_callbacks
):
    form = form_with_steps(("approve", 3, {}), ("publicity", 5, {}))
    application = submit_as(client, form, make_user(real_name="张三"))
    approver = make_user(kind="staff", is_superuser=True)
    application = act(application, approver, "approve", comment="符合条件")
    assert application.status == ApplicationStatus.PUBLICITY
    batch = published(publicity.eligible_applications())
    assert batch.entries.get().application == application
    with (
        freeze_time("2026-03-10 00:30:00+08:00"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        close()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COMPLETED
    profile = TalentProfile.objects.get()
    assert profile.id_digest == application.id_digest
    assert profile.source_application == application


@freeze_time(MONDAY)
def test_the_demo_batch_is_written_once(client, form):
    waiting = [in_publicity(form) for _ in range(3)]
    batch = publicity.write_demo_publicity()
    assert set(batch.applications.all()) == set(waiting)
    assert batch.published_at is not None
    assert publicity.write_demo_publicity() == batch
    assert PublicityBatch.objects.count() == 1
    assert pii_findings(client.get(f"/publicity/{batch.pk}/").content.decode()) == []
