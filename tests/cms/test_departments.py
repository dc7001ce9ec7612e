"""Creating a department or district provisions its module, groups and workflow."""

import pytest
from wagtail.models import GroupPagePermission, Page, WorkflowPage

from cms.departments.models import DepartmentPage, DistrictPage
from cms.departments.permissions import provision_unit
from tests.factories import home_page, make_department, make_district

pytestmark = pytest.mark.django_db


def test_new_department_gets_a_published_module_under_home():
    department = make_department(name="泉州市住房和城乡建设局", short_name="住建局")
    page = department.module_page
    assert isinstance(page, DepartmentPage) and page.live
    assert page.get_parent().specific == home_page()
    assert page.slug == "zhujianju"


def test_department_groups_have_rights_on_their_module_only():
    department = make_department()
    page = department.module_page
    rows = GroupPagePermission.objects.filter(
        group__in=[department.editors_group, department.moderators_group]
    )
    assert {row.page_id for row in rows} == {page.pk}
    editor_codes = set(
        rows.filter(group=department.editors_group).values_list(
            "permission__codename", flat=True
        )
    )
    moderator_codes = set(
        rows.filter(group=department.moderators_group).values_list(
            "permission__codename", flat=True
        )
    )
    assert "publish_page" not in editor_codes and "add_page" in editor_codes
    assert "publish_page" in moderator_codes
    root_ids = {Page.get_first_root_node().pk, home_page().pk}
    assert not rows.filter(page_id__in=root_ids).exists()


def test_module_is_moderated_by_the_departments_moderators():
    department = make_department()
    workflow = WorkflowPage.objects.get(page=department.module_page).workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.all()) == [department.moderators_group]


def test_a_districts_department_lives_in_the_district_module():
    district = make_district(name="晋江市")
    department = make_department(
        name="晋江市人力资源和社会保障局", short_name="晋江人社局", district=district
    )
    assert isinstance(district.module_page, DistrictPage)
    assert department.module_page.get_parent().pk == district.module_page.pk


def test_provisioning_twice_changes_nothing():
    department = make_department()
    counts = (GroupPagePermission.objects.count(), Page.objects.count())
    provision_unit(department)
    assert (GroupPagePermission.objects.count(), Page.objects.count()) == counts


def unit_rights(unit) -> tuple:
    unit.refresh_from_db()
    workflow = WorkflowPage.objects.get(page=unit.module_page).workflow
    return (
        {unit.editors_group_id, unit.moderators_group_id},
        unit.collection_id,
        workflow.pk,
    )


def test_a_district_and_a_department_with_the_same_name_share_nothing():
    district = make_district(name="石狮市")
    department = make_department(name="石狮市")
    district_groups, district_collection, district_workflow = unit_rights(district)
    department_groups, department_collection, department_workflow = unit_rights(
        department
    )
    assert None not in district_groups | department_groups
    assert len(district_groups | department_groups) == 4
    assert district_collection and department_collection
    assert district_collection != department_collection
    assert district_workflow != department_workflow
    task = WorkflowPage.objects.get(page=department.module_page).workflow.tasks.get()
    assert list(task.specific.groups.all()) == [department.moderators_group]


def test_a_new_unit_with_a_renamed_units_old_name_gets_fresh_rights():
    old = make_department(name="泉州市人才工作办公室")
    old_groups, old_collection, old_workflow = unit_rights(old)
    old.name = "泉州市人才发展局"
    old.save()

    new = make_department(name="泉州市人才工作办公室")
    new_groups, new_collection, new_workflow = unit_rights(new)

    assert not old_groups & new_groups
    assert new_collection != old_collection
    assert new_workflow != old_workflow
    assert unit_rights(old) == (old_groups, old_collection, old_workflow)
    rights = GroupPagePermission.objects.filter(group_id__in=new_groups)
    assert {row.page_id for row in rights} == {new.module_page.pk}


def test_provisioning_keeps_the_unit_s_own_groups_after_a_rename():
    department = make_department(name="泉州市科学技术局")
    before = unit_rights(department)
    department.name = "泉州市科技局"
    department.save()
    provision_unit(department)
    assert unit_rights(department) == before
