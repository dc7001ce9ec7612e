"""Password rules (docs/security.md B1): MLPS complexity, context words, staff expiry."""

import datetime

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CHANGE_URL = "/accounts/password/change/"


def refusal_codes(password: str, user=None) -> set[str]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return {item.code for item in error.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "expected_code"),
    [
        ("password123", "password_too_common"),
        ("abcdefghijkl", "password_too_simple"),
        ("RenCai@Portal2026", "password_context_word"),
        ("Quanzhou#2026x", "password_context_word"),
        ("Short1!a", "password_too_short"),
        ("1234567890123", "password_entirely_numeric"),
        ("Aa1!" * 33, "password_too_long"),
    ],
)
def test_weak_passwords_are_refused(password, expected_code):
    assert expected_code in refusal_codes(password)


@pytest.mark.parametrize(
    "password",
    [
        "Zq7!mWx2#pLv",  # 12 characters, four classes
        "Vb3#kLm9$qWe" * 5 + "Tz4!",  # 64 characters
        "lowercase and 3 digits 123",  # three classes: lower, digit, symbol (space)
    ],
)
def test_strong_passwords_are_accepted(password):
    assert refusal_codes(password) == set()


def test_a_password_like_the_users_own_details_is_refused():
    user = User(username="13912345678", real_name="", email="xiaoming.lin@example.com")
    assert "password_too_similar" in refusal_codes("Xiaoming.Lin@1", user)


def expired_staff():
    user = make_user(kind=User.Kind.STAFF, is_staff=True, is_superuser=True)
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=91)
    )
    return user


@pytest.mark.parametrize("url", ["/", "/accounts/profile/", "/admin/", "/admin/pages/"])
def test_staff_with_an_old_password_are_sent_to_change_it(client, url):
    client.force_login(expired_staff())
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGE_URL}?expired=1"


def test_changing_the_old_password_reopens_the_hall(client):
    staff = expired_staff()
    client.force_login(staff)
    assert client.get(f"{CHANGE_URL}?expired=1").status_code == 200
    response = client.post(
        CHANGE_URL,
        {
            "old_password": "Xq7!mPz2#vLw9",
            "new_password1": "Ny4$kTr8@wQz",
            "new_password2": "Ny4$kTr8@wQz",
        },
    )
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200


def test_staff_with_a_recent_password_are_let_through(client):
    staff = make_user(kind=User.Kind.STAFF, is_staff=True)
    client.force_login(staff)
    assert client.get("/accounts/profile/").status_code == 200


def test_talents_passwords_do_not_expire(client, talent):
    User.objects.filter(pk=talent.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=400)
    )
    client.force_login(talent)
    assert client.get("/accounts/profile/").status_code == 200


def test_password_change_needs_the_current_password(client, talent):
    client.force_login(talent)
    response = client.post(
        CHANGE_URL,
        {
            "old_password": "not-my-password",
            "new_password1": "Ny4$kTr8@wQz",
            "new_password2": "Ny4$kTr8@wQz",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("old_password", "password_incorrect")
    talent.refresh_from_db()
    assert not talent.check_password("Ny4$kTr8@wQz")


def test_group_editors_without_is_staff_must_change_an_old_password(client):
    """Reaching the admin through a group's rights is enough to be subject to expiry."""
    from tests.factories import make_department

    editor = make_user(groups=[make_department().editors_group], is_staff=False)
    assert editor.has_perm("wagtailadmin.access_admin")
    User.objects.filter(pk=editor.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=91)
    )
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGE_URL}?expired=1"


def test_staff_kind_without_admin_access_is_judged_like_everyone_else(client):
    """Kind and is_staff alone open no admin page, so they do not decide expiry."""
    nominal = make_user(kind=User.Kind.STAFF, is_staff=True)
    User.objects.filter(pk=nominal.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=91)
    )
    client.force_login(nominal)
    assert client.get("/accounts/profile/").status_code == 200
