"""Satisfaction (好差评): the applicant rates a decided case once; a poor rating
opens a follow-up for the department, due in working days.

The rating view is the applicant's (owner only, 404 for anyone else, POST with
CSRF to rate). Follow-ups are worked in the admin (forms/reporting/admin.py).
"""

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from cms.core.workdays import add_working_days
from cms.departments.models import DepartmentPage
from cms.services.models import ServiceItem
from forms.applying.views import SeeOther
from forms.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    FollowUpStatus,
    RatingFollowUp,
    RatingLevel,
    ServiceRating,
)

RATEABLE_STATUSES = (ApplicationStatus.COMPLETED, ApplicationStatus.REJECTED)


def follow_up_days() -> int:
    return int(settings.RATING_FOLLOW_UP_DAYS)


class AlreadyRated(Exception):
    """The application has its rating: it is given once."""


class NotRateable(Exception):
    """Not this user's application to rate, or not decided yet."""


def responsible_department(application: Application):
    """Who answers for a poor rating: the department of the service item whose
    guide holds the form, else the department whose module holds it, else the
    last department that handled the case."""
    form = application.form
    guide = form.guide
    if guide is not None:
        item = (
            ServiceItem.objects.filter(guide=guide).select_related("department").first()
        )
        if item is not None:
            return item.department
    parent = form.get_parent().specific
    if isinstance(parent, DepartmentPage):
        return parent.unit
    task = application.department_tasks.select_related("department").last()
    return task.department if task else None


def rate(
    application: Application, user, score: int, comment: str = "", request=None
) -> ServiceRating:
    """Record the rating; a poor one opens a follow-up due in working days."""
    if application.applicant_id != user.pk or (
        application.status not in RATEABLE_STATUSES
    ):
        raise NotRateable
    score = RatingLevel(int(score))
    try:
        with transaction.atomic():
            rating = ServiceRating.objects.create(
                application=application, score=score, comment=comment.strip()[:500]
            )
            if rating.is_poor:
                RatingFollowUp.objects.create(
                    rating=rating,
                    application=application,
                    department=responsible_department(application),
                    officer=application.officer,
                    due=add_working_days(timezone.localdate(), follow_up_days()),
                )
            AuditEvent.record(
                "rating",
                request=request,
                actor=user,
                application=application,
                score=int(score),
            )
    except IntegrityError as error:  # two posts at once: the second loses
        raise AlreadyRated from error
    return rating


def close_follow_up(follow_up: RatingFollowUp, user, resolution: str, request=None):
    """Close with what was done; closing twice is refused by the condition."""
    resolution = resolution.strip()
    if not resolution:
        raise ValueError("A resolution note is required.")
    with transaction.atomic():
        updated = RatingFollowUp.objects.filter(
            pk=follow_up.pk, status=FollowUpStatus.OPEN
        ).update(
            status=FollowUpStatus.CLOSED,
            resolution=resolution,
            closed_by=user,
            closed_at=timezone.now(),
        )
        if updated:
            AuditEvent.record(
                "rating_follow_up_closed",
                request=request,
                actor=user,
                application=follow_up.application,
                follow_up=follow_up.pk,
            )
    follow_up.refresh_from_db()
    return bool(updated)


# --- the applicant's page ---


class RatingForm(django_forms.Form):
    score = django_forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you with this service?"),
        choices=RatingLevel.choices,
        coerce=int,
        widget=django_forms.RadioSelect,
    )
    comment = django_forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        max_length=500,
        widget=django_forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
    )


@never_cache
@login_required
def rate_view(request, application_uuid):
    """GET: the rating form, or the rating given. POST: rate (once)."""
    application = get_object_or_404(
        Application.objects.select_related("form"), uuid=application_uuid
    )
    # Owner only: anyone else learns nothing, not even that it exists (D1).
    if application.applicant_id != request.user.pk or application.is_draft:
        raise Http404
    detail_url = reverse("applications:detail", args=[application.uuid])
    existing = ServiceRating.objects.filter(application=application).first()
    if application.status not in RATEABLE_STATUSES:
        messages.info(request, _("You can rate the service once it has decided."))
        return SeeOther(detail_url)
    form = RatingForm()
    if request.method == "POST":
        if existing is not None:
            messages.info(request, _("You have already rated this service."))
            return SeeOther(request.path)
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                rate(
                    application,
                    request.user,
                    form.cleaned_data["score"],
                    form.cleaned_data["comment"],
                    request=request,
                )
            except AlreadyRated:
                messages.info(request, _("You have already rated this service."))
            else:
                messages.success(request, _("Thank you for rating the service."))
            return SeeOther(request.path)
    return render(
        request,
        "forms/ratings/rate.html",
        {
            "application": application,
            "rating": existing,
            "form": form,
            "page_title": _("Rate the service"),
        },
        status=400 if request.method == "POST" else 200,
    )
