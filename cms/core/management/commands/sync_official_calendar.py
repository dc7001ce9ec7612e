"""Bring the State Council's holidays in the calendar up to the installed
chinesecalendar package (after upgrading it, each November or December)."""

from django.core.management.base import BaseCommand

from cms.core import official_calendar


class Command(BaseCommand):
    help = (
        "Add and update the official holidays and make-up working days from the "
        "chinesecalendar package. The city's own days are never changed. Deadlines "
        "in flight that counted a day that becomes a holiday move one working day "
        "later."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report, write nothing."
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        counts = official_calendar.sync(dry_run=dry_run)
        years = official_calendar.known_years()
        self.stdout.write(
            f"chinesecalendar knows {years[0]}-{years[-1]}: "
            f"{counts['created']} created, {counts['updated']} updated, "
            f"{counts['deleted']} deleted, {counts['kept_local']} kept as the city "
            "set them" + (" (dry run: nothing written)" if dry_run else "")
        )
