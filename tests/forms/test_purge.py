"""purge_drafts: old drafts go with their files, orphan blobs are swept
(docs/security.md F7, R6), with real files in private storage."""

import io
import os
import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation

from forms.models import Application, AuditEvent
from tests.forms.admin_helpers import (
    attach_file,
    make_form,
    start_draft,
    submit_application,
)

pytestmark = pytest.mark.django_db


def purge(capture, *args) -> str:
    out = io.StringIO()
    with translation.override("en"), capture(execute=True):
        call_command("purge_drafts", *args, stdout=out)
    return out.getvalue()


def age(application, days: int) -> None:
    Application.objects.filter(pk=application.pk).update(
        updated_at=timezone.now() - timedelta(days=days)
    )


def blob(stored) -> Path:
    return Path(stored.file.path)


def orphan(hours_old: float, name: str | None = None) -> Path:
    path = (
        Path(settings.PRIVATE_MEDIA_ROOT)
        / "applications"
        / uuid.uuid4().hex
        / (name or f"{uuid.uuid4().hex}.pdf")
    )
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF-1.4 orphan")
    stamp = time.time() - hours_old * 3600
    os.utime(path, (stamp, stamp))
    return path


@pytest.fixture(autouse=True)
def _only_this_tests_blobs():
    """Blobs that earlier tests left behind (their rows rolled back) are
    orphans too, written at the disk's real time: whether they are old enough
    to sweep would depend on the order and the clock the tests run at."""
    shutil.rmtree(
        Path(settings.PRIVATE_MEDIA_ROOT) / "applications", ignore_errors=True
    )


@pytest.fixture
def form():
    return make_form()


def test_old_drafts_are_deleted_with_their_files(
    form, django_capture_on_commit_callbacks
):
    old = start_draft(form)
    old_file = attach_file(old)
    age(old, 31)
    fresh = start_draft(form)
    fresh_file = attach_file(fresh)
    submitted = submit_application(form, with_file=True)
    age(submitted, 400)
    assert blob(old_file).exists()

    out = purge(django_capture_on_commit_callbacks)

    assert "1 drafts and 1 of their files deleted" in out
    assert not Application.objects.filter(pk=old.pk).exists()
    assert not blob(old_file).exists()
    assert blob(fresh_file).exists()
    assert Application.objects.filter(pk=submitted.pk).exists()
    assert blob(submitted.files.get()).exists()
    event = AuditEvent.objects.get(action="purge_drafts")
    assert event.detail["drafts"] == 1 and event.detail["files"] == 1


def test_days_option_overrides_the_retention_setting(
    form, django_capture_on_commit_callbacks
):
    draft = start_draft(form)
    age(draft, 10)
    purge(django_capture_on_commit_callbacks)
    assert Application.objects.filter(pk=draft.pk).exists()
    purge(django_capture_on_commit_callbacks, "--days", "7")
    assert not Application.objects.filter(pk=draft.pk).exists()


def test_dry_run_deletes_nothing(form, django_capture_on_commit_callbacks):
    draft = start_draft(form)
    stored = attach_file(draft)
    age(draft, 31)
    stray = orphan(hours_old=30)
    out = purge(django_capture_on_commit_callbacks, "--dry-run")
    assert out.startswith("Dry run: 1 drafts and 1 of their files, 1 orphan")
    assert Application.objects.filter(pk=draft.pk).exists()
    assert blob(stored).exists() and stray.exists()
    assert not AuditEvent.objects.filter(action="purge_drafts").exists()
    stray.unlink()


def test_orphan_blobs_older_than_a_day_are_swept(
    form, django_capture_on_commit_callbacks
):
    stale, recent = orphan(hours_old=25), orphan(hours_old=1)
    kept = attach_file(submit_application(form))
    os.utime(blob(kept), (time.time() - 90 * 86400,) * 2)  # old but referenced

    out = purge(django_capture_on_commit_callbacks)

    assert "1 orphan files removed" in out
    assert not stale.exists()
    assert recent.exists() and blob(kept).exists()
    recent.unlink()


def test_a_second_run_is_a_no_op(form, django_capture_on_commit_callbacks):
    draft = start_draft(form)
    attach_file(draft)
    age(draft, 31)
    stray = orphan(hours_old=48)
    purge(django_capture_on_commit_callbacks)
    assert not stray.exists()
    events = AuditEvent.objects.count()
    out = purge(django_capture_on_commit_callbacks)
    assert out.startswith("0 drafts and 0 of their files deleted, 0 orphan")
    assert AuditEvent.objects.count() == events


def test_a_draft_with_audit_events_is_kept(form, django_capture_on_commit_callbacks):
    draft = start_draft(form)
    AuditEvent.record("pii_reveal", application=draft)
    age(draft, 31)
    out = purge(django_capture_on_commit_callbacks)
    assert "1 drafts kept" in out
    assert Application.objects.filter(pk=draft.pk).exists()
