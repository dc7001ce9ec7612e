"""A department's staff are confined to their own module (docs/security.md D2).

Every request goes through Wagtail's own admin views over HTTP, as the 住建局
editor (or moderator) would send it from a browser, against 人社局's pages; each
refusal is checked in the database too, and each has a positive control showing
the same request works where the user does have the right.
"""

from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page

from cms.departments.models import Department, DepartmentPage, District, DistrictPage
from cms.policies.models import PolicyPage
from tests.cms.hall_admin import (
    RENSHE,
    ZHUJIAN,
    admin_url,
    assert_refused,
    client_for,
    make_department_with_content,
    make_staff,
    make_superuser,
    policy_add_data,
    policy_edit_data,
)
from tests.factories import home_page, make_department, make_district, make_guide


class DepartmentIsolationTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.zhujian = make_department_with_content("zjdraftmarker", **ZHUJIAN)
        cls.renshe = make_department_with_content("rsdraftmarker", **RENSHE)
        cls.editor = make_staff(cls.zhujian.department)
        cls.moderator = make_staff(cls.zhujian.department, moderator=True)
        cls.superuser = make_superuser()

    def setUp(self):
        self.client = client_for(self.editor)

    def edit_form_html(self, page) -> str:
        """The edit form of `page` as someone allowed to see it gets it: what a
        determined editor of another department could reconstruct by hand."""
        response = client_for(self.superuser).get(admin_url("edit", page.pk))
        assert response.status_code == 200
        return response.content.decode()

    def snapshot(self, page) -> tuple:
        page = Page.objects.get(pk=page.pk)
        return (
            page.title,
            page.live,
            page.path,
            page.latest_revision_id,
            page.live_revision_id,
            page.revisions.count(),
            page.has_unpublished_changes,
        )


