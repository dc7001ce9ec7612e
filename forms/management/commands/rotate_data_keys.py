"""Re-encrypt personal data under the newest of DATA_ENCRYPTION_KEYS (G2).

Rotation: put a new key first in DATA_ENCRYPTION_KEYS (keep the old one after it),
deploy, run this command, then remove the old key.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from cms.accounts.models import User
from cms.core import crypto
from forms.models import Application


def _rotate_value(value):
    """Rotate every sealed ID inside an answers structure."""
    if isinstance(value, dict):
        if "cipher" in value:
            return {**value, "cipher": crypto.rotate(value["cipher"])}
        return {key: _rotate_value(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_rotate_value(inner) for inner in value]
    return value


class Command(BaseCommand):
    help = (
        "Re-encrypt drafts, sealed ID numbers and accounts' identity documents "
        "under the newest encryption key."
    )

    def handle(self, *args, **options):
        count = 0
        ids = Application.objects.values_list("pk", flat=True).iterator()
        for pk in ids:
            with transaction.atomic():
                application = Application.objects.select_for_update().get(pk=pk)
                if application.draft_data:
                    application.draft_data = crypto.rotate(application.draft_data)
                application.answers = _rotate_value(application.answers)
                application.save(update_fields=["draft_data", "answers"])
            count += 1
        self.stdout.write(f"{count} applications re-encrypted.")
        accounts = 0
        for pk in User.objects.exclude(id_cipher="").values_list("pk", flat=True):
            with transaction.atomic():
                user = User.objects.select_for_update().get(pk=pk)
                user.id_cipher = crypto.rotate(user.id_cipher)
                user.save(update_fields=["id_cipher"])
            accounts += 1
        self.stdout.write(f"{accounts} accounts' identity documents re-encrypted.")
