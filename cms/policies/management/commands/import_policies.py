"""Load policy documents from a CSV, XLSX or JSON file as published policy pages."""

from pathlib import Path

from django.utils.translation import gettext_lazy

from cms.core.import_command import TableImportCommand
from cms.policies.resources import (
    POLICY_COLUMNS,
    POLICY_REQUIRED_COLUMNS,
    describe_failures,
    import_table,
)


class Command(TableImportCommand):
    help = gettext_lazy(
        "Create or update published policies from a CSV, XLSX or JSON file with the "
        "columns title, department, document_number, issued_on (YYYY-MM-DD), category, "
        "body, and optionally status, tiers, slug, effective_from, effective_until, "
        "superseded_by, summary, guides and body_format (see docs/content.md). "
        "The departments must exist already. "
        "Nothing is written if any row fails."
    )
    columns = POLICY_COLUMNS
    required_columns = POLICY_REQUIRED_COLUMNS

    def handle(
        self, *args, file: Path, dry_run: bool, verbosity: int, **options
    ) -> None:
        table = self.read(file)
        row_numbers = [number for number, _row in table.rows]
        titles = {number: row.get("title", "") for number, row in table.rows}

        with self.progress(len(table.rows)) as bar:
            result = import_table(table, dry_run=dry_run, on_row=bar.update)

        self.report_import(
            result,
            row_numbers,
            titles,
            describe_failures(result, row_numbers),
            dry_run=dry_run,
            verbosity=verbosity,
        )
