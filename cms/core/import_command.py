"""What every file importer's management command shares.

FILE and --dry-run, the fenced reader (cms/core/tabular.py), a progress bar, one
line per failed row, and the all-or-nothing summary: a file with any bad row writes
nothing and exits non-zero, so it is corrected and imported again.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cms.core.tabular import ImportFileError, Table, progress_bar, read_table

# What happened to a row, in the words of our importers; django-import-export
# calls the same outcomes new, update and skip.
ROW_RESULTS = {
    "created": pgettext_lazy("import result", "created"),
    "updated": pgettext_lazy("import result", "updated"),
    "unchanged": pgettext_lazy("import result", "unchanged"),
}
IMPORT_EXPORT_RESULTS = {"new": "created", "update": "updated", "skip": "unchanged"}


class TableImportCommand(BaseCommand):
    columns: dict[str, tuple[str, ...]]
    required_columns: tuple[str, ...]

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help=gettext_lazy("The file to import."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Check every row and report, but write nothing."),
        )

    def read(self, file: Path) -> Table:
        try:
            return read_table(file, self.columns, self.required_columns)
        except ImportFileError as error:
            raise CommandError(str(error)) from error

    def progress(self, total: int):
        # The underlying stream: Django's OutputWrapper appends a newline to every
        # write, which would break the bar's carriage-return redraws.
        return progress_bar(total, getattr(self.stderr, "_out", self.stderr))

    def row_line(self, row_number: int, name: str, text) -> str:
        return _("Row %(row)d (%(name)s): %(reason)s") % {
            "row": row_number,
            "name": name or "-",
            "reason": text,
        }

    def report_import(
        self, result, row_numbers, names, failures, *, dry_run: bool, verbosity: int
    ) -> None:
        """Lines and summary of a django-import-export Result: each row's outcome
        (verbosity 2), each failure by file row number, then finish()."""
        if verbosity >= 2:
            for row_number, row_result in zip(row_numbers, result.rows, strict=False):
                outcome = IMPORT_EXPORT_RESULTS.get(row_result.import_type)
                if outcome:
                    self.stdout.write(
                        self.row_line(
                            row_number, names[row_number], ROW_RESULTS[outcome]
                        )
                    )
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

    def finish(
        self,
        *,
        created: int,
        updated: int,
        unchanged: int,
        failed: int,
        dry_run: bool,
        refused: bool | None = None,
    ) -> None:
        """Prints the summary, or refuses the whole file if any row failed (or, with
        `refused`, if anything else did, such as an error outside the rows)."""
        summary = _(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(failed)d failed."
        ) % {
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "failed": failed,
        }
        if refused is None:
            refused = failed > 0
        if refused:
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
