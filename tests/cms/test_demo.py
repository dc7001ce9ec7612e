"""`manage.py load_demo` builds a complete, realistic demo city, and running it
again changes nothing. The class reads the demo the session loaded once
(tests/conftest.py `demo`); each test runs in a transaction of its own."""

import re
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook
from wagtail.documents import get_document_model
from wagtail.models import Site

from cms.accounts.models import Employer, User
from cms.core.identifiers import is_valid_uscc
from cms.core.models import HallSettings, ServiceCategory
from cms.demo import DEMO_PASSWORD
from cms.demo import units as demo_units
from cms.demo.organisation import fill_modules, write_departments, write_districts
from cms.demo.progress import Progress
from cms.departments.models import Department, DepartmentPage, District
from cms.home.bootstrap import ensure_hall
from cms.home.models import StandardPage
from cms.news.models import NewsIndexPage, NewsPage
from cms.policies.models import PolicyPage, PolicyStatus
from cms.services.models import ServiceGuidePage, ServiceItem, ServiceMode
from forms.casework.rights import visible_applications
from tests.factories import home_page

QUANZHOU_DIVISIONS = {
    "鲤城区": "350502",
    "丰泽区": "350503",
    "洛江区": "350504",
    "泉港区": "350505",
    "石狮市": "350581",
    "晋江市": "350582",
    "南安市": "350583",
    "惠安县": "350521",
    "安溪县": "350524",
    "永春县": "350525",
    "德化县": "350526",
}
CITY_DEPARTMENTS = [
    "泉州市人力资源和社会保障局",
    "泉州市住房和城乡建设局",
    "泉州市教育局",
    "泉州市卫生健康委员会",
    "泉州市公安局出入境管理支队",
    "泉州市财政局",
    "泉州市科学技术局",
    "中共泉州市委人才工作领导小组办公室",
]
DEMO_USERNAMES = [
    "demo-talent",
    "demo-employer",
    "demo-clerk",
    "demo-prereview",
    "demo-reviewer",
    "demo-handler",
    "demo-publicity",
    "demo-editor",
    "demo-moderator",
    "demo-admin",
]
DOCUMENT_NUMBER = re.compile(r"^\S+〔(19|20)\d{2}〕\d+号$")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count() for model in apps.get_models()
    }


def stored_documents() -> dict[str, int]:
    """Every file under the documents folder, with its size."""
    folder = Path(django_settings.MEDIA_ROOT) / "documents"
    return {
        str(path.relative_to(folder)): path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file()
    }


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def texts(soup: BeautifulSoup, selector: str) -> set[str]:
    return {" ".join(node.get_text(" ").split()) for node in soup.select(selector)}


def materials_with_samples(guide: ServiceGuidePage) -> list[dict]:
    return [block.value for block in guide.materials if block.value["sample"]]


