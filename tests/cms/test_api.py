"""The headless API for the app and the WeChat mini-program: read-only, published
pages only, with the structured fields of policies and service guides."""

import base64

import pytest
from django.db import connection
from django.test import TestCase
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from cms.policies.models import PolicyPage
from tests.factories import (
    PASSWORD,
    make_department,
    make_editor,
    make_guide,
    make_policy,
    tier,
)

PAGES = "/api/v2/pages/"
POLICY_FIELDS = (
    "document_number,issuing_department_name,issued_on,status,category_name,tier_names"
)


class HeadlessAPITests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.housing = make_department(
            name="泉州市住房和城乡建设局", short_name="住建局"
        )
        cls.education = make_department(name="泉州市教育局", short_name="教育局")
        cls.policy = make_policy(
            issuing_department=cls.housing,
            title="泉州市高层次人才住房保障实施细则",
            document_number="泉建房〔2025〕18号",
            tiers=[tier("tier-1"), tier("tier-2")],
        )
        cls.draft = make_policy(
            issuing_department=cls.housing, title="草稿政策", live=False
        )
        cls.withdrawn = make_policy(
            issuing_department=cls.housing, title="已撤下的政策"
        )
        cls.withdrawn.unpublish()
        cls.private = make_policy(
            issuing_department=cls.housing, title="仅限登录用户的政策"
        )
        PageViewRestriction.objects.create(
            page=cls.private, restriction_type=PageViewRestriction.LOGIN
        )
        cls.guide = make_guide(
            parent=cls.education.module_page, title="高层次人才子女入学照顾办事指南"
        )
        cls.education_policy = make_policy(
            issuing_department=cls.education, title="子女入学照顾办法"
        )
        cls.housing_editor = make_editor(cls.housing)

    def listed_policy_ids(self, client=None) -> set[int]:
        response = (client or self.client).get(
            PAGES, {"type": "policies.PolicyPage", "limit": 50}
        )
        assert response.status_code == 200
        return {item["id"] for item in response.json()["items"]}

    def test_the_policy_list_carries_the_policy_metadata(self):
        response = self.client.get(
            PAGES, {"type": "policies.PolicyPage", "fields": POLICY_FIELDS}
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        items = {item["id"]: item for item in response.json()["items"]}
        item = items[self.policy.pk]
        assert item["title"] == "泉州市高层次人才住房保障实施细则"
        assert item["document_number"] == "泉建房〔2025〕18号"
        assert item["issuing_department_name"] == "泉州市住房和城乡建设局"
        assert item["issued_on"] == "2026-03-01"
        assert item["status"] == "in_force"
        assert item["category_name"] == "住房安居"
        assert item["tier_names"] == ["第一层次人才", "第二层次人才"]

    def test_the_policy_list_filters_on_a_departments_module(self):
        response = self.client.get(
            PAGES,
            {"type": "policies.PolicyPage", "child_of": self.education.module_page.pk},
        )
        assert [item["id"] for item in response.json()["items"]] == [
            self.education_policy.pk
        ]

    def test_a_guides_detail_has_its_materials_process_and_time_limits(self):
        body = self.client.get(f"{PAGES}{self.guide.pk}/").json()
        assert body["meta"]["type"] == "services.ServiceGuidePage"
        materials = [block["value"] for block in body["materials"]]
        assert materials[0] == {
            "name": "身份证",
            "form": "copy",
            "copies": 1,
            "required": True,
            "notes": "正反面",
            "sample": None,
        }
        assert materials[1]["name"] == "获奖证书" and materials[1]["required"] is False
        assert body["process"][0]["value"]["title"] == "受理"
        assert body["process"][0]["value"]["time_limit_days"] == 1
        assert (body["statutory_limit_days"], body["promised_limit_days"]) == (20, 5)
        assert body["conditions"][0]["value"] == "在泉州市工作并签订劳动合同"

    def test_drafts_unpublished_and_private_pages_never_appear(self):
        hidden = {self.draft.pk, self.withdrawn.pk, self.private.pk}
        assert self.policy.pk in self.listed_policy_ids()
        assert not hidden & self.listed_policy_ids()
        for page in (self.draft, self.withdrawn, self.private):
            assert self.client.get(f"{PAGES}{page.pk}/").status_code == 404

    def test_a_logged_in_editor_sees_no_more_than_anyone(self):
        """The API authenticates nobody: a session does not reveal drafts or pages
        restricted to logged-in users."""
        self.client.force_login(self.housing_editor)
        assert not {self.draft.pk, self.private.pk} & self.listed_policy_ids()
        assert self.client.get(f"{PAGES}{self.private.pk}/").status_code == 404

    def test_rich_text_comes_as_display_html_with_links_resolved(self):
        """An app cannot follow Wagtail's stored <a linktype="page" id="…">."""
        policy = make_policy(
            issuing_department=self.housing,
            body=[
                (
                    "paragraph",
                    RichText(
                        f'<p>详见<a linktype="page" id="{self.guide.pk}">办事指南</a>。</p>'
                    ),
                )
            ],
        )
        paragraph = self.client.get(f"{PAGES}{policy.pk}/").json()["body"][0]
        assert paragraph["type"] == "paragraph"
        assert f'<a href="{self.guide.url}">办事指南</a>' in paragraph["value"]
        assert "linktype" not in paragraph["value"]
        markdown = self.client.get(
            f"{PAGES}{policy.pk}/", {"rich_text_format": "markdown"}
        ).json()["body"][0]["value"]
        assert f"[办事指南]({self.guide.url})" in markdown

    def test_unpublished_changes_are_not_served(self):
        self.policy.title = "尚未发布的新标题"
        self.policy.save_revision()
        body = self.client.get(f"{PAGES}{self.policy.pk}/").json()
        assert body["title"] == "泉州市高层次人才住房保障实施细则"

    def test_anonymous_write_attempts_are_refused(self):
        detail = f"{PAGES}{self.policy.pk}/"
        payload = {"title": "篡改"}
        for response in (
            self.client.post(PAGES, payload, content_type="application/json"),
            self.client.put(detail, payload, content_type="application/json"),
            self.client.patch(detail, payload, content_type="application/json"),
            self.client.delete(detail),
        ):
            assert response.status_code == 405
        self.policy.refresh_from_db()
        assert (
            self.policy.title == "泉州市高层次人才住房保障实施细则" and self.policy.live
        )

    def test_a_department_editor_cannot_write_to_another_departments_module(self):
        """Neither with a session nor with HTTP Basic credentials."""
        self.client.force_login(self.housing_editor)
        credentials = base64.b64encode(
            f"{self.housing_editor.username}:{PASSWORD}".encode()
        ).decode()
        basic = {"HTTP_AUTHORIZATION": f"Basic {credentials}"}
        target = f"{PAGES}{self.education_policy.pk}/"
        payload = {"title": "篡改", "type": "policies.PolicyPage"}
        responses = [
            self.client.patch(
                target, payload, content_type="application/json", **basic
            ),
            self.client.put(target, payload, content_type="application/json", **basic),
            self.client.delete(target, **basic),
            self.client.post(
                PAGES,
                {**payload, "parent": self.education.module_page.pk},
                content_type="application/json",
                **basic,
            ),
        ]
        assert [response.status_code for response in responses] == [405, 405, 405, 405]
        self.education_policy.refresh_from_db()
        assert (
            self.education_policy.title == "子女入学照顾办法"
            and self.education_policy.live
        )
        assert PolicyPage.objects.child_of(self.education.module_page).count() == 1

    def test_wrong_basic_credentials_are_ignored_not_checked(self):
        """No login attempt happens through the API, so it cannot be used to guess
        passwords: a bad Authorization header changes nothing."""
        response = self.client.get(
            PAGES, HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"x:y").decode()
        )
        assert response.status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v3/pages/", "/api/v3/openapi.json", "/api/v3-preview/openapi.json"]
)
@pytest.mark.django_db
def test_wagtails_v3_api_is_not_mounted(client, path):
    """docs/security.md A5: the v3 preview (token-authenticated writes, OpenAPI) is not
    used, so it is not mounted: these paths fall through to page serving."""
    try:
        assert resolve(path).url_name == "wagtail_serve"
    except Resolver404:
        pass
    assert client.get(path).status_code == 404
    assert client.post(path, {}, content_type="application/json").status_code in (
        403,
        404,
        405,
    )
    with pytest.raises(NoReverseMatch):
        reverse("wagtailapi_v3:list_pages")


