"""Building cases for casework tests: a form with review steps, a submitted
application, and staff in the right places."""

from django.contrib.auth.models import Group

from forms.models import Application, ReviewStep
from tests.factories import make_form, make_user
from tests.forms.flow import fill_sample, review_url


def form_with_steps(*steps, **form_options):
    """steps: (kind, days, options) with options group=, departments=."""
    form = make_form(**form_options)
    for order, (kind, days, options) in enumerate(steps):
        step = ReviewStep.objects.create(
            form=form,
            kind=kind,
            time_limit_days=days,
            sort_order=order,
            handler_group=options.get("group"),
        )
        step.departments.set(options.get("departments", []))
        step.save()  # a ParentalManyToManyField is written on save
    return form


def submit_as(client, form, applicant) -> Application:
    client.force_login(applicant)
    application = fill_sample(client, form)
    client.post(review_url(application))
    application.refresh_from_db()
    return application


def staff(group: Group | None = None, **fields):
    user = make_user(kind="staff", **fields)
    if group:
        user.groups.add(group)
    return user
