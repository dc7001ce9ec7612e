"""Rules of the policy editor: successors that make sense, and a department
issuing policies in its own name only (docs/security.md D2)."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.test import TestCase

from cms.policies.models import PolicyPage, PolicyStatus
from tests.cms.hall_admin import (
    RENSHE,
    ZHUJIAN,
    admin_url,
    client_for,
    make_department_with_content,
    make_staff,
    make_superuser,
    policy_add_data,
    policy_edit_data,
)
from tests.factories import make_department, make_policy


def superseded_by_errors(page) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        page.full_clean()
    return raised.value.message_dict["superseded_by"]


@pytest.mark.django_db
class TestSuccessorRules:
    def test_policy_in_force_cannot_have_a_successor(self):
        department = make_department()
        successor = make_policy(issuing_department=department)
        page = make_policy(issuing_department=department)
        page.superseded_by = successor
        assert "不能设置替代文件" in superseded_by_errors(page)[0]

        page.status = PolicyStatus.AMENDED
        page.full_clean()

    def test_policy_cannot_supersede_itself(self):
        page = make_policy(status=PolicyStatus.REPEALED)
        page.superseded_by = page
        assert "不能替代其自身" in superseded_by_errors(page)[0]

    def test_two_policies_cannot_supersede_each_other(self):
        department = make_department()
        first = make_policy(issuing_department=department)
        second = make_policy(
            issuing_department=department,
            status=PolicyStatus.AMENDED,
            superseded_by=first,
        )
        first.status, first.superseded_by = PolicyStatus.AMENDED, second
        assert "互相替代" in superseded_by_errors(first)[0]

    def test_a_longer_cycle_is_refused_too(self):
        department = make_department()
        newest = make_policy(issuing_department=department)
        middle = make_policy(
            issuing_department=department,
            status=PolicyStatus.AMENDED,
            superseded_by=newest,
        )
        oldest = make_policy(
            issuing_department=department,
            status=PolicyStatus.REPEALED,
            superseded_by=middle,
        )
        newest.status, newest.superseded_by = PolicyStatus.REPEALED, oldest
        assert "互相替代" in superseded_by_errors(newest)[0]

    def test_repealed_or_amended_without_a_successor_is_allowed(self):
        """The successor may be a paper document that is not online."""
        for status in (PolicyStatus.AMENDED, PolicyStatus.REPEALED):
            page = make_policy(status=status)
            page.full_clean()
            assert page.superseded_by is None


def issuing_department_options(html: str) -> dict[str, bool]:
    """{department pk: selected} of the issuing department select."""
    select = BeautifulSoup(html, "html.parser").select_one(
        "select[name=issuing_department]"
    )
    return {
        option["value"]: option.has_attr("selected")
        for option in select.find_all("option")
        if option["value"]
    }


class IssuingDepartmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.zhujian = make_department_with_content("zjmarker", **ZHUJIAN)
        cls.renshe = make_department_with_content("rsmarker", **RENSHE)
        cls.editor = make_staff(cls.zhujian.department)

    def setUp(self):
        self.client = client_for(self.editor)
        self.add_url = admin_url(
            "add", "policies", "policypage", self.zhujian.module.pk
        )

    def test_add_form_offers_own_department_preselected_only(self):
        html = self.client.get(self.add_url).content.decode()
        assert issuing_department_options(html) == {
            str(self.zhujian.department.pk): True
        }

    def test_superuser_may_choose_any_department(self):
        html = client_for(make_superuser()).get(self.add_url).content.decode()
        options = issuing_department_options(html)
        assert {str(self.zhujian.department.pk), str(self.renshe.department.pk)} <= set(
            options
        )
        assert options[str(self.zhujian.department.pk)]

    def test_posting_another_departments_name_is_refused(self):
        data = policy_add_data(
            self.renshe.department, title="冒名政策", slug="impostor"
        )
        response = self.client.post(self.add_url, data)

        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "issuing_department" in errors
        assert not PolicyPage.objects.filter(slug="impostor").exists()

    def test_editing_a_joint_policy_issued_by_another_department_still_works(self):
        joint = make_policy(
            parent=self.zhujian.module,
            issuing_department=self.renshe.department,
            title="住建局人社局联合发布的人才安居政策",
        )
        edit_url = admin_url("edit", joint.pk)
        html = self.client.get(edit_url).content.decode()
        options = issuing_department_options(html)
        assert options[str(self.renshe.department.pk)]
        assert set(options) == {
            str(self.zhujian.department.pk),
            str(self.renshe.department.pk),
        }
        data = policy_edit_data(html, title="联合政策(修订)")
        response = self.client.post(edit_url, {**data.dict(), "action-save": "1"})

        assert response.status_code == 302
        revised = PolicyPage.objects.get(pk=joint.pk).get_latest_revision_as_object()
        assert revised.title == "联合政策(修订)"
        assert revised.issuing_department_id == self.renshe.department.pk

    def test_successor_error_is_shown_in_the_admin_form(self):
        page = self.zhujian.policy
        edit_url = admin_url("edit", page.pk)
        data = policy_edit_data(
            self.client.get(edit_url).content.decode(),
            superseded_by=str(self.zhujian.draft.pk),
        )
        response = self.client.post(edit_url, {**data.dict(), "action-save": "1"})

        assert response.status_code == 200
        assert "superseded_by" in response.context["form"].errors
        latest = PolicyPage.objects.get(pk=page.pk).get_latest_revision_as_object()
        assert latest.superseded_by_id is None