class EditorCannotTouchAnotherDepartmentTests(DepartmentIsolationTestCase):
    def test_edit_views_of_other_department_pages_are_refused(self):
        for page in self.renshe.pages:
            with self.subTest(page=page.title):
                assert_refused(self.client.get(admin_url("edit", page.pk)))

    def test_own_edit_view_opens(self):
        response = self.client.get(admin_url("edit", self.zhujian.policy.pk))
        assert response.status_code == 200

    def test_saving_or_publishing_other_department_pages_is_refused(self):
        for page in (self.renshe.policy, self.renshe.draft):
            data = policy_edit_data(self.edit_form_html(page), title="被篡改的标题")
            for action in ("action-save", "action-publish", "action-submit"):
                with self.subTest(page=page.title, action=action):
                    before = self.snapshot(page)
                    response = self.client.post(
                        admin_url("edit", page.pk), {**data.dict(), action: "1"}
                    )
                    assert_refused(response)
                    assert self.snapshot(page) == before

    def test_unpublishing_other_department_pages_is_refused(self):
        for page in (self.renshe.policy, self.renshe.guide, self.renshe.news):
            with self.subTest(page=page.title):
                assert_refused(self.client.get(admin_url("unpublish", page.pk)))
                response = self.client.post(admin_url("unpublish", page.pk))
                assert_refused(response)
                assert Page.objects.get(pk=page.pk).live

    def test_deleting_other_department_pages_is_refused(self):
        for page in self.renshe.pages:
            with self.subTest(page=page.title):
                assert_refused(self.client.get(admin_url("delete", page.pk)))
                assert_refused(self.client.post(admin_url("delete", page.pk)))
                assert Page.objects.filter(pk=page.pk).exists()

    def test_moving_pages_across_departments_is_refused(self):
        moves = [
            (self.renshe.policy, self.zhujian.module),  # theirs into ours
            (self.zhujian.policy, self.renshe.module),  # ours into theirs
        ]
        for page, destination in moves:
            with self.subTest(page=page.title):
                before = self.snapshot(page)
                assert_refused(
                    self.client.post(admin_url("move_confirm", page.pk, destination.pk))
                )
                assert self.snapshot(page) == before

    def test_copying_another_departments_page_is_refused(self):
        """CVE-2026-44200 class: a copy into one's own module would disclose the
        other department's content, drafts included."""
        for page in (self.renshe.policy, self.renshe.draft):
            with self.subTest(page=page.title):
                assert_refused(self.client.get(admin_url("copy", page.pk)))
                response = self.client.post(
                    admin_url("copy", page.pk),
                    {
                        "new_title": "复制件",
                        "new_slug": f"copy-of-{page.pk}",
                        "new_parent_page": str(self.zhujian.module.pk),
                        "copy_subpages": "",
                        "publish_copies": "",
                        "alias": "",
                    },
                )
                assert_refused(response)
                assert not Page.objects.filter(slug=f"copy-of-{page.pk}").exists()

    def test_history_and_revisions_of_other_department_pages_are_refused(self):
        """CVE-2026-44197/44198 class: revisions and history must not disclose
        another department's content or drafts."""
        for page in self.renshe.pages:
            revision = page.latest_revision
            urls = [
                admin_url("history", page.pk),
                admin_url("history_results", page.pk),
                admin_url("revisions_index", page.pk),
                admin_url("revisions_view", page.pk, revision.pk),
                admin_url("revisions_revert", page.pk, revision.pk),
                admin_url("revisions_compare", page.pk, "earliest", "latest"),
                admin_url("revisions_compare", page.pk, "live", "latest"),
                admin_url("workflow_history", page.pk),
                admin_url("view_draft", page.pk),
                admin_url("preview_on_edit", page.pk),
                admin_url("usage", page.pk),
            ]
            for url in urls:
                with self.subTest(url=url):
                    response = self.client.get(url, follow=True)
                    assert_refused(response)
                    assert page.title not in response.content.decode()

    def test_own_history_opens(self):
        response = self.client.get(admin_url("history", self.zhujian.policy.pk))
        assert response.status_code == 200
        assert self.zhujian.policy.title in response.content.decode()

    def test_admin_search_does_not_find_other_department_drafts(self):
        search_url = admin_url("search")
        superuser_hits = client_for(self.superuser).get(
            search_url, {"q": "rsdraftmarker"}
        )
        assert self.renshe.draft.title in superuser_hits.content.decode()
        own_hits = self.client.get(search_url, {"q": "zjdraftmarker"})
        assert self.zhujian.draft.title in own_hits.content.decode()

        response = self.client.get(search_url, {"q": "rsdraftmarker"})
        assert response.status_code == 200
        assert self.renshe.draft.title not in response.content.decode()

    def test_explorer_of_other_module_offers_no_edit_actions(self):
        own = self.client.get(
            reverse("wagtailadmin_explore", args=[self.zhujian.module.pk])
        )
        assert admin_url("edit", self.zhujian.policy.pk) in own.content.decode()

        response = self.client.get(
            reverse("wagtailadmin_explore", args=[self.renshe.module.pk]), follow=True
        )
        html = response.content.decode()
        for page in [self.renshe.module, *self.renshe.pages]:
            assert admin_url("edit", page.pk) not in html
            assert admin_url("delete", page.pk) not in html
        assert self.renshe.draft.title not in html

    def test_adding_a_page_to_another_module_is_refused(self):
        add_url = admin_url("add", "policies", "policypage", self.renshe.module.pk)
        assert_refused(self.client.get(add_url))
        data = policy_add_data(
            self.renshe.department,
            title="冒名政策",
            slug="impostor",
            **{"action-submit": "1"},
        )
        assert_refused(self.client.post(add_url, data))
        assert not Page.objects.filter(slug="impostor").exists()


class EditorWorksInOwnModuleTests(DepartmentIsolationTestCase):
    def test_editor_creates_a_policy_with_body_and_attachments_formset(self):
        module = self.zhujian.module
        add_url = admin_url("add", "policies", "policypage", module.pk)
        assert self.client.get(add_url).status_code == 200
        data = policy_add_data(
            self.zhujian.department, title="住建局人才租房补贴细则", slug="rent-subsidy"
        )
        response = self.client.post(add_url, data)

        created = PolicyPage.objects.get(slug="rent-subsidy")
        assert response.status_code == 302
        assert created.get_parent().pk == module.pk
        assert created.owner == self.editor
        assert not created.live  # an editor saves a draft; a moderator publishes
        body = created.get_latest_revision_as_object().body
        assert [block.block_type for block in body] == ["heading", "paragraph"]
        assert "按月领取补贴" in str(body[1].value)

    def test_editor_edits_own_departments_policy(self):
        page = self.zhujian.policy
        edit_url = admin_url("edit", page.pk)
        data = policy_edit_data(
            self.client.get(edit_url).content.decode(), title="住建局安居办法(修订)"
        )
        response = self.client.post(edit_url, {**data.dict(), "action-save": "1"})

        assert response.status_code == 302
        page.refresh_from_db()
        assert page.get_latest_revision_as_object().title == "住建局安居办法(修订)"
        assert page.has_unpublished_changes


