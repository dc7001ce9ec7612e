"""Onboard a city's districts and departments from a CSV, XLSX or JSON file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.core.tabular import ImportFileError, progress_bar, read_table
from cms.departments.importing import (
    UNIT_COLUMNS,
    UNIT_REQUIRED_COLUMNS,
    import_units,
)

STATUS_LABELS = {
    "created": gettext_lazy("created"),
    "updated": gettext_lazy("updated"),
    "unchanged": gettext_lazy("unchanged"),
}


class Command(BaseCommand):
    help = gettext_lazy(
        "Create districts and departments, with their module pages and groups, from a "
        "CSV, XLSX or JSON file with the columns name, kind (县区 or 部门), parent, and "
        "optionally short_name, phone, address, code. A district's row comes before its "
        "departments. Nothing is written if any row fails."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help=gettext_lazy("The file to import."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Check every row and report, but write nothing."),
        )

    def handle(
        self, *args, file: Path, dry_run: bool, verbosity: int, **options
    ) -> None:
        try:
            table = read_table(file, UNIT_COLUMNS, UNIT_REQUIRED_COLUMNS)
        except ImportFileError as error:
            raise CommandError(str(error)) from error

        # The underlying stream: Django's OutputWrapper appends a newline to every
        # write, which would break the bar's carriage-return redraws.
        with progress_bar(
            len(table.rows), getattr(self.stderr, "_out", self.stderr)
        ) as bar:
            report = import_units(table, dry_run=dry_run, on_row=bar.update)

        for outcome in report.outcomes:
            if outcome.status == "failed":
                self.stderr.write(
                    _("Row %(row)d (%(name)s): %(reason)s")
                    % {
                        "row": outcome.row_number,
                        "name": outcome.name or "-",
                        "reason": outcome.message,
                    }
                )
            elif verbosity >= 2:
                self.stdout.write(
                    _("Row %(row)d (%(name)s): %(status)s")
                    % {
                        "row": outcome.row_number,
                        "name": outcome.name,
                        "status": STATUS_LABELS[outcome.status],
                    }
                )

        summary = _(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(failed)d failed."
        ) % {
            "created": report.count("created"),
            "updated": report.count("updated"),
            "unchanged": report.count("unchanged"),
            "failed": report.count("failed"),
        }
        if report.failures:
            raise CommandError(
                _(
                    "%(summary)s Nothing was written: correct the rows above and import again."
                )
                % {"summary": summary}
            )
        if dry_run:
            self.stdout.write(
                _("Dry run: %(summary)s Nothing was written.") % {"summary": summary}
            )
        else:
            self.stdout.write(self.style.SUCCESS(summary))
