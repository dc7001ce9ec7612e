"""python manage.py send_digest [--date YYYY-MM-DD] [--any-day]

Run every morning from cron. E-mails each staff member the cases at steps they
handle (or follow as case officer): new since the last working day, due within
two working days, and overdue, as counts and receipt numbers (no personal
data). Staff with nothing get nothing; non-working days are skipped unless
--any-day; a second run on the same day sends nothing twice.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.core.workdays import is_working_day
from forms.notifications.digest import send_digests


class Command(BaseCommand):
    help = gettext_lazy("E-mail staff their daily digest of new, due and late cases.")  # type: ignore[assignment]  # lazy: translated when --help prints it

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date",
            default=None,
            help=gettext_lazy("The day of the digest, YYYY-MM-DD (default: today)."),
        )
        parser.add_argument(
            "--any-day",
            action="store_true",
            help=gettext_lazy("Send even on a weekend or public holiday."),
        )

    def handle(self, date=None, any_day=False, **options) -> None:
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(_("--date must be YYYY-MM-DD.")) from error
        if not any_day and not is_working_day(today):
            self.stdout.write(_("Not a working day: no digest sent."))
            return
        count = send_digests(today)
        self.stdout.write(_("%(count)d digests sent.") % {"count": count})
