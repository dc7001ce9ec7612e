"""Load policy documents from a CSV, XLSX or JSON file as published policy pages."""

from pathlib import Path

import tablib
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.core.tabular import ImportFileError, progress_bar, read_table
from cms.policies.resources import (
    POLICY_COLUMNS,
    POLICY_REQUIRED_COLUMNS,
    PolicyResource,
    describe_failures,
)

STATUS_LABELS = {
    "new": gettext_lazy("created"),
    "update": gettext_lazy("updated"),
    "skip": gettext_lazy("unchanged"),
}


class Command(BaseCommand):
    help = gettext_lazy(
        "Create or update published policies from a CSV, XLSX or JSON file with the "
        "columns title, department, document_number, issued_on (YYYY-MM-DD), category, "
        "body, and optionally status and tiers. The departments must exist already. "
        "Nothing is written if any row fails."
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
            table = read_table(file, POLICY_COLUMNS, POLICY_REQUIRED_COLUMNS)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        dataset = tablib.Dataset(headers=table.columns)
        for _number, row in table.rows:
            dataset.append([row.get(column, "") for column in table.columns])
        row_numbers = [number for number, _row in table.rows]
        titles = {number: row.get("title", "") for number, row in table.rows}

        # The underlying stream: Django's OutputWrapper appends a newline to every
        # write, which would break the bar's carriage-return redraws.
        with progress_bar(
            len(table.rows), getattr(self.stderr, "_out", self.stderr)
        ) as bar:
            result = PolicyResource(on_row=bar.update).import_data(
                dataset,
                dry_run=dry_run,
                use_transactions=True,
                # All or nothing (SECURITY.md H3): a file is corrected and imported
                # again, never left half-applied.
                rollback_on_validation_errors=True,
            )

        if verbosity >= 2:
            for row_number, row_result in zip(row_numbers, result.rows, strict=False):
                if row_result.import_type in STATUS_LABELS:
                    self.stdout.write(
                        _("Row %(row)d (%(title)s): %(status)s")
                        % {
                            "row": row_number,
                            "title": titles[row_number],
                            "status": STATUS_LABELS[row_result.import_type],
                        }
                    )
        failures = describe_failures(result, row_numbers)
        for row_number, reason in failures:
            if row_number is None:
                self.stderr.write(reason)
            else:
                self.stderr.write(
                    _("Row %(row)d (%(title)s): %(reason)s")
                    % {
                        "row": row_number,
                        "title": titles.get(row_number) or "-",
                        "reason": reason,
                    }
                )
        summary = _(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(failed)d failed."
        ) % {
            "created": result.totals["new"],
            "updated": result.totals["update"],
            "unchanged": result.totals["skip"],
            "failed": result.totals["error"] + result.totals["invalid"],
        }
        if failures:
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
