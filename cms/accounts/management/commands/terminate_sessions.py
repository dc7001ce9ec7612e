"""Sign a person out everywhere (docs/security.md C2): e.g. a lost phone or a leaver."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from cms.accounts.models import User
from cms.core.identifiers import phone_key

DATABASE_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


class Command(BaseCommand):
    help = "Deletes every session of one user, named by user name or mobile number."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user", required=True, help="The user name or mobile number."
        )

    def handle(self, *args, user: str, **options) -> None:
        if settings.SESSION_ENGINE not in DATABASE_ENGINES:
            raise CommandError(
                f"Sessions live in {settings.SESSION_ENGINE}, which cannot be listed."
            )
        identifier = user.strip()
        users = list(
            User.objects.filter(
                Q(username=identifier) | Q(mobile=phone_key(identifier))
            )[:2]
        )
        if len(users) != 1:
            raise CommandError(
                f"No single user has the user name or mobile number {identifier!r}."
            )
        target = str(users[0].pk)
        # Session data is encoded, so each one is decoded to find its owner.
        doomed = [
            session.session_key
            for session in Session.objects.iterator()
            if session.get_decoded().get(SESSION_KEY) == target
        ]
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for session_key in doomed:
            # Through the store, so that a cached copy goes as well.
            store(session_key).delete()
        self.stdout.write(
            f"Deleted {len(doomed)} session(s) of {users[0].get_username()}."
        )
