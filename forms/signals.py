"""Versions on publish, and no residual files (SECURITY.md F7)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import ApplicationFile, ApplicationFormPage


@receiver(page_published, sender=ApplicationFormPage)
def freeze_version(sender, instance, revision=None, **kwargs):
    """Publishing a changed form makes a new version; earlier ones stay as they were."""
    user = getattr(revision, "user", None) if revision else None
    instance.ensure_version(user)


@receiver(post_delete, sender=ApplicationFile)
def delete_blob(sender, instance, **kwargs):
    """Remove the stored file once the deletion has committed (never before)."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
