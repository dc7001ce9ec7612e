"""The demo city's application forms and the demo applications filled in them.

The class reads the demo the session loaded once (tests/conftest.py `demo`)."""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.accounts.models import User
from cms.core import crypto
from cms.core.identifiers import is_valid_resident_id
from cms.core.models import TalentTier
from cms.demo.applications import APPLICATIONS, IDS, demo_pdf
from cms.demo.forms_pages import FORMS
from forms.applying.uploads import check_upload
from forms.builder.definition import validate_definition
from forms.models import (
    Application,
    ApplicationFile,
    ApplicationFormPage,
    ApplicationStatus,
    FormVersion,
)

TITLES = {
    "高层次人才认定申请",
    "人才住房补贴申请",
    "高层次人才子女入学申请",
    "配偶就业安置申请",
    "外籍人才居留许可协办",
}


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count() for model in apps.get_models()
    }


@pytest.mark.usefixtures("demo")
class TestDemoForms:
    def form(self, title: str) -> ApplicationFormPage:
        return ApplicationFormPage.objects.get(title=title)

    def test_the_five_forms_are_live_versioned_and_valid(self):
        assert (
            set(ApplicationFormPage.objects.live().values_list("title", flat=True))
            >= TITLES
        )
        for title in TITLES:
            page = self.form(title)
            definition = page.definition
            validate_definition(definition)
            # What an administrator saving the form in the admin would face.
            page.form_fields.stream_block.clean(page.form_fields)
            version = page.latest_version()
            assert version is not None and version.definition == definition
            types = [item["type"] for item in definition]
            assert "file" in types and types.count("consent") == 1, title
            assert types[0] == "step" and types.count("step") >= 3, title
            assert page.get_parent().specific_class.__name__ == "ServiceGuidePage"
            # Time limits come from the review steps, never from this text.
            assert not re.search(r"\d+\s*个?工作日", page.confirmation_text), title
            keys = [item["key"] for item in definition if item.get("key")]
            assert len(keys) == len(set(keys)), title

    def test_recognition_form_has_the_fields_the_issue_asks_for(self):
        page = self.form("高层次人才认定申请")
        assert page.applicant_kinds == "both"
        items = {item.get("key"): item for item in page.definition}
        assert items["full_name"]["prefill"] == "real_name"
        assert set(items["id_document"]["id_kinds"]) == {
            "resident",
            "passport",
            "hk_macau",
            "taiwan",
            "foreign_permanent",
        }
        assert items["id_document"]["prefill"] == "id_number"
        assert items["birth_date"]["not_in_future"] is True
        assert items["employer_uscc"]["prefill"] == "employer_uscc"
        assert items["employer_region"]["depth"] == "district"
        tiers = list(TalentTier.objects.values_list("name", flat=True))
        assert items["tier"]["choices"] == tiers and len(tiers) == 7
        education = items["education"]
        assert education["type"] == "group"
        assert [f["type"] for f in education["fields"]] == [
            "short_text",
            "dropdown",
            "short_text",
            "date",
        ]
        assert items["degree_certificates"]["max_count"] == 3

    def test_conditional_sections_and_the_foreign_talent_documents(self):
        housing = {i.get("key"): i for i in self.form("人才住房补贴申请").definition}
        assert housing["owns_home"]["type"] == "yes_no"
        sections = [
            i
            for i in self.form("人才住房补贴申请").definition
            if i["type"] == "section"
        ]
        assert {s["condition"]["value"] for s in sections if s["condition"]} == {
            "yes",
            "no",
        }
        assert housing["purchase_price"]["min_value"] is not None
        residence = {
            i.get("key"): i for i in self.form("外籍人才居留许可协办").definition
        }
        assert residence["id_document"]["id_kinds"] == ["passport", "foreign_permanent"]
        assert residence["work_permit_number"]["pattern"]
        assert residence["work_permit_number"]["pattern_message"]

    def test_demo_applications_in_draft_and_submitted_states(self, demo):
        demo_applications = Application.objects.filter(
            start_token__in=[d.token for d in APPLICATIONS]
        )
        assert demo_applications.count() == len(APPLICATIONS)
        submitted = demo_applications.filter(status=ApplicationStatus.SUBMITTED)
        drafts = demo_applications.filter(status=ApplicationStatus.DRAFT)
        assert submitted.count() >= 5 and drafts.count() >= 3
        # Every form has at least one submitted case.
        assert set(submitted.values_list("form__title", flat=True)) == TITLES
        for application in submitted:
            assert application.receipt_number.startswith("QZRC-")
            assert application.submitted_at is not None
            assert application.submitted_at <= demo.loaded_at
            year = timezone.localtime(application.submitted_at).year
            assert application.receipt_number.startswith(f"QZRC-{year}-")
            assert application.id_digest
            sealed = application.answers["id_document"]
            assert "number" not in sealed and sealed["masked"]
            assert crypto.decrypt(sealed["cipher"])
            assert application.files.exists()
        for application in drafts:
            assert application.receipt_number is None
            assert application.get_draft_data()
            assert application.files.exists()
        # Spread over the months before the load, within its year: loaded before
        # about 4 February they all fall in January (tests/demo/test_demo_spread.py
        # holds the spread at fixed moments, the turn of the year among them).
        months = {timezone.localtime(a.submitted_at).month for a in submitted}
        loaded = timezone.localtime(demo.loaded_at)
        if (loaded.month, loaded.day) >= (2, 4):
            assert len(months) >= 2
        assert all(month <= loaded.month for month in months)
        by_employer = demo_applications.get(talent__username="demo-talent-yang")
        assert by_employer.applicant.username == "demo-employer"

    def test_stored_demo_files_are_real_pdfs_in_private_storage(self):
        stored = ApplicationFile.objects.filter(content_type="application/pdf").first()
        with stored.file.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-1.4") and b"%%EOF" in data[-20:]
        assert len(data) == stored.size

    def test_applicants_see_the_forms_their_drafts_and_their_receipts(self):
        tokens = {demo.label: demo.token for demo in APPLICATIONS}
        client = Client()
        client.force_login(User.objects.get(username="demo-talent"))
        for title in TITLES:
            assert client.get(self.form(title).url).status_code == 200, title
        draft = Application.objects.get(start_token=tokens["schooling-chen-draft"])
        pages = [
            client.get(reverse("applications:step", args=[draft.uuid, number]))
            for number in (1, 2, 3)
        ]
        assert [page.status_code for page in pages] == [200, 200, 200]
        assert "陈语桐" in pages[1].content.decode()
        assert "出生医学证明.pdf" in pages[2].content.decode()
        submitted = Application.objects.get(start_token=tokens["recognition-chen"])
        detail = client.get(reverse("applications:detail", args=[submitted.uuid]))
        assert submitted.receipt_number in detail.content.decode()
        mine = client.get(reverse("applications:mine")).content.decode()
        assert submitted.receipt_number in mine
        # Another applicant's case stays hidden.
        other = Application.objects.get(start_token=tokens["residence-weber"])
        hidden = client.get(reverse("applications:detail", args=[other.uuid]))
        assert hidden.status_code == 404

    def test_running_the_loader_again_creates_nothing(self):
        before = row_counts()
        versions = FormVersion.objects.count()
        call_command("load_demo", "--quiet")
        assert row_counts() == before
        assert FormVersion.objects.count() == versions


def test_invented_resident_ids_pass_gb_11643():
    assert all(is_valid_resident_id(number) for number in IDS.values())


def test_demo_pdf_passes_the_upload_checks_at_any_size():
    from django.core.files.uploadedfile import SimpleUploadedFile

    for size in (0, 200 * 1024):
        data = demo_pdf("check", size=size)
        upload = SimpleUploadedFile("a.pdf", data, "application/pdf")
        assert check_upload(upload, ["pdf"], 10 * 1024 * 1024).kind == "pdf"
        if size:
            assert abs(len(data) - size) < 1024


def test_every_demo_form_names_an_existing_guide_slug():
    from cms.demo.content import GUIDES

    slugs = {guide["slug"] for guide in GUIDES}
    assert {spec["guide"] for spec in FORMS} <= slugs
    assert len(FORMS) >= 5
