"""What every file importer's management command shares.

FILE and --dry-run, the fenced reader (cms/core/tabular.py), a progress bar, one
line per failed row, and the all-or-nothing summary: a file with any bad row writes
nothing and exits non-zero, so it is corrected and imported again.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.core.tabular import ImportFileError, Table, progress_bar, read_table


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
