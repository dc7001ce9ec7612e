"""The data migration that moves stored mobile numbers to E.164, and the
accounts it moved signing in as before."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from cms.accounts.models import User

BEFORE = ("accounts", "0003_verificationcode")
AFTER = ("accounts", "0004_foreign16_international_mobiles")
PASSWORD = "Lz8#qWm4!pRt"


def migrate(target) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor


@pytest.fixture
def before_migration(transactional_db, django_db_serialized_rollback):
    # serialized_rollback: the flush after a transactional test must not replay
    # post_migrate (tests/conftest.py says why).
    executor = migrate(BEFORE)
    yield executor.loader.project_state([BEFORE]).apps
    migrate(executor.loader.graph.leaf_nodes("accounts")[0])


def test_stored_mainland_mobiles_become_e164_and_still_sign_in(before_migration):
    OldUser = before_migration.get_model("accounts", "User")
    from django.contrib.auth.hashers import make_password

    old = OldUser.objects.create(
        username="13800138000", mobile="13800138000", password=make_password(PASSWORD)
    )
    staff = OldUser.objects.create(username="old-staff", mobile="13912345678")
    nobody = OldUser.objects.create(username="no-mobile", mobile=None)

    migrate(AFTER)

    assert User.objects.get(pk=old.pk).mobile == "+8613800138000"
    assert User.objects.get(pk=staff.pk).mobile == "+8613912345678"
    assert User.objects.get(pk=nobody.pk).mobile is None
    assert User.objects.get(pk=old.pk).mobile_verified, "proved by SMS before"
    for typed in ("13800138000", "+86 138 0013 8000", "138-0013-8000"):
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": typed, "password": PASSWORD}
        )
        assert response.status_code == 302, typed
        assert client.session["_auth_user_id"] == str(old.pk)


def test_going_back_restores_eleven_digits_and_refuses_to_drop_foreign_ones(
    before_migration,
):
    migrate(AFTER)
    mainland = User.objects.create(username="a", mobile="13800138000")
    assert mainland.mobile == "+8613800138000"
    migrate(BEFORE)
    OldUser = (
        MigrationExecutor(connection).loader.project_state([BEFORE]).apps
    ).get_model("accounts", "User")
    assert OldUser.objects.get(pk=mainland.pk).mobile == "13800138000"
    migrate(AFTER)
    User.objects.create(username="b", mobile="+852 6123 4567")
    with pytest.raises(RuntimeError, match="outside the mainland"):
        migrate(BEFORE)
