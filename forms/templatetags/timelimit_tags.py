"""Time limits in applicant pages, from the review steps frozen into an
application (forms.casework.timelimits): the receipt states what the guide
promised and the tracker counts down."""

from django import template

from forms.casework.timelimits import limits_of
from forms.casework.workflow import expected_completion

register = template.Library()


@register.simple_tag
def application_time_limits(application) -> dict:
    limits = limits_of(application.workflow or [])
    return {
        "limits": limits,
        "expected": expected_completion(application),
    }
