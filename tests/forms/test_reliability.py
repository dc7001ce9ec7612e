"""Versions, atomic writes of files and rows, and private files
(docs/security.md R1, R2, F5, F7)."""

import errno
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage

from forms.builder.definition import stream_data_from_definition
from forms.models import Application, ApplicationFile, ApplicationStatus, FormVersion
from tests.factories import SAMPLE_DEFINITION, make_form, make_user
from tests.forms.flow import (
    STEP_ONE,
    VALID_ID,
    fill_sample,
    pdf_upload,
    review_url,
    start,
    step_two,
    step_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(client):
    user = make_user()
    client.force_login(user)
    return user


def stored_blobs(application) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "applications" / str(application.uuid)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def submitted(client, form) -> Application:
    application = fill_sample(client, form)
    client.post(review_url(application))
    application.refresh_from_db()
    return application


class TestVersions:
    def test_publishing_a_change_makes_a_new_version(self, client, applicant):
        form = make_form()
        assert form.versions.count() == 1
        earlier = submitted(client, form)

        changed = [dict(item) for item in SAMPLE_DEFINITION]
        changed[1] = dict(changed[1], label="申请人姓名")
        form.form_fields = stream_data_from_definition(changed)
        form.save_revision().publish()
        assert list(form.versions.values_list("number", flat=True)) == [2, 1]

        earlier.refresh_from_db()
        assert earlier.version.number == 1
        assert earlier.version.definition[1]["label"] == "姓名"
        page = client.get(f"/applications/{earlier.uuid}/").content.decode()
        assert "姓名" in page and "申请人姓名" not in page

        later = start(client, form)
        assert later.version.number == 2

    def test_republishing_without_change_keeps_the_version(self):
        form = make_form()
        form.save_revision().publish()
        assert FormVersion.objects.filter(form=form).count() == 1

    def test_a_draft_keeps_its_version_when_the_form_changes(self, client, applicant):
        form = make_form()
        draft = start(client, form)
        changed = [dict(item) for item in SAMPLE_DEFINITION]
        changed[1] = dict(
            changed[1], max_length=2
        )  # "张三" still fits, a longer name not
        form.form_fields = stream_data_from_definition(changed)
        form.save_revision().publish()
        client.post(step_url(draft, 1), dict(STEP_ONE, full_name="欧阳娜娜"))
        client.post(step_url(draft, 2), step_two())
        client.post(review_url(draft))
        draft.refresh_from_db()
        assert draft.status == ApplicationStatus.SUBMITTED
        assert draft.version.number == 1


class TestAtomicity:
    def test_failure_while_saving_a_file_leaves_no_rows_and_no_blobs(
        self, client, applicant
    ):
        form = make_form()
        application = start(client, form)
        client.post(step_url(application, 1), STEP_ONE)
        original_save = FileSystemStorage._save
        calls = []

        def failing_save(self, name, content):
            calls.append(name)
            if len(calls) == 2:
                raise OSError("disk full")
            return original_save(self, name, content)

        data = step_two(degree_scan=[pdf_upload("一.pdf"), pdf_upload("二.pdf")])
        with mock.patch.object(FileSystemStorage, "_save", failing_save):
            with pytest.raises(OSError):
                client.post(step_url(application, 2), data)
        assert len(calls) == 2
        assert ApplicationFile.objects.count() == 0
        assert stored_blobs(application) == []
        application.refresh_from_db()
        assert application.status == ApplicationStatus.DRAFT
        assert application.furthest_step == 1  # step 2 was not recorded

    def test_a_full_disk_refuses_the_step_with_a_message_and_keeps_the_draft(
        self, client, applicant
    ):
        form = make_form()
        application = start(client, form)
        client.post(step_url(application, 1), STEP_ONE)
        application.refresh_from_db()
        draft_before = application.get_draft_data()
        original_save = FileSystemStorage._save
        calls = []

        class HalfWritten:
            """The second file: a few bytes reach the disk, then it is full."""

            def __init__(self, content):
                self.content = content

            def chunks(self):
                yield self.content.read()[:16]
                raise OSError(errno.ENOSPC, "No space left on device")

        def filling_save(self, name, content):
            calls.append(name)
            if len(calls) == 2:
                content = HalfWritten(content)
            return original_save(self, name, content)

        data = step_two(degree_scan=[pdf_upload("一.pdf"), pdf_upload("二.pdf")])
        data["education-0-school"] = "集美大学"
        with mock.patch.object(FileSystemStorage, "_save", filling_save):
            response = client.post(step_url(application, 2), data)
        assert len(calls) == 2
        assert response.status_code == 503
        page = response.content.decode()
        assert "服务器存储空间已满" in page
        assert 'value="集美大学"' in page  # what was typed is shown again
        assert ApplicationFile.objects.count() == 0
        assert stored_blobs(application) == []  # the half-written one too
        application.refresh_from_db()
        assert application.status == ApplicationStatus.DRAFT
        assert application.get_draft_data() == draft_before
        assert application.furthest_step == 1

        # Once there is room again, the same answers go through.
        data["degree_scan"] = [pdf_upload("一.pdf"), pdf_upload("二.pdf")]
        response = client.post(step_url(application, 2), data)
        assert response.status_code == 303
        assert len(stored_blobs(application)) == 2

    def test_database_failure_after_files_are_written_removes_them(
        self, client, applicant
    ):
        form = make_form()
        application = start(client, form)
        client.post(step_url(application, 1), STEP_ONE)
        with mock.patch.object(
            Application, "set_draft_data", side_effect=RuntimeError("db gone")
        ):
            with pytest.raises(RuntimeError):
                client.post(step_url(application, 2), step_two())
        assert ApplicationFile.objects.count() == 0
        assert stored_blobs(application) == []

    def test_failure_while_submitting_leaves_a_draft_without_receipt(
        self, client, applicant
    ):
        form = make_form()
        application = fill_sample(client, form)
        with mock.patch(
            "forms.applying.services.seal_answers", side_effect=RuntimeError("crash")
        ):
            with pytest.raises(RuntimeError):
                client.post(review_url(application))
        application.refresh_from_db()
        assert application.status == ApplicationStatus.DRAFT
        assert application.receipt_number is None
        assert client.post(review_url(application)).status_code == 303
        application.refresh_from_db()
        assert application.receipt_number.endswith("-000001")  # no number lost

    def test_deleting_a_draft_deletes_its_files(
        self, client, applicant, django_capture_on_commit_callbacks
    ):
        form = make_form()
        application = fill_sample(client, form)
        assert len(stored_blobs(application)) == 1
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/applications/{application.uuid}/delete/")
        assert not Application.objects.filter(pk=application.pk).exists()
        assert stored_blobs(application) == []

    def test_removing_an_upload_deletes_its_blob(
        self, client, applicant, django_capture_on_commit_callbacks
    ):
        form = make_form()
        application = fill_sample(client, form)
        stored = ApplicationFile.objects.get()
        data = step_two(degree_scan=pdf_upload("新.pdf"))
        data["degree_scan-remove"] = str(stored.uuid)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(step_url(application, 2), data)
        names = list(ApplicationFile.objects.values_list("original_name", flat=True))
        assert names == ["新.pdf"]
        assert len(stored_blobs(application)) == 1

    def test_an_invalid_upload_is_not_stored_and_other_input_is_kept(
        self, client, applicant
    ):
        form = make_form()
        application = start(client, form)
        client.post(step_url(application, 1), STEP_ONE)
        bad = step_two(degree_scan=pdf_upload("x.pdf", b"<html>no</html>"))
        response = client.post(step_url(application, 2), bad)
        assert response.status_code == 200
        assert stored_blobs(application) == []
        assert 'value="厦门大学"' in response.content.decode()

    def test_too_many_files(self, client, applicant):
        form = make_form()
        application = start(client, form)
        client.post(step_url(application, 1), STEP_ONE)
        data = step_two(degree_scan=[pdf_upload(f"{n}.pdf") for n in range(3)])
        assert client.post(step_url(application, 2), data).status_code == 200
        assert ApplicationFile.objects.count() == 0


class TestPrivateFiles:
    def test_files_live_outside_media_root_under_random_names(self, client, applicant):
        form = make_form()
        fill_sample(client, form)
        stored = ApplicationFile.objects.get()
        path = Path(stored.file.path)
        assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
        assert not path.is_relative_to(settings.MEDIA_ROOT)
        assert "学位证书" not in path.name
        with pytest.raises(NotImplementedError):
            stored.file.url  # noqa: B018

    def test_owner_downloads_with_safe_headers(self, client, applicant):
        form = make_form()
        fill_sample(client, form)
        stored = ApplicationFile.objects.get()
        response = client.get(f"/applications/files/{stored.uuid}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Disposition"] == (
            "attachment; filename*=UTF-8''%E5%AD%A6%E4%BD%8D%E8%AF%81%E4%B9%A6.pdf"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]

    def test_another_applicant_and_anonymous_get_nothing(self, client, applicant):
        form = make_form()
        fill_sample(client, form)
        stored = ApplicationFile.objects.get()
        url = f"/applications/files/{stored.uuid}/"
        client.force_login(make_user())
        assert client.get(url).status_code == 404
        client.logout()
        assert client.get(url).status_code == 302  # to the login page

    def test_staff_need_the_view_permission_and_a_submitted_application(
        self, client, applicant
    ):
        from django.contrib.auth.models import Permission

        form = make_form()
        draft = fill_sample(client, form)
        url = f"/applications/files/{ApplicationFile.objects.get().uuid}/"
        staff = make_user(kind="staff")
        client.force_login(staff)
        assert client.get(url).status_code == 404
        staff.user_permissions.add(Permission.objects.get(codename="view_application"))
        staff = type(staff).objects.get(pk=staff.pk)
        client.force_login(staff)
        assert client.get(url).status_code == 404  # drafts stay the applicant's
        client.force_login(applicant)
        client.post(review_url(draft))
        client.force_login(staff)
        assert client.get(url).status_code == 200


class TestLimitsAndKeys:
    def test_an_oversized_request_is_refused_before_parsing(
        self, client, applicant, settings
    ):
        settings.APPLICATION_MAX_REQUEST_SIZE = 1024
        form = make_form()
        application = start(client, form)
        response = client.post(
            step_url(application, 1), dict(STEP_ONE, full_name="长" * 2000)
        )
        assert response.status_code == 413
        application.refresh_from_db()
        assert application.furthest_step == 0

    def test_key_rotation_keeps_everything_readable(self, client, applicant, settings):
        from cryptography.fernet import Fernet
        from django.core.management import call_command

        from cms.core import crypto

        old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
        settings.DATA_ENCRYPTION_KEYS = [old]
        crypto._fernet.cache_clear()
        try:
            form = make_form()
            done = submitted(client, form)
            draft = fill_sample(client, form)
            settings.DATA_ENCRYPTION_KEYS = [new, old]
            crypto._fernet.cache_clear()
            call_command("rotate_data_keys", stdout=open("/dev/null", "w"))
            settings.DATA_ENCRYPTION_KEYS = [new]
            crypto._fernet.cache_clear()
            done.refresh_from_db()
            draft.refresh_from_db()
            assert crypto.decrypt(done.answers["id_number"]["cipher"]) == VALID_ID
            assert draft.get_draft_data()["full_name"] == ["张三"]
        finally:
            crypto._fernet.cache_clear()

    def test_tampered_ciphertext_is_detected(self):
        from cms.core import crypto

        token = crypto.encrypt("11010519491231002X")
        tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
        with pytest.raises(crypto.InvalidToken):
            crypto.decrypt(tampered)
