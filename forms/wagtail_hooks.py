"""Wagtail finds hooks in this module only: each domain keeps its admin in its own
module, and importing them here registers their hooks."""

from forms.api import admin as api_admin  # noqa: F401
from forms.builder import admin as builder_admin  # noqa: F401
from forms.builder import template_admin  # noqa: F401
from forms.cards import admin as cards_admin  # noqa: F401
from forms.casework import access_admin  # noqa: F401
from forms.casework import admin as casework_admin  # noqa: F401
from forms.eligibility import admin as eligibility_admin  # noqa: F401
from forms.notifications import admin as notification_admin  # noqa: F401
from forms.publicity import admin as publicity_admin  # noqa: F401
from forms.reporting import admin as reporting_admin  # noqa: F401
from forms.talents import admin as talents_admin  # noqa: F401
