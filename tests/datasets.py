"""Data built once and read by many tests: a module's dataset, and the demo city
loaded once per test session (per xdist worker).

Both live inside a transaction that is rolled back when they are done with, and
each test that uses them runs in its own savepoint inside it (pytest-django's
`db`), so what a test writes goes with it and the next test reads the data as
built. What a test must not do is change the Python objects it was handed.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

# The session fixture of tests/conftest.py; tests that use the shared demo (through
# `demo` or a module fixture) have it among their fixtures.
SHARED_DEMO_FIXTURE = "demo_city"


@contextmanager
def rolled_back(django_db_blocker):
    """Database access for a fixture wider than one test, in a transaction that
    is rolled back when the fixture ends.

        @pytest.fixture(scope="module")
        def world(django_db_setup, django_db_blocker):
            with rolled_back(django_db_blocker):
                yield build_world()
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def fresh(instance):
    """The row of `instance` read again: a test that changes the objects it is
    given changes its own copies, never the module's."""
    return type(instance)._default_manager.get(pk=instance.pk)


def fresh_copy(namespace: SimpleNamespace) -> SimpleNamespace:
    """A module's dataset for one test: its rows (also those in a dict) read
    again, in a namespace of the test's own."""

    def again(value):
        if isinstance(value, models.Model):
            return fresh(value)
        if isinstance(value, dict):
            return {key: again(item) for key, item in value.items()}
        return value

    return SimpleNamespace(
        **{name: again(value) for name, value in vars(namespace).items()}
    )


def early_this_morning() -> datetime.datetime:
    """00:30 China time today (yesterday's if that is yet to come): the hour at
    which a case started "today" could be given a submission time later on."""
    now = timezone.localtime()
    moment = now.replace(hour=0, minute=30, second=0, microsecond=0)
    if moment > now - datetime.timedelta(minutes=2):
        moment -= datetime.timedelta(days=1)
    return moment


def last_pks() -> dict:
    """The highest primary key of every model with a counter, 0 for none."""
    return {
        model: model._default_manager.order_by("-pk")
        .values_list("pk", flat=True)[:1]
        .first()
        or 0
        for model in apps.get_models()
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField)
    }


@dataclass
class DemoCity:
    """How the shared demo was loaded: when, and what existed before it."""

    loaded_at: datetime.datetime
    pks_before: dict = field(repr=False)


class SharedDemo:
    """`manage.py load_demo` run once in a transaction held open while tests read
    what it wrote.

    Loaded early in China's morning, whatever the hour the suite runs at; the
    tests then run later the same day, as after `make run`. conftest puts the
    tests that use it last, so a worker loads it once; should a test that does not
    want the demo come after it all the same, the transaction is rolled back
    first (`close`) and the next demo test loads it again (`open`).
    """

    def __init__(self, django_db_blocker):
        self.blocker = django_db_blocker
        self.atomic = None
        self.city: DemoCity | None = None
        self.loads = 0

    @property
    def is_open(self) -> bool:
        return self.atomic is not None

    def open(self) -> DemoCity:
        if self.is_open:
            return self.city
        from django.core.management import call_command
        from django.db import connection
        from freezegun import freeze_time

        with self.blocker.unblock():
            if connection.in_atomic_block:
                raise RuntimeError(
                    "the shared demo loads outside any test transaction: request "
                    "`demo` before `db`, and do not mark its tests django_db"
                )
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                loaded_at = early_this_morning()
                pks_before = last_pks()
                with freeze_time(loaded_at):
                    call_command("load_demo", "--quiet")
            except BaseException:
                self.close()
                raise
        self.loads += 1
        self.city = DemoCity(loaded_at=loaded_at, pks_before=pks_before)
        return self.city

    def close(self) -> None:
        if not self.is_open:
            return
        atomic, self.atomic, self.city = self.atomic, None, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
