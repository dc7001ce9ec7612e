"""Versions on publish, and no residual files (docs/security.md F7)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver
from wagtail.models import Page, TaskState
from wagtail.signals import page_published

from forms.builder.admin_views import can_build_forms
from forms.models import ApplicationFile, ApplicationFormPage


@receiver(page_published, sender=ApplicationFormPage)
def freeze_version(sender, instance, revision=None, **kwargs):
    """Publishing a changed form makes a new version; earlier ones stay as they were."""
    user = getattr(revision, "user", None) if revision else None
    instance.ensure_version(user)


@receiver(pre_save, sender=TaskState)
def guard_form_review(sender, instance, **kwargs):
    """Approving or rejecting a form in a moderation workflow needs the form
    builder's right. Approval's publish asks the page tester, a rejection asks
    nothing: refused here, inside the task's transaction, both are undone."""
    decided = (TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED)
    user = instance.finished_by
    if instance.status not in decided or user is None or instance.pk is None:
        return
    if not TaskState.objects.filter(
        pk=instance.pk, status=TaskState.STATUS_IN_PROGRESS
    ).exists():
        return  # not this save's decision
    state = instance.workflow_state
    if state.base_content_type_id != ContentType.objects.get_for_model(Page).pk:
        return  # a snippet's workflow
    page = Page.objects.filter(pk=state.object_id).only("content_type").first()
    if (
        page is not None
        and issubclass(page.specific_class or Page, ApplicationFormPage)
        and not can_build_forms(user)
    ):
        raise PermissionDenied


@receiver(post_delete, sender=ApplicationFile)
def delete_blob(sender, instance, **kwargs):
    """Remove the stored file once the deletion has committed (never before)."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
