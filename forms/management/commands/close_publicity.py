"""End the publicity periods that are over (run daily, e.g. at 00:30)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms.publicity.batches import close_due_batches


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # lazy: translated when --help prints it
        "For every published publicity batch whose last day has passed: complete "
        "the applications that no open or upheld objection holds, and take the "
        "batch's page down. Safe to run again: it only does what is left."
    )

    def handle(self, *args, **options) -> None:
        report = close_due_batches()
        for batch in report.closed:
            self.stdout.write(_("Taken down: %(title)s") % {"title": batch.title})
        self.stdout.write(
            _(
                "%(closed)d batch(es) taken down, %(completed)d application(s) "
                "completed, %(held)d held by objections."
            )
            % {
                "closed": len(report.closed),
                "completed": report.completed,
                "held": report.held,
            }
        )
