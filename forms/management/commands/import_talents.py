"""Load an existing talent roster (人才库) from a CSV, XLSX or JSON file."""

from pathlib import Path

import tablib
from django.utils.translation import pgettext_lazy

from cms.core.import_command import TableImportCommand
from forms.resources_talents import (
    HELP,
    TALENT_COLUMNS,
    TALENT_REQUIRED_COLUMNS,
    TalentResource,
    describe_failures,
)

STATUS_LABELS = {
    "new": pgettext_lazy("import result", "created"),
    "update": pgettext_lazy("import result", "updated"),
    "skip": pgettext_lazy("import result", "unchanged"),
}


class Command(TableImportCommand):
    help = HELP
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
                # All or nothing (SECURITY.md H3).
                rollback_on_validation_errors=True,
            )

        if verbosity >= 2:
            for row_number, row_result in zip(row_numbers, result.rows, strict=False):
                if row_result.import_type in STATUS_LABELS:
                    self.stdout.write(
                        self.row_line(
                            row_number,
                            names[row_number],
                            STATUS_LABELS[row_result.import_type],
                        )
                    )
        failures = describe_failures(result, row_numbers)
        for row_number, reason in failures:
            if row_number is None:
                self.stderr.write(reason)
            else:
                self.stderr.write(
                    self.row_line(row_number, names.get(row_number), reason)
                )
        self.finish(
            created=result.totals["new"],
            updated=result.totals["update"],
            unchanged=result.totals["skip"],
            failed=result.totals["error"] + result.totals["invalid"],
            dry_run=dry_run,
            refused=bool(failures),
        )
