"""Loads the demo city in one transaction: a short orchestration over the data
modules. Idempotent: every row and page is looked up by its natural key (a name,
a code, a slug under its parent) and only created when missing."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from wagtail.signal_handlers import disable_reference_index_auto_update

from cms.home.bootstrap import ensure_hall
from cms.home.models import HomePage
from forms.publicity.batches import write_demo_publicity

from .accounts import write_accounts, write_employers, write_role_groups
from .calendar import write_calendar
from .cases import write_demo_cases
from .content import (
    write_about_page,
    write_guides,
    write_hall_settings,
    write_news,
    write_policies,
)
from .devices import write_staff_devices
from .eligibility import write_eligibility
from .english import write_english
from .forms_pages import write_forms_and_applications
from .organisation import fill_modules, write_departments, write_districts
from .partners import write_card_partners, write_talent_cards
from .progress import Progress


def load_demo(
    write: Callable[[str], None] | None = None,
) -> tuple[Progress, list[dict]]:
    """Returns what was created and the demo accounts (user name, role, mobile,
    password) for the command to print."""
    progress = Progress(write)
    with transaction.atomic(), _wagtail_indexes_written_once():
        ensure_hall()
        home = HomePage.objects.order_by("path").first()

        districts = write_districts(progress)
        departments = write_departments(progress, districts)
        fill_modules(progress, districts, departments)
        progress.report("districts", "departments", "module pages filled in")

        guides = write_guides(progress, departments)
        write_policies(progress)
        progress.report(
            "service guides", "sample documents", "service items", "policies"
        )

        modules = {
            name: unit.module_page
            for name, unit in {**districts, **departments}.items()
        }
        write_news(progress, home, modules)
        write_about_page(progress, home)
        write_hall_settings(progress, home)
        progress.report("news", "about page", "hall settings")

        employers = write_employers(progress, districts)
        role_groups = write_role_groups(progress)
        accounts = write_accounts(
            progress, employers, departments, districts, role_groups
        )
        progress.report("employers", "role groups", "accounts")

        write_calendar(progress)
        progress.report("calendar days")

        forms = write_forms_and_applications(progress, guides)["forms"]
        write_english(progress, guides, forms)
        progress.report("English guides", "English forms")
        write_demo_cases(progress, guides)
        write_demo_publicity(progress)
        # After the cases: their approvals look for benefits only once rules exist.
        write_eligibility(progress)
        progress.report("eligibility rules")
        write_card_partners(progress)
        write_talent_cards(progress)
        progress.report("card partners", "talent cards")
        write_staff_devices(progress)
        progress.report("demo authenticator devices")
    return progress, accounts


@contextmanager
def _wagtail_indexes_written_once() -> Iterator[None]:
    """Wagtail saves every demo page several times (draft, revision, publish)
    and would update its admin search index and its reference index on each
    save: a third of the load. Both are written once, in bulk, at the end.
    The hall's own search index is not affected (search.indexing)."""
    quiet_backends = {
        name: {**params, "AUTO_UPDATE": False}
        for name, params in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with (
        override_settings(WAGTAILSEARCH_BACKENDS=quiet_backends),
        disable_reference_index_auto_update(),
    ):
        yield
    call_command("update_index", verbosity=0)
    call_command("rebuild_references_index", verbosity=0)
