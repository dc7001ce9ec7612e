"""Staff accounts in the Wagtail admin: made with our fields, reset by the public,
rate-limited form (docs/security.md B4, D5)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cms.accounts.models import User
from tests.factories import PASSWORD, make_department, make_district, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Ny4$kTr8@wQz"
PUBLIC_RESET_URL = "/accounts/password/reset/"
LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/\S+/\S+/)")


@pytest.fixture
def admin_client(db):
    superuser = make_user(kind=User.Kind.STAFF, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    return client


def new_staff_data(**overrides) -> dict:
    data = {
        "username": "zhangwei",
        "email": "zhang.wei@example.gov.cn",
        "real_name": "张伟",
        "mobile": "13900001234",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def test_the_add_user_url_is_wagtails_own():
    assert reverse("wagtailusers_users:add") == "/admin/users/new/"


def test_a_superuser_creates_a_staff_member_of_a_department(admin_client):
    department = make_department()
    district = make_district()
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        new_staff_data(department=department.pk, district=district.pk, kind="staff"),
    )
    assert response.status_code == 302, response.context["form"].errors
    created = User.objects.get(username="zhangwei")
    assert created.kind == User.Kind.STAFF
    assert created.department == department
    assert created.district == district
    assert created.real_name == "张伟"
    assert created.mobile == "+8613900001234"
    assert created.check_password(NEW_PASSWORD)


def test_the_add_form_offers_staff_as_the_kind(admin_client):
    response = admin_client.get(reverse("wagtailusers_users:add"))
    form = response.context["form"]
    assert form["kind"].value() == User.Kind.STAFF
    assert {"real_name", "mobile", "department", "district"} <= set(form.fields)
    assert 'name="department"' in response.content.decode()


def test_an_account_without_a_mobile_number_is_stored_without_one(admin_client):
    response = admin_client.post(
        reverse("wagtailusers_users:add"), new_staff_data(mobile="", kind="staff")
    )
    assert response.status_code == 302
    assert User.objects.get(username="zhangwei").mobile is None


def test_a_malformed_mobile_number_is_refused(admin_client):
    response = admin_client.post(
        reverse("wagtailusers_users:add"), new_staff_data(mobile="12345", kind="staff")
    )
    assert response.status_code == 200
    assert "mobile" in response.context["form"].errors
    assert not User.objects.filter(username="zhangwei").exists()


def test_a_superuser_moves_staff_to_another_department(admin_client):
    staff = make_user(kind=User.Kind.STAFF, department=make_department())
    target = make_department()
    url = reverse("wagtailusers_users:edit", args=[staff.pk])
    form = admin_client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and name not in {"groups", "password1", "password2"}
    }
    data.update(department=target.pk, is_active="on", mobile=staff.mobile or "")
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data.pop("is_superuser", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    staff.refresh_from_db()
    assert staff.department == target


def test_nobody_changes_their_own_kind_or_department(admin_client):
    me = User.objects.get(is_superuser=True)
    response = admin_client.get(reverse("wagtailusers_users:edit", args=[me.pk]))
    assert response.status_code == 200
    assert not {"kind", "department", "district"} & set(response.context["form"].fields)


def test_wagtails_unlimited_password_reset_is_switched_off(client):
    assert client.get("/admin/password_reset/").status_code == 404
    login_page = client.get("/admin/login/")
    assert login_page.status_code == 200
    assert "/admin/password_reset/" not in login_page.content.decode()


def test_the_admin_login_points_staff_to_the_rate_limited_reset(client):
    login_page = client.get("/admin/login/").content.decode()
    assert f'href="{PUBLIC_RESET_URL}"' in login_page


def test_staff_reset_their_password_with_the_public_form(client):
    staff = make_user(kind=User.Kind.STAFF, is_staff=True, department=make_department())
    response = client.post(PUBLIC_RESET_URL, {"email": staff.email})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[staff.email]]
    link = LINK.search(mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    assert not staff.check_password(PASSWORD)