@pytest.mark.django_db
def test_policy_listing_query_count_does_not_grow_with_the_policies(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_department, make_policy, tier

    department = make_department()
    url = (
        "/api/v2/pages/?type=policies.PolicyPage&limit=50"
        "&fields=issuing_department_name,category_name,tier_names"
    )

    def queries_for_listing() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_policy(issuing_department=department, tiers=[tier("tier-1")])
    queries_for_listing()  # warms the per-process caches (site, content types)
    few = queries_for_listing()
    for _ in range(5):
        make_policy(issuing_department=department, tiers=[tier("tier-2")])
    assert queries_for_listing() == few


@pytest.mark.django_db
def test_policy_detail_lists_its_attachments_and_guides_their_contacts(client):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from cms.policies.models import PolicyAttachment
    from tests.factories import make_guide, make_policy

    document = get_document_model().objects.create(
        title="申报表", file=ContentFile(b"%PDF-1.4 form", name="form.pdf")
    )
    policy = make_policy()
    PolicyAttachment.objects.create(
        page=policy, document=document, title="申报表（模板）"
    )
    guide = make_guide(online_url="https://example.cn/apply", complaint_phone="12345")

    policy_json = client.get(f"/api/v2/pages/{policy.pk}/").json()
    assert policy_json["attachment_links"] == [
        {"title": "申报表（模板）", "url": document.url}
    ]
    guide_json = client.get(f"/api/v2/pages/{guide.pk}/").json()
    assert guide_json["online_url"] == "https://example.cn/apply"
    assert guide_json["complaint_phone"] == "12345"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ['"', '"unclosed', "a AND", "(", "*", "NEAR(", "人才"]
)
def test_search_syntax_of_the_database_never_makes_a_500(client, query):
    """FTS5 operators typed into ?search= answer 400 with a reason, or results."""
    make_policy(title="人才住房补贴办法")
    response = client.get(PAGES, {"search": query})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "message" in response.json()
    else:
        assert "items" in response.json()


@pytest.mark.django_db
def test_a_lone_quote_in_search_is_a_bad_request_on_sqlite(client):
    """FTS5 refuses an unterminated string; PostgreSQL's parser takes it."""
    make_policy(title="人才住房补贴办法")
    response = client.get(PAGES, {"search": '"'})
    assert response.status_code == (400 if connection.vendor == "sqlite" else 200)
    assert client.get(PAGES, {"search": "人才住房补贴办法"}).status_code == 200