class EditorHasNoOtherPowersTests(DepartmentIsolationTestCase):
    def test_editor_has_admin_access_and_nothing_else_model_wide(self):
        """Page and collection rights are per subtree; model-wide the editor may
        only enter the admin. No user, group, snippet or site-settings rights."""
        # Submitting a translation needs edit rights on the page as well
        # (tests/cms/test_bilingual.py).
        expected = {
            "wagtailadmin.access_admin",
            "simple_translation.submit_translation",
        }
        assert self.editor.get_all_permissions() == expected
        assert self.moderator.get_all_permissions() == expected
        assert not self.editor.has_perm("auth.change_user")
        assert not self.editor.has_perm("accounts.change_user")
        assert not self.editor.has_perm("accounts.add_user")

    def test_editor_cannot_reach_user_group_or_settings_management(self):
        for name in (
            "wagtailusers_users:index",
            "wagtailusers_users:add",
            "wagtailusers_groups:index",
            "wagtailadmin_workflows:index",
        ):
            with self.subTest(url=name):
                assert_refused(self.client.get(reverse(name)))
        assert_refused(self.client.get("/admin/settings/core/hallsettings/"))
        user_edit = reverse("wagtailusers_users:edit", args=[self.editor.pk])
        response = self.client.post(user_edit, {"is_superuser": "on"})
        assert_refused(response)
        self.editor.refresh_from_db()
        assert not self.editor.is_superuser

    def test_no_department_group_has_rights_on_root_or_home(self):
        unit_group_ids = set()
        for unit in [*Department.objects.all(), *District.objects.all()]:
            unit_group_ids |= {unit.editors_group_id, unit.moderators_group_id}
        assert len(unit_group_ids) == 4
        shared_pages = [Page.get_first_root_node().pk, home_page().pk]
        grants = GroupPagePermission.objects.filter(group_id__in=unit_group_ids)
        assert grants.exists()
        assert not grants.filter(page_id__in=shared_pages).exists()
        assert set(grants.values_list("page_id", flat=True)) == {
            self.zhujian.module.pk,
            self.renshe.module.pk,
        }

    def test_department_groups_hold_rights_on_their_own_collection_only(self):
        for content in (self.zhujian, self.renshe):
            department = content.department
            groups = [department.editors_group, department.moderators_group]
            collections = set(
                GroupCollectionPermission.objects.filter(group__in=groups)
                .values_list("collection__name", flat=True)
                .distinct()
            )
            assert collections == {department.name}

    def test_no_group_keeps_wagtails_default_rights_on_the_root(self):
        """Wagtail's first migration gives its 'Editors' and 'Moderators' groups
        rights over the whole tree; adding department staff to them by mistake
        would undo the confinement, so the hall removes those rights."""
        root = Page.get_first_root_node()
        assert not GroupPagePermission.objects.filter(page=root).exists(), list(
            Group.objects.filter(page_permissions__page=root).values_list(
                "name", flat=True
            )
        )
        self.editor.groups.add(
            *Group.objects.filter(name__in=["Editors", "Moderators"])
        )
        assert self.editor.groups.count() == 3
        assert_refused(self.client.get(admin_url("edit", self.renshe.policy.pk)))


class ModeratorConfinedTests(DepartmentIsolationTestCase):
    def setUp(self):
        self.client = client_for(self.moderator)

    def test_moderator_publishes_in_own_module(self):
        page = self.zhujian.draft
        edit_url = admin_url("edit", page.pk)
        data = policy_edit_data(self.client.get(edit_url).content.decode())
        response = self.client.post(edit_url, {**data.dict(), "action-publish": "1"})
        assert response.status_code == 302
        assert Page.objects.get(pk=page.pk).live

    def test_moderator_cannot_publish_or_unpublish_in_another_module(self):
        for page in (self.renshe.draft, self.renshe.policy):
            with self.subTest(page=page.title):
                before = self.snapshot(page)
                data = policy_edit_data(self.edit_form_html(page), title="越权发布")
                response = self.client.post(
                    admin_url("edit", page.pk), {**data.dict(), "action-publish": "1"}
                )
                assert_refused(response)
                assert_refused(self.client.post(admin_url("unpublish", page.pk)))
                assert self.snapshot(page) == before


