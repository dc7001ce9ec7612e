"""python manage.py purge_drafts [--days N] [--dry-run]

Run daily (docs/security.md F7 and R6). Idempotent: a second run finds
nothing to do.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms.models import Application, ApplicationFile, ApplicationStatus, AuditEvent

# Blobs under this folder belong to ApplicationFile rows (forms.models).
FOLDER = "applications"


def _walk(storage, folder: str):
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def orphan_blobs(storage, older_than) -> list[str]:
    """Stored files that no ApplicationFile references, last written before
    ``older_than`` (younger ones may belong to a transaction still running)."""
    if not storage.exists(FOLDER):
        return []
    known = set(ApplicationFile.objects.values_list("file", flat=True))
    return [
        name
        for name in _walk(storage, FOLDER)
        if name not in known and storage.get_modified_time(name) < older_than
    ]


def remove_empty_folders(storage, older_than) -> None:
    """Drop the empty per-application folders a purge leaves (local storage only);
    recent ones are left alone, an upload may be about to write into them."""
    try:
        root = Path(storage.path(FOLDER))
    except NotImplementedError:
        return  # object storage has no folders
    for folder in root.glob("*/"):
        modified = datetime.fromtimestamp(folder.stat().st_mtime, tz=UTC)
        if modified < older_than and not any(folder.iterdir()):
            folder.rmdir()


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # lazy: translated when --help prints it
        "Delete drafts untouched for the retention period, with their files, and "
        "stored files that no application refers to."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=gettext_lazy(
                "Delete drafts not updated for this many days (default: "
                "APPLICATION_DRAFT_RETENTION_DAYS)."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Count what would be deleted, delete nothing."),
        )

    def handle(self, days=None, dry_run=False, **options) -> None:
        if days is None:
            days = settings.APPLICATION_DRAFT_RETENTION_DAYS
        if days < 1:
            raise CommandError(_("--days must be at least 1."))
        now = timezone.now()
        storage = ApplicationFile._meta.get_field("file").storage
        drafts = Application.objects.filter(
            status=ApplicationStatus.DRAFT, updated_at__lt=now - timedelta(days=days)
        )
        deleted_drafts = deleted_files = kept = 0
        for draft in drafts.iterator():
            files = draft.files.count()
            if dry_run:
                deleted_drafts, deleted_files = (
                    deleted_drafts + 1,
                    deleted_files + files,
                )
                continue
            try:
                # One transaction per draft: its blobs go once its rows are gone
                # (forms.signals.delete_blob runs on commit).
                with transaction.atomic():
                    Application.objects.select_for_update().filter(
                        pk=draft.pk,
                        status=ApplicationStatus.DRAFT,
                        updated_at__lt=now - timedelta(days=days),
                    ).get().delete()
            except Application.DoesNotExist:
                continue  # submitted or resumed meanwhile
            except ProtectedError:
                kept += 1  # audit events refer to it: never deleted silently
                continue
            deleted_drafts, deleted_files = deleted_drafts + 1, deleted_files + files

        ttl = settings.APPLICATION_ORPHAN_FILE_HOURS
        orphans = orphan_blobs(storage, now - timedelta(hours=ttl))
        if not dry_run:
            for name in orphans:
                storage.delete(name)
            remove_empty_folders(storage, now - timedelta(hours=ttl))
            if deleted_drafts or orphans:
                AuditEvent.record(
                    "purge_drafts",
                    drafts=deleted_drafts,
                    files=deleted_files,
                    orphans=len(orphans),
                    days=days,
                )

        summary = _(
            "%(drafts)d drafts and %(files)d of their files deleted, %(orphans)d "
            "orphan files removed, %(kept)d drafts kept (audited)."
        )
        if dry_run:
            summary = _(
                "Dry run: %(drafts)d drafts and %(files)d of their files, %(orphans)d "
                "orphan files would be deleted. Nothing was deleted."
            )
        self.stdout.write(
            summary
            % {
                "drafts": deleted_drafts,
                "files": deleted_files,
                "orphans": len(orphans),
                "kept": kept,
            }
        )
