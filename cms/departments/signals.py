"""Creating a department or district sets up its module, groups and workflow."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import copy_for_translation_done

from .models import Department, District
from .permissions import provision_translation, provision_unit


@receiver(post_save, sender=Department, dispatch_uid="provision_department")
@receiver(post_save, sender=District, dispatch_uid="provision_district")
def provision_new_unit(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        provision_unit(instance)


copy_for_translation_done.connect(
    provision_translation, dispatch_uid="provision_module_translation"
)
