"""python manage.py export_form SLUG > form.json"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms.builder.form_files import dumps, export_form, resolve_parent
from forms.models import ApplicationFormPage


class Command(BaseCommand):
    help = gettext_lazy("Write an application form as a JSON form file to stdout.")  # type: ignore[assignment]  # lazy: translated when --help prints it

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help=gettext_lazy("The form page's slug."))
        parser.add_argument(
            "--parent",
            help=gettext_lazy(
                "URL path or ID of the parent page, when several forms share the slug."
            ),
        )

    def handle(self, slug, parent=None, **options) -> None:
        pages = ApplicationFormPage.objects.filter(slug=slug)
        if parent:
            parent_page = resolve_parent(parent)
            if parent_page is None:
                raise CommandError(_("The parent page was not found."))
            pages = pages.child_of(parent_page)
        found = list(pages[:2])
        if not found:
            raise CommandError(_("No application form has the slug '%s'.") % slug)
        if len(found) > 1:
            raise CommandError(
                _("Several forms have the slug '%s': choose one with --parent.") % slug
            )
        # Written as text: the OutputWrapper encodes for the terminal or the pipe.
        self.stdout.write(dumps(export_form(found[0])), ending="")
