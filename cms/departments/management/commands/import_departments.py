"""Onboard a city's districts and departments from a CSV, XLSX or JSON file."""

from pathlib import Path

from django.utils.translation import gettext_lazy

from cms.core.import_command import ROW_RESULTS, TableImportCommand
from cms.departments.importing import UNIT_COLUMNS, UNIT_REQUIRED_COLUMNS, import_units


class Command(TableImportCommand):
    help = gettext_lazy(
        "Create districts and departments, with their module pages and groups, from a "
        "CSV, XLSX or JSON file with the columns name, kind (县区 or 部门), parent, and "
        "optionally short_name, phone, address, code. A district's row comes before its "
        "departments. Nothing is written if any row fails."
    )
    columns = UNIT_COLUMNS
    required_columns = UNIT_REQUIRED_COLUMNS

    def handle(
        self, *args, file: Path, dry_run: bool, verbosity: int, **options
    ) -> None:
        table = self.read(file)
        with self.progress(len(table.rows)) as bar:
            report = import_units(table, dry_run=dry_run, on_row=bar.update)

        for outcome in report.outcomes:
            if outcome.status == "failed":
                self.stderr.write(
                    self.row_line(outcome.row_number, outcome.name, outcome.message)
                )
            elif verbosity >= 2:
                self.stdout.write(
                    self.row_line(
                        outcome.row_number, outcome.name, ROW_RESULTS[outcome.status]
                    )
                )
        self.finish(
            created=report.count("created"),
            updated=report.count("updated"),
            unchanged=report.count("unchanged"),
            failed=report.count("failed"),
            dry_run=dry_run,
        )
