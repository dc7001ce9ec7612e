"""Load policy documents from a CSV, XLSX or JSON file as published policy pages."""

from pathlib import Path

import tablib
from django.utils.translation import gettext_lazy

from cms.core.import_command import TableImportCommand
from cms.policies.resources import (
    POLICY_COLUMNS,
    POLICY_REQUIRED_COLUMNS,
    PolicyResource,
    describe_failures,
)


class Command(TableImportCommand):
    help = gettext_lazy(
        "Create or update published policies from a CSV, XLSX or JSON file with the "
        "columns title, department, document_number, issued_on (YYYY-MM-DD), category, "
        "body, and optionally status and tiers. The departments must exist already. "
        "Nothing is written if any row fails."
    )
    columns = POLICY_COLUMNS
    required_columns = POLICY_REQUIRED_COLUMNS

    def handle(
        self, *args, file: Path, dry_run: bool, verbosity: int, **options
    ) -> None:
        table = self.read(file)
        dataset = tablib.Dataset(headers=table.columns)
        for _number, row in table.rows:
            dataset.append([row.get(column, "") for column in table.columns])
        row_numbers = [number for number, _row in table.rows]
        titles = {number: row.get("title", "") for number, row in table.rows}

        with self.progress(len(table.rows)) as bar:
            result = PolicyResource(on_row=bar.update).import_data(
                dataset,
                dry_run=dry_run,
                use_transactions=True,
                # All or nothing (docs/security.md H3): a file is corrected and imported
                # again, never left half-applied.
                rollback_on_validation_errors=True,
            )

        self.report_import(
            result,
            row_numbers,
            titles,
            describe_failures(result, row_numbers),
            dry_run=dry_run,
            verbosity=verbosity,
        )