@pytest.mark.usefixtures("demo")
class TestLoadDemo:
    def test_all_eleven_districts_have_their_division_codes_and_modules(self):
        districts = {district.name: district for district in District.objects.all()}
        assert {name: d.code for name, d in districts.items()} == QUANZHOU_DIVISIONS
        for district in districts.values():
            assert district.module_page.live
            assert district.module_page.introduction

    def test_city_departments_have_described_modules_in_the_talent_building(self):
        for name in CITY_DEPARTMENTS:
            module = Department.objects.get(name=name, district=None).module_page
            assert module.live and module.get_parent().specific == home_page()
            assert "兰台路人才大厦" in module.address
            assert module.introduction and module.service_window
            assert module.phone and module.office_hours
        assert DepartmentPage.objects.live().count() >= 8

    def test_a_district_department_lives_in_its_district_module(self):
        department = Department.objects.get(name="晋江市人力资源和社会保障局")
        assert department.district.name == "晋江市"
        parent = department.module_page.get_parent()
        assert parent.pk == department.district.module_page.pk

    def test_service_items_cover_every_category_with_complete_guides(self):
        items = list(ServiceItem.objects.select_related("guide", "department"))
        assert len(items) >= 22
        assert {item.category_id for item in items} == set(
            ServiceCategory.objects.values_list("pk", flat=True)
        )
        for item in items:
            guide = ServiceGuidePage.objects.get(pk=item.guide_id)
            assert guide.live, item.name
            assert guide.get_parent().pk == item.department.module_page.pk
            assert guide.item_code and guide.eligible_applicants and guide.contact_phone
            assert len(guide.conditions) and len(guide.legal_basis) and len(guide.faq)
            assert guide.required_materials, item.name
            assert all(m["form"] and m["copies"] >= 1 for m in guide.required_materials)
            assert len(guide.process) >= 3
            assert guide.promised_limit_days <= guide.statutory_limit_days

    def test_every_guide_shows_the_window_of_its_module_as_filled_in(self):
        """The first guide written in a module too: it once read the module as
        provisioning had created it, with no window."""
        guides = list(ServiceGuidePage.objects.live())
        assert len(guides) >= 26
        for guide in guides:
            module = guide.get_parent().specific
            assert module.address and module.service_window, module.title
            assert module.phone and module.office_hours, module.title
            assert (
                guide.place,
                guide.window,
                guide.office_hours,
                guide.contact_phone,
            ) == (
                module.address,
                module.service_window,
                module.office_hours,
                module.phone,
            ), guide.title
            assert guide.fees and guide.complaint_phone, guide.title
            assert guide.service_mode in ServiceMode.values, guide.title

    def test_the_guides_named_in_the_report_have_their_windows(self):
        windows = dict(
            ServiceGuidePage.objects.filter(
                title__in=[
                    "泉州市高层次人才认定",
                    "外籍高层次人才居留许可",
                    "高层次人才及家属落户",
                ]
            ).values_list("title", "window")
        )
        assert windows == {
            "泉州市高层次人才认定": "人才大厦一楼2-4号窗口（高层次人才服务专窗）",
            "外籍高层次人才居留许可": "人才大厦一楼8号窗口",
            "高层次人才及家属落户": "人才大厦一楼8号窗口（户政业务）",
        }

    def test_every_guide_page_shows_where_when_and_how_to_apply(self):
        client = Client()
        for guide in ServiceGuidePage.objects.live():
            soup = soup_of(client.get(guide.url))
            where = texts(soup, "#where dd")
            for value in (
                guide.place,
                guide.window,
                guide.office_hours,
                guide.contact_phone,
                guide.complaint_phone,
            ):
                assert value in where, (guide.title, value)
            assert any(
                text.startswith(str(guide.get_handling_mode_display()))
                for text in where
            ), guide.title
            assert guide.fees in texts(soup, "#time-and-fees dd"), guide.title

    def test_blank_forms_are_documents_of_the_department_linked_from_the_guide(self):
        guides = [
            guide
            # English versions have no service item of their own.
            for guide in ServiceGuidePage.objects.live().filter(
                locale__language_code="zh-hans"
            )
            if materials_with_samples(guide)
        ]
        assert {"泉州市高层次人才认定", "高层次人才购房补贴申领"} <= {
            guide.title for guide in guides
        }
        client = Client()
        for guide in guides:
            department = guide.service_item.department
            links = {
                link["href"]
                for link in soup_of(client.get(guide.url)).select("#materials a[href]")
            }
            for material in materials_with_samples(guide):
                document = material["sample"]
                assert document.collection_id == department.collection_id
                assert document.url in links, (guide.title, material["name"])
                response = client.get(document.url)
                assert response.status_code == 200, document.url
                content = b"".join(response.streaming_content)
                assert len(content) == document.file_size
                title = load_workbook(BytesIO(content)).active["A1"].value
                assert material["name"] == f"《{title}》"

    def test_policies_are_numbered_dated_and_spread_across_departments(self):
        policies = list(PolicyPage.objects.live())
        assert len(policies) >= 40
        numbers = [policy.document_number for policy in policies]
        assert len(set(numbers)) == len(numbers)
        assert all(DOCUMENT_NUMBER.match(number) for number in numbers), numbers
        assert len({policy.issuing_department_id for policy in policies}) >= 8
        for policy in policies:
            assert policy.get_parent().pk == policy.issuing_department.module_page.pk
            assert policy.summary and len(policy.body) >= 4
            assert policy.effective_from >= policy.issued_on

    def test_repealed_and_amended_policies_point_at_a_newer_successor(self):
        replaced = PolicyPage.objects.live().exclude(status=PolicyStatus.IN_FORCE)
        statuses = set(replaced.values_list("status", flat=True))
        assert statuses == {PolicyStatus.REPEALED, PolicyStatus.AMENDED}
        assert replaced.filter(status=PolicyStatus.REPEALED).count() >= 3
        for policy in replaced:
            successor = policy.superseded_by
            assert successor is not None and successor.live, policy.title
            assert successor.status == PolicyStatus.IN_FORCE
            assert successor.issued_on > policy.issued_on
            assert policy.body[0].block_type == "notice"

    def test_policies_link_to_the_guides_that_implement_them(self):
        linked = (
            PolicyPage.objects.live().filter(related_guides__isnull=False).distinct()
        )
        assert linked.count() >= 20
        recognition = PolicyPage.objects.get(document_number="泉委人才〔2023〕2号")
        assert "泉州市高层次人才认定" in {
            g.title for g in recognition.related_guides.all()
        }

    def test_news_appear_in_the_city_list_and_in_modules(self):
        news = NewsPage.objects.live()
        assert news.count() >= 10
        news_list = NewsIndexPage.objects.child_of(home_page()).get()
        assert news.child_of(news_list).count() >= 2
        module_pages = DepartmentPage.objects.all()
        in_modules = [
            page
            for page in news
            if page.get_parent().specific_class is not NewsIndexPage
        ]
        assert len(in_modules) >= 5
        assert any(
            page.get_parent().pk in {m.pk for m in module_pages} for page in in_modules
        )

    def test_about_page_and_hall_settings(self):
        about = StandardPage.objects.child_of(home_page()).get(title="关于大厅")
        assert about.live and about.introduction and len(about.body) >= 4
        settings = HallSettings.for_site(Site.objects.get(is_default_site=True))
        assert settings.address == "泉州市丰泽区兰台路人才大厦"
        assert settings.hotline and settings.opening_hours and settings.operator

    def test_employers_have_valid_credit_codes(self):
        employers = list(Employer.objects.all())
        assert len(employers) >= 3
        assert all(is_valid_uscc(employer.uscc) for employer in employers)
        assert all(employer.district_id for employer in employers)

    def test_every_role_has_an_account_in_the_right_groups(self):
        users = {
            user.username: user
            for user in User.objects.filter(username__in=DEMO_USERNAMES)
        }
        assert set(users) == set(DEMO_USERNAMES)
        housing = Department.objects.get(name="泉州市住房和城乡建设局")

        def group_names(username):
            return set(users[username].groups.values_list("name", flat=True))

        assert users["demo-talent"].mobile and users["demo-employer"].employer_id
        fengze = District.objects.get(name="丰泽区")
        assert group_names("demo-clerk") == {"受理"}
        assert group_names("demo-prereview") == {fengze.casework_group.name}
        assert users["demo-prereview"].district == fengze
        assert group_names("demo-reviewer") == {"审核", "核准", "统计"}
        assert group_names("demo-handler") == {housing.casework_group.name}
        assert housing.casework_group.name == "泉州市住房和城乡建设局 · 经办"
        assert users["demo-handler"].department == housing
        assert group_names("demo-publicity") == {"公示"}
        # Content staff of the handler's department hold no casework role.
        assert group_names("demo-editor") == {housing.editors_group.name}
        assert group_names("demo-moderator") == {housing.moderators_group.name}
        for username in ("demo-editor", "demo-moderator"):
            assert not visible_applications(users[username]).exists(), username
        assert users["demo-admin"].is_superuser
        for username in [
            "demo-clerk",
            "demo-prereview",
            "demo-reviewer",
            "demo-handler",
            "demo-publicity",
        ]:
            assert users[username].has_perm("wagtailadmin.access_admin"), username

    def test_the_demo_password_passes_the_validators_and_is_not_expired(self):
        for user in User.objects.filter(username__in=DEMO_USERNAMES):
            validate_password(DEMO_PASSWORD, user)
            assert user.password_changed_at is not None, user.username

    def test_every_demo_account_signs_in_through_the_login_form(self):
        try:
            login_url = reverse("accounts:login")
        except NoReverseMatch:
            login_url = None
        for username in DEMO_USERNAMES:
            user = User.objects.get(username=username)
            if login_url is None:
                assert authenticate(username=username, password=DEMO_PASSWORD) == user
                continue
            client = Client()
            response = client.post(
                login_url, {"username": username, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 302, username
            assert client.session.get("_auth_user_id") == str(user.pk), username

    def test_talents_sign_in_with_their_mobile_number(self):
        client = Client()
        response = client.post(
            reverse("accounts:login"),
            {"username": "13800000001", "password": DEMO_PASSWORD},
        )
        assert response.status_code == 302
        assert client.session.get("_auth_user_id") == str(
            User.objects.get(username="demo-talent").pk
        )

    def test_a_second_run_creates_nothing_and_prints_the_accounts(self):
        before = row_counts()
        files_before = stored_documents()
        samples_before = {
            document.pk: (document.file.name, document.file_hash)
            for document in get_document_model().objects.all()
        }
        assert samples_before
        output = StringIO()
        call_command("load_demo", stdout=output)
        assert row_counts() == before
        assert stored_documents() == files_before
        assert samples_before == {
            document.pk: (document.file.name, document.file_hash)
            for document in get_document_model().objects.all()
        }
        printed = output.getvalue()
        created = [
            line
            for line in printed.splitlines()
            if "created" in line and ": 0 created" not in line
        ]
        assert created == []
        assert "already complete" in printed
        for username in DEMO_USERNAMES:
            assert username in printed
        assert DEMO_PASSWORD in printed


@pytest.mark.django_db
def test_the_demo_refuses_to_load_where_it_is_disabled(settings):
    """Production settings turn it off: it creates a superuser with a published password."""
    from django.core.management import CommandError

    settings.DEMO_ENABLED = False
    with pytest.raises(CommandError):
        call_command("load_demo", "--quiet")
    assert not User.objects.filter(username="demo-admin").exists()


@pytest.mark.django_db
def test_filled_modules_are_read_through_their_units_as_published():
    """After fill_modules, a unit's module_page holds what was published, whether
    provisioning cached it (a new unit) or it was read first (a department that
    existed before the demo was loaded)."""
    ensure_hall()
    Department.objects.create(
        name="泉州市教育局", phone="0595-22102004", address=demo_units.HALL_ADDRESS
    )
    progress = Progress()
    districts = write_districts(progress)
    departments = write_departments(progress, districts)
    fill_modules(progress, districts, departments)
    specs = [*demo_units.CITY_DEPARTMENTS, *demo_units.DISTRICT_DEPARTMENTS]
    for spec in specs:
        module = departments[spec["name"]].module_page
        stored = DepartmentPage.objects.get(pk=module.pk)
        assert module.service_window == stored.service_window == spec["window"]
        assert module.office_hours == stored.office_hours == demo_units.HALL_HOURS
        assert (module.introduction, module.address, module.phone) == (
            stored.introduction,
            stored.address,
            stored.phone,
        )
        assert module.live_revision_id == stored.live_revision_id
        assert not module.has_unpublished_changes
    for name, _code, phone, address in demo_units.DISTRICTS:
        module = districts[name].module_page
        assert (module.phone, module.address) == (phone, address)
        assert module.service_window and module.introduction
