from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """The application-form engine and the applications it creates.

    The label is not ``forms``: that would collide with ``django.forms``.
    """

    name = "forms"
    label = "applications"
    verbose_name = _("Applications")

    def ready(self):
        # Receivers, connected by importing their modules once the models are
        # ready (so here, not at the top): versions on publish and stored files
        # removed (signals), notifications and talent profiles follow case
        # events, deadlines in flight follow the working-day calendar.
        from forms import signals  # noqa: F401
        from forms.casework import deadlines  # noqa: F401
        from forms.eligibility import offers  # noqa: F401
        from forms.notifications import dispatch  # noqa: F401
        from forms.talents import profiles  # noqa: F401
