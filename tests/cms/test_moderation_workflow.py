"""A department editor's change goes live only when that department's moderator
approves it (docs/security.md D2): editor submits, moderator publishes.

Everything runs through Wagtail's admin over HTTP: the edit view's submit button
and the workflow action URL behind the moderator's "Approve" button.
"""

from django.test import TestCase
from wagtail.models import Page, WorkflowState

from tests.cms.hall_admin import (
    RENSHE,
    ZHUJIAN,
    admin_url,
    assert_refused,
    client_for,
    make_department_with_content,
    make_staff,
    policy_edit_data,
)


class ModerationWorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.zhujian = make_department_with_content("zjmarker", **ZHUJIAN)
        cls.renshe = make_department_with_content("rsmarker", **RENSHE)
        cls.editor = make_staff(cls.zhujian.department)
        cls.moderator = make_staff(cls.zhujian.department, moderator=True)
        cls.other_moderator = make_staff(cls.renshe.department, moderator=True)

    def setUp(self):
        self.page = self.zhujian.policy
        self.original_title = self.page.title
        self.editor_client = client_for(self.editor)

    def post_edit(self, client, action: str, title: str):
        edit_url = admin_url("edit", self.page.pk)
        data = policy_edit_data(client.get(edit_url).content.decode(), title=title)
        return client.post(edit_url, {**data.dict(), action: "1"})

    def submit_change(self, title: str = "住建局安居办法(2026年修订)") -> WorkflowState:
        response = self.post_edit(self.editor_client, "action-submit", title)
        assert response.status_code == 302
        return WorkflowState.objects.get(object_id=str(self.page.pk))

    def approve_url(self, state: WorkflowState, action: str = "approve") -> str:
        return admin_url(
            "workflow_action", self.page.pk, action, state.current_task_state.pk
        )

    def live_page(self) -> Page:
        return Page.objects.get(pk=self.page.pk)

    def test_submitting_starts_the_departments_workflow_without_publishing(self):
        state = self.submit_change()

        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert state.workflow.name == f"{ZHUJIAN['name']} · 内容审核"
        assert state.requested_by == self.editor
        task = state.current_task_state.task.specific
        assert list(task.groups.all()) == [self.zhujian.department.moderators_group]
        live = self.live_page()
        assert live.live and live.title == self.original_title
        assert (
            live.get_latest_revision_as_object().title == "住建局安居办法(2026年修订)"
        )

    def test_editor_cannot_publish_directly(self):
        live_revision = self.live_page().live_revision_id
        response = self.post_edit(
            self.editor_client, "action-publish", "未经审核的修改"
        )

        # Wagtail treats a publish request without the right as "save draft".
        assert response.status_code == 302
        live = self.live_page()
        assert live.title == self.original_title
        assert live.live_revision_id == live_revision
        assert live.get_latest_revision_as_object().title == "未经审核的修改"

    def test_editor_cannot_approve_own_submission(self):
        state = self.submit_change()
        assert_refused(
            self.editor_client.post(self.approve_url(state), {"comment": ""})
        )
        state.refresh_from_db()
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert self.live_page().title == self.original_title

    def test_moderator_approval_publishes_the_submitted_content(self):
        state = self.submit_change()
        response = client_for(self.moderator).post(
            self.approve_url(state), {"comment": "同意发布"}
        )

        assert response.status_code == 302
        state.refresh_from_db()
        assert state.status == WorkflowState.STATUS_APPROVED
        live = self.live_page()
        assert live.live and live.title == "住建局安居办法(2026年修订)"
        assert not live.has_unpublished_changes

    def test_moderator_can_request_changes_instead(self):
        state = self.submit_change()
        response = client_for(self.moderator).post(
            self.approve_url(state, "reject"), {"comment": "请补充政策依据"}
        )

        assert response.status_code == 302
        state.refresh_from_db()
        assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
        assert self.live_page().title == self.original_title

    def test_another_departments_moderator_cannot_approve(self):
        state = self.submit_change()
        other = client_for(self.other_moderator)
        for action in ("approve", "reject"):
            with self.subTest(action=action):
                url = self.approve_url(state, action)
                assert_refused(other.get(url))
                assert_refused(other.post(url, {"comment": "越权审核"}))
        state.refresh_from_db()
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert self.live_page().title == self.original_title