class PageChooserTests(DepartmentIsolationTestCase):
    """The page chooser (for links and 'superseded by') lists the whole tree."""

    def chooser_search(self, client, query: str) -> str:
        response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": query})
        assert response.status_code == 200
        return response.content.decode()

    def test_search_does_not_show_other_modules_drafts(self):
        superuser = client_for(self.superuser)
        assert self.renshe.draft.title in self.chooser_search(
            superuser, "rsdraftmarker"
        )
        assert self.zhujian.draft.title in self.chooser_search(
            self.client, "zjdraftmarker"
        )

        assert self.renshe.draft.title not in self.chooser_search(
            self.client, "rsdraftmarker"
        )

    def test_search_finds_other_modules_live_pages(self):
        guide = make_guide(parent=self.renshe.module, title="人社局 rslivemarker 指南")
        assert guide.title in self.chooser_search(self.client, "rslivemarker")

    def test_browsing_another_module_lists_its_live_pages_only(self):
        url = reverse("wagtailadmin_choose_page_child", args=[self.renshe.module.pk])
        superuser_html = client_for(self.superuser).get(url).json()["html"]
        assert self.renshe.draft.title in superuser_html

        html = self.client.get(url).json()["html"]
        assert self.renshe.guide.title in html
        assert self.renshe.draft.title not in html
        own_url = reverse(
            "wagtailadmin_choose_page_child", args=[self.zhujian.module.pk]
        )
        assert self.zhujian.draft.title in self.client.get(own_url).json()["html"]


class ModuleUnitIsLockedTests(DepartmentIsolationTestCase):
    """Which unit a module belongs to decides who edits and publishes it."""

    def post_module_edit(self, client, module, **changes):
        edit_url = admin_url("edit", module.pk)
        data = policy_edit_data(client.get(edit_url).content.decode(), **changes)
        return client.post(edit_url, {**data.dict(), "action-save": "1"})

    def unit_without_module(self, factory):
        unit = factory()
        unit.module_page.delete()
        return type(unit).objects.get(pk=unit.pk)

    def test_editor_cannot_move_the_module_to_another_department(self):
        module = self.zhujian.module
        orphan = self.unit_without_module(make_department)
        html = self.client.get(admin_url("edit", module.pk)).content.decode()
        select = BeautifulSoup(html, "html.parser").select_one("[name=department]")
        assert select.has_attr("disabled")

        response = self.post_module_edit(
            self.client, module, department=str(orphan.pk), title="住建局(改)"
        )

        latest = DepartmentPage.objects.get(
            pk=module.pk
        ).get_latest_revision_as_object()
        assert latest.department_id == self.zhujian.department.pk
        assert response.status_code == 200
        assert "department" in response.context["form"].errors

    def test_editor_saves_the_module_unchanged(self):
        response = self.post_module_edit(
            self.client, self.zhujian.module, title="住建局专区"
        )
        assert response.status_code == 302
        module = DepartmentPage.objects.get(pk=self.zhujian.module.pk)
        assert module.get_latest_revision_as_object().title == "住建局专区"

    def test_superuser_may_reassign_a_module(self):
        orphan = self.unit_without_module(make_department)
        response = self.post_module_edit(
            client_for(self.superuser), self.zhujian.module, department=str(orphan.pk)
        )
        assert response.status_code == 302
        module = DepartmentPage.objects.get(pk=self.zhujian.module.pk)
        assert module.get_latest_revision_as_object().department_id == orphan.pk

    def test_district_editor_cannot_move_the_district_module(self):
        district = make_district(name="鲤城区")
        editor = make_staff(district)
        orphan = self.unit_without_module(make_district)
        client = client_for(editor)

        response = self.post_module_edit(
            client, district.module_page, district=str(orphan.pk)
        )

        module = DistrictPage.objects.get(pk=district.module_page.pk)
        assert module.get_latest_revision_as_object().district_id == district.pk
        assert response.status_code == 200
