"""ID numbers are looked up by a keyed hash of the number as the ID field stores
it, so any spelling a person types (full-width digits, spaces, lower case) finds
the application."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cms.core import crypto
from tests.cms.hall_admin import client_for, make_staff
from tests.factories import make_department, make_guide
from tests.forms.admin_helpers import (
    ID_B,
    make_form,
    sample_inputs,
    submit_application,
)

pytestmark = pytest.mark.django_db


def full_width(text: str) -> str:
    return "".join(chr(ord(char) + 0xFEE0) for char in text)


def test_the_blind_index_is_the_same_for_every_spelling_of_a_number():
    spellings = [ID_B, ID_B.lower(), f" {ID_B[:6]} {ID_B[6:]} ", full_width(ID_B)]
    assert {crypto.blind_index(spelling) for spelling in spellings} == {
        crypto.blind_index(ID_B)
    }
    assert crypto.blind_index(ID_B) != crypto.blind_index(ID_B[:-1] + "0")


def test_a_full_width_id_typed_into_find_by_id_finds_the_application():
    form = make_form(parent=make_guide(parent=make_department().module_page))
    match = submit_application(form, inputs=sample_inputs(id_number=ID_B))
    other = submit_application(form)
    reviewer = make_staff(make_department())
    reviewer.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="applications", codename="view_application"
        )
    )
    response = client_for(reviewer).post(
        reverse("applications_admin:find_by_id"),
        {"id_number": full_width(ID_B)},
        follow=True,
    )
    html = response.content.decode()
    assert match.receipt_number in html
    assert other.receipt_number not in html
