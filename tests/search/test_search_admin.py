"""Admin: the dictionary and synonym lists, and "Search the hall"."""

import pytest
from django.urls import reverse

from search.analysis import LEXICON_NOTE
from search.models import SearchTerm, SynonymGroup
from tests.factories import make_policy, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = make_user(is_staff=True, is_superuser=True, kind="staff")
    client.force_login(admin)
    return client


def test_admins_add_a_dictionary_term_and_a_synonym_group(admin_client):
    response = admin_client.post(
        reverse("searchterm:add"), {"term": "刺桐英才", "frequency": 5, "tag": ""}
    )
    assert response.status_code == 302
    assert SearchTerm.objects.filter(term="刺桐英才").exists()
    response = admin_client.post(
        reverse("synonymgroup:add"), {"terms": "人才驿站/人才之家", "is_active": "on"}
    )
    assert response.status_code == 302
    # Beside the built-in lexicon's groups (migration 0008).
    added = SynonymGroup.objects.exclude(note=LEXICON_NOTE)
    assert added.get().terms == "人才驿站, 人才之家"
    assert admin_client.get(reverse("searchterm:index")).status_code == 200
    assert admin_client.get(reverse("synonymgroup:index")).status_code == 200


def test_a_synonym_group_needs_two_words(admin_client):
    response = admin_client.post(reverse("synonymgroup:add"), {"terms": "落户"})
    assert response.status_code == 200
    assert not SynonymGroup.objects.exclude(note=LEXICON_NOTE).exists()


def test_search_the_hall_uses_the_same_interface(admin_client, reindex):
    make_policy(title="港湾计划实施办法")
    reindex()
    response = admin_client.get(reverse("hall_search:index"), {"q": "港湾计划"})
    assert response.status_code == 200
    assert "港湾计划实施办法" in response.content.decode()


def test_editors_without_rights_cannot_change_the_dictionary(client):
    from django.contrib.auth.models import Permission

    staff = make_user(is_staff=True, kind="staff")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    response = client.get(reverse("searchterm:index"))
    assert response.status_code in (302, 403)
    assert not SearchTerm.objects.exists()
