"""python manage.py search_rebuild: index every public document again."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from search.analysis import reload_dictionary
from search.documents import count_all_documents, iter_all_documents
from search.engines import get_engine
from search.engines.base import RebuildInProgress


class Command(BaseCommand):
    help = "Rebuild the search index of the configured engine (SEARCH_ENGINE)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args, **options):
        reload_dictionary()  # the newest terms and synonyms from the admin
        engine = get_engine()
        total = count_all_documents()
        started = time.monotonic()
        bar = tqdm(
            total=total,
            file=getattr(self.stderr, "_out", self.stderr),
            unit=_("documents"),
            disable=options["no_progress"],
        )
        done = [0]

        def progress(count: int) -> None:
            bar.update(count - done[0])
            done[0] = count

        try:
            with bar:
                indexed = engine.rebuild(
                    iter_all_documents(), total=total, progress=progress
                )
        except RebuildInProgress as running:
            raise CommandError(str(running)) from running
        self.stdout.write(
            _(
                "Indexed %(count)d documents with the %(engine)s engine in %(seconds).1f s."
            )
            % {
                "count": indexed,
                "engine": getattr(settings, "SEARCH_ENGINE", "database"),
                "seconds": time.monotonic() - started,
            }
        )
