"""Load an existing talent roster (人才库) from a CSV, XLSX or JSON file."""

from pathlib import Path

import tablib

from cms.core.import_command import TableImportCommand
from forms.talents.resources import (
    HELP,
    TALENT_COLUMNS,
    TALENT_REQUIRED_COLUMNS,
    TalentResource,
    describe_failures,
)


class Command(TableImportCommand):
    help = HELP  # type: ignore[assignment]  # lazy: translated when --help prints it
    columns = TALENT_COLUMNS
    required_columns = TALENT_REQUIRED_COLUMNS

    def handle(
        self, *args, file: Path, dry_run: bool, verbosity: int, **options
    ) -> None:
        table = self.read(file)
        dataset = tablib.Dataset(headers=table.columns)
        for _number, row in table.rows:
            dataset.append([row.get(column, "") for column in table.columns])
        row_numbers = [number for number, _row in table.rows]
        # Rows are named by the person's name only: the ID number never appears.
        names = {number: row.get("name", "") for number, row in table.rows}

        with self.progress(len(table.rows)) as bar:
            result = TalentResource(
                on_row=bar.update, file_rows=row_numbers
            ).import_data(
                dataset,
                dry_run=dry_run,
                use_transactions=True,
                # All or nothing (docs/security.md H3).
                rollback_on_validation_errors=True,
            )

        self.report_import(
            result,
            row_numbers,
            names,
            describe_failures(result, row_numbers),
            dry_run=dry_run,
            verbosity=verbosity,
        )
