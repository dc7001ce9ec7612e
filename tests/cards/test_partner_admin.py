"""Partner organisations in the admin: the rights matrix, the counts shown."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from forms.models import Partner, VerificationCount
from tests.factories import make_department, make_editor, make_user

pytestmark = pytest.mark.django_db

INDEX = "applications_partner_modeladmin_index"
CREATE = "applications_partner_modeladmin_create"
EDIT = "applications_partner_modeladmin_edit"
DELETE = "applications_partner_modeladmin_delete"


def partner_group() -> Group:
    group = Group.objects.create(name="合作单位管理")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="applications", codename__endswith="_partner"
        ),
    )
    return group


def users() -> dict:
    housing = make_department(name="泉州市住房和城乡建设局")
    roles = {
        "superuser": make_user(kind="staff", is_superuser=True, is_staff=True),
        "partner editor": make_user(kind="staff", groups=[partner_group()]),
        "content editor": make_editor(housing),
        "talent": make_user(),
        "employer": make_user(kind="employer"),
    }
    for name in ("受理", "审核", "核准", "公示", "统计"):
        roles[name] = make_user(kind="staff", groups=[Group.objects.get(name=name)])
    return roles


MAY_EDIT = {"superuser", "partner editor"}


def _form(code: str) -> dict:
    return {
        "name": "泉州市第一医院",
        "kind": "hospital",
        "code": code,
        "benefits": "绿色通道",
        "address": "",
        "phone": "",
        "active": "on",
        "sort_order": "0",
    }


def test_rights_matrix(client):
    partner = Partner.objects.create(name="清源山疗养院", code="spa", benefits="疗养")
    for role, user in users().items():
        client.force_login(user)
        allowed = role in MAY_EDIT
        for url in (
            reverse(INDEX),
            reverse(CREATE),
            reverse(EDIT, args=[partner.pk]),
            reverse(DELETE, args=[partner.pk]),
        ):
            status = client.get(url).status_code
            assert (status == 200) is allowed, (role, url, status)
        code = f"h-{user.pk}"
        client.post(reverse(CREATE), _form(code))
        assert Partner.objects.filter(code=code).exists() is allowed, role
        client.post(reverse(EDIT, args=[partner.pk]), {**_form("spa"), "name": role})
        partner.refresh_from_db()
        assert (partner.name == role) is allowed, role
    client.logout()
    assert client.get(reverse(INDEX)).status_code == 302


def test_the_list_shows_the_counts_and_the_partner_link(client):
    partner = Partner.objects.create(name="清源山疗养院", code="spa", benefits="疗养")
    VerificationCount.add(partner, "valid")
    VerificationCount.add(partner, "valid")
    VerificationCount.add(partner, "revoked")
    VerificationCount.add(None, "valid")
    client.force_login(make_user(kind="staff", is_superuser=True, is_staff=True))
    response = client.get(reverse(INDEX))
    text = response.content.decode()
    assert "查验次数（近30天）" in text
    assert reverse("cards:partner", args=["spa"]) in text
    row = text[text.index("清源山疗养院") :]
    row = row[: row.index("</tr>")]
    assert ">3<" in row.replace(" ", "").replace("\n", "")
    assert ">2<" in row.replace(" ", "").replace("\n", "")


def test_a_duplicate_code_is_refused_with_a_message(client):
    Partner.objects.create(name="清源山疗养院", code="spa", benefits="疗养")
    client.force_login(make_user(kind="staff", is_superuser=True, is_staff=True))
    response = client.post(reverse(CREATE), _form("spa"))
    assert response.status_code == 200
    assert Partner.objects.filter(code="spa").count() == 1
    response = client.post(reverse(CREATE), {**_form("bad code!"), "benefits": ""})
    assert response.status_code == 200
    assert not Partner.objects.filter(name="泉州市第一医院").exists()
