"""The demo applications are backdated within the hall's year (China time) and
never into the future, whatever the hour the demo is loaded at."""

import datetime
import uuid

import pytest
from django.utils import timezone
from freezegun import freeze_time

from cms.demo.applications import _spread_in_time
from forms.models import Application, ApplicationStatus
from tests.factories import make_form
from tests.forms.admin_helpers import make_talent

pytestmark = pytest.mark.django_db


def submitted_now() -> Application:
    form = make_form()
    return Application.objects.create(
        form=form,
        version=form.latest_version(),
        applicant=make_talent(),
        status=ApplicationStatus.SUBMITTED,
        receipt_number=f"QZRC-{timezone.localdate().year}-000001",
        start_token=uuid.uuid4(),
        answers={},
        submitted_at=timezone.now(),
    )


@pytest.mark.parametrize(
    "moment",
    [
        # 1 January, 00:30 and 09:00 China time: 16:30 and 01:00 UTC.
        "2027-01-01 00:30+08:00",
        "2027-01-01 09:00+08:00",
        "2027-01-01 12:00+08:00",
        "2026-12-31 23:30+08:00",
        "2026-12-08 00:30+08:00",
    ],
)
@pytest.mark.parametrize("days_ago", [0, 3, 118])
def test_backdated_within_the_hall_year_and_never_later_than_now(moment, days_ago):
    with freeze_time(moment):
        application = submitted_now()
        _spread_in_time(application, days_ago)
        now = timezone.now()
        submitted = timezone.localtime(application.submitted_at)
        assert application.submitted_at <= now
        assert application.updated_at <= now
        assert application.created_at <= application.submitted_at
        # The receipt number's year is the year it was submitted in.
        assert submitted.year == timezone.localdate().year
        assert submitted <= timezone.localtime() - datetime.timedelta(
            days=days_ago
        ) or submitted.date() == datetime.date(submitted.year, 1, 1)
