"""The hall's public figures, always computed from data.

Each app contributes figures through the Wagtail hook ``register_hall_figures``: a
function returning a list of (key, label, value). The home page never knows where
a number comes from, and no one can type one in.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.accounts.models import Employer, User


def people_figures():
    """Registered in cms/home/wagtail_hooks.py."""
    return [
        ("employers", _("Registered employers"), Employer.objects.count()),
        (
            "talents",
            _("Registered talents"),
            User.objects.filter(kind=User.Kind.TALENT, is_active=True).count(),
        ),
    ]


def hall_figures() -> list[dict]:
    figures = []
    for hook in hooks.get_hooks("register_hall_figures"):
        for key, label, value in hook():
            figures.append({"key": key, "label": label, "value": value})
    return figures
