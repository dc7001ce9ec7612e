"""The hall's figures that come from applications (see cms/home/figures.py)."""

from django.utils.translation import gettext_lazy as _

from forms.models import Application, ApplicationStatus
from forms.reporting import statistics


def application_figures():
    submitted = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    return [
        (
            "applicants",
            _("Applicants"),
            submitted.values("applicant").distinct().count(),
        ),
        ("approved_talents", _("Approved talents"), statistics.approved_talents()),
    ]
