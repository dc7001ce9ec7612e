"""python manage.py import_form form.json [--parent URL_PATH_OR_ID]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms.builder.form_files import MAX_FILE_BYTES, FormFileError, import_form, loads


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # lazy: translated when --help prints it
        "Create an application form from a JSON form file, or publish a new "
        "version of the form with the same slug under the same parent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help=gettext_lazy("The form file."))
        parser.add_argument(
            "--parent",
            help=gettext_lazy(
                "URL path (e.g. /home/renshe/guide/) or ID of the parent page; "
                "default: the parent recorded in the file."
            ),
        )

    def handle(self, file: Path, parent=None, **options) -> None:
        if not file.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": file})
        if file.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(_("The file is too large (at most 2 MB)."))
        try:
            data = loads(file.read_bytes())
            page, created = import_form(data, parent=parent)
        except FormFileError as error:
            lines = "\n".join(f"- {reason}" for reason in error.errors)
            raise CommandError(
                _("The form file was refused:\n%(reasons)s") % {"reasons": lines}
            ) from error
        message = _("Created") if created else _("Updated")
        self.stdout.write(
            _("%(action)s '%(title)s' at %(path)s, version %(version)s.")
            % {
                "action": message,
                "title": page.title,
                "path": page.url_path,
                "version": page.latest_version().number,
            }
        )
