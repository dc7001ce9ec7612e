"""`manage.py load_demo`: build the demo city (cms/demo) on a migrated database.

Safe to run again: it only adds what is missing.
"""

import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.demo.loader import load_demo


def _display_width(text: str) -> int:
    """Chinese characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _display_width(text))


def format_accounts_table(accounts: list[dict]) -> list[str]:
    """Aligned columns, so the table reads in a terminal even with Chinese roles."""
    headers = {
        "username": "User name",
        "role": "Role",
        "mobile": "Mobile",
        "password": "Password",
    }
    columns = list(headers)
    widths = {
        column: max(_display_width(str(row[column])) for row in [headers, *accounts])
        for column in columns
    }
    lines = []
    for index, row in enumerate([headers, *accounts]):
        lines.append(
            "  ".join(
                _pad(str(row[column]), widths[column]) for column in columns
            ).rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * widths[column] for column in columns))
    return lines


class Command(BaseCommand):
    help = (
        "Load the demo city: districts, departments, service guides, policies, news "
        "and one account per role. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Print nothing (same as --verbosity 0).",
        )

    def handle(self, *args, quiet: bool = False, verbosity: int = 1, **options):
        if not settings.DEMO_ENABLED:
            # The demo creates a superuser whose password is published in README.
            raise CommandError(
                "The demo city is disabled in these settings (DEMO_ENABLED is off): "
                "never load it into production."
            )
        quiet = quiet or verbosity == 0
        write = None if quiet else self.stdout.write
        if write:
            write("Loading the demo city…")
        progress, accounts = load_demo(write=write)
        if quiet:
            return
        if progress.total_created:
            self.stdout.write(
                self.style.SUCCESS(f"Created {progress.total_created} records.")
            )
        else:
            self.stdout.write(self.style.SUCCESS("The demo city was already complete."))
        self.stdout.write(
            "\nDemo accounts (sign in with the user name or the mobile number):"
        )
        for line in format_accounts_table(accounts):
            self.stdout.write("  " + line)
