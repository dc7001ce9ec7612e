"""The Wagtail admin of the hall's records: reachable, in Chinese by default."""

import pytest
from django.urls import reverse

from cms.accounts.models import User
from tests.factories import (
    make_department,
    make_employer,
    make_guide,
    make_service_item,
    make_user,
)

pytestmark = pytest.mark.django_db

ADMIN_LISTS = [
    ("departments_department_modeladmin_index", "部门"),
    ("departments_district_modeladmin_index", "县"),
    ("accounts_employer_modeladmin_index", "用人单位"),
    ("services_serviceitem_modeladmin_index", "服务事项"),
    ("wagtailsnippets_core_servicecategory:list", "服务类别"),
    ("wagtailsnippets_core_talenttier:list", "人才层次"),
]


@pytest.fixture
def admin_client(client):
    client.force_login(
        make_user(kind=User.Kind.STAFF, is_staff=True, is_superuser=True)
    )
    return client


@pytest.mark.parametrize("url_name,chinese_label", ADMIN_LISTS)
def test_record_lists_answer_in_chinese(admin_client, url_name, chinese_label):
    department = make_department(name="泉州市科学技术局")
    make_employer(name="泉州某某科技有限公司")
    make_service_item(
        guide=make_guide(parent=department.module_page), department=department
    )
    response = admin_client.get(reverse(url_name))
    assert response.status_code == 200
    assert chinese_label in response.content.decode()


def test_hall_settings_are_editable(admin_client):
    response = admin_client.get(
        reverse("wagtailsettings:edit", args=["core", "hallsettings"]), follow=True
    )
    assert response.status_code == 200
    assert "服务热线" in response.content.decode()


def test_staff_without_admin_rights_cannot_open_record_lists(client):
    client.force_login(make_user(kind=User.Kind.STAFF, is_staff=True))
    response = client.get(reverse("departments_department_modeladmin_index"))
    assert response.status_code in (302, 403)


def test_creating_a_department_in_the_admin_provisions_its_module(admin_client):
    from cms.departments.models import Department

    response = admin_client.post(
        reverse("departments_department_modeladmin_create"),
        {"name": "泉州市文化广电和旅游局", "short_name": "文旅局", "sort_order": 0},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    department = Department.objects.get(name="泉州市文化广电和旅游局")
    assert department.module_page.live
    assert department.editors_group.name == "泉州市文化广电和旅游局 · 编辑"
    assert department.moderators_group.name == "泉州市文化广电和旅游局 · 审核发布"
