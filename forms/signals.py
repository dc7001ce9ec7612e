"""Versions on publish, and no residual files (SECURITY.md F7)."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import ApplicationFile, ApplicationFormPage
from .rights import grant_open_cases


@receiver(page_published, sender=ApplicationFormPage)
def freeze_version(sender, instance, revision=None, **kwargs):
    """Publishing a changed form makes a new version; earlier ones stay as they were."""
    user = getattr(revision, "user", None) if revision else None
    instance.ensure_version(user)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def grant_unit_cases(sender, instance, update_fields=None, **kwargs):
    """Staff who join a department or district see the cases it holds now."""
    unit_fields = {"kind", "department", "district", "is_active"}
    if update_fields is not None and not unit_fields & set(update_fields):
        return  # e.g. last_login on every sign-in
    grant_open_cases(instance)


@receiver(post_delete, sender=ApplicationFile)
def delete_blob(sender, instance, **kwargs):
    """Remove the stored file once the deletion has committed (never before)."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
