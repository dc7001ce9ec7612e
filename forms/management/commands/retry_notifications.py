"""python manage.py retry_notifications [--limit N] [--dry-run]

Run every few minutes from cron. First notifies the case events whose
notification never ran (the process died, or lost its database connection,
right after the action committed) and sends their e-mails and SMS; then sends
the notification e-mails and SMS whose next attempt is due: failed ones after
their backoff, and pending ones that no worker sent (a lost task). A delivery is tried at most NOTIFICATION_MAX_ATTEMPTS
times (5); after that it stays in the admin's delivery list as failed.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms.models import PendingNotification
from forms.notifications.dispatch import due_deliveries, notify_pending, retry_due


class Command(BaseCommand):
    help = gettext_lazy("Send the notification e-mails and SMS whose retry is due.")  # type: ignore[assignment]  # lazy: translated when --help prints it

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--limit",
            type=int,
            default=None,
            help=gettext_lazy("Send at most this many."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Count what is due, send nothing."),
        )

    def handle(self, limit=None, dry_run=False, **options) -> None:
        if dry_run:
            self.stdout.write(
                _("Dry run: %(events)d events to notify, %(count)d deliveries are due.")
                % {
                    "events": PendingNotification.objects.count(),
                    "count": due_deliveries().count(),
                }
            )
            return
        counts = notify_pending(limit=limit)
        for key, n in retry_due(limit=limit).items():
            counts[key] = counts.get(key, 0) + n
        self.stdout.write(
            _(
                "%(events)d events notified, %(sent)d sent, %(failed)d failed "
                "again, %(other)d skipped."
            )
            % {
                "events": counts.get("notified", 0),
                "sent": counts.get("sent", 0),
                "failed": counts.get("failed", 0),
                "other": sum(
                    n
                    for key, n in counts.items()
                    if key not in ("notified", "sent", "failed")
                ),
            }
        )
