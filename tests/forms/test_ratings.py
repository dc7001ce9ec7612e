"""Satisfaction (好差评): the applicant rates a decided case once,
owner only, by POST with CSRF; a poor rating opens a follow-up for the
department, due in working days, worked and closed in the admin."""

import datetime
import itertools
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import include, path, reverse
from django.utils import translation
from freezegun import freeze_time

from forms.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    FollowUpStatus,
    RatingFollowUp,
    RatingLevel,
    ServiceRating,
)
from forms.reporting import ratings
from tests.cms.hall_admin import assert_refused, client_for, make_staff
from tests.factories import make_department, make_form, make_service_item, make_user


def __getattr__(name):
    """Until the lead adds the rating route to forms/urls.py, this module is the
    URLconf: the site's routes with applications:rate added."""
    if name != "urlpatterns":
        raise AttributeError(name)
    import cms.urls
    from forms import urls as form_urls

    applications = (
        [
            *form_urls.urlpatterns,
            path("<uuid:application_uuid>/rate/", ratings.rate_view, name="rate"),
        ],
        "applications",
    )
    rest = [p for p in cms.urls.urlpatterns if str(p.pattern) != "applications/"]
    return [path("applications/", include(applications)), *rest]


pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# Monday 2026-03-02: five working days later is Monday 03-09.
MONDAY = "2026-03-02 10:00:00+08:00"
_receipts = itertools.count(1)
FOLLOW_UPS = "applications_ratingfollowup_modeladmin_index"


@pytest.fixture
def service():
    """A form under a guide whose service item belongs to 人社局."""
    form = make_form()
    department = make_department(name="泉州市人力资源和社会保障局", short_name="人社局")
    make_service_item(guide=form.get_parent().specific, department=department)
    return {"form": form, "department": department}


def decided_case(form, status=ApplicationStatus.COMPLETED, **fields) -> Application:
    fields.setdefault("applicant", make_user())
    return Application.objects.create(
        form=form,
        version=form.ensure_version(),
        start_token=uuid.uuid4(),
        status=status,
        receipt_number=f"RATE-2026-{next(_receipts):06d}",
        submitted_at=datetime.datetime(2026, 2, 2, 10, tzinfo=datetime.UTC),
        decided_at=(
            datetime.datetime(2026, 2, 20, 10, tzinfo=datetime.UTC)
            if status in (ApplicationStatus.COMPLETED, ApplicationStatus.REJECTED)
            else None
        ),
        **fields,
    )


def rate_url(application) -> str:
    return reverse("applications:rate", args=[application.uuid])


@freeze_time(MONDAY)
def test_the_applicant_rates_a_decided_application_once(service):
    case = decided_case(service["form"])
    client = client_for(case.applicant)
    page = client.get(rate_url(case))
    assert page.status_code == 200
    assert page.content.count(b'name="score"') == 5
    response = client.post(rate_url(case), {"score": "5", "comment": "办事很快"})
    assert response.status_code == 303
    rating = ServiceRating.objects.get(application=case)
    assert (rating.score, rating.comment) == (5, "办事很快")
    assert not RatingFollowUp.objects.exists()  # a good rating opens nothing
    assert AuditEvent.objects.filter(action="rating", application=case).count() == 1
    again = client.post(rate_url(case), {"score": "1", "comment": "改主意了"})
    assert again.status_code == 303
    assert ServiceRating.objects.filter(application=case).count() == 1
    assert ServiceRating.objects.get(application=case).score == 5
    shown = client.get(rate_url(case))
    assert b'data-rating="5"' in shown.content
    assert b'name="score"' not in shown.content


@freeze_time(MONDAY)
def test_rating_twice_through_the_service_is_refused(service):
    case = decided_case(service["form"], status=ApplicationStatus.REJECTED)
    ratings.rate(case, case.applicant, RatingLevel.SATISFIED)
    with pytest.raises(ratings.AlreadyRated):
        ratings.rate(case, case.applicant, RatingLevel.VERY_DISSATISFIED)
    assert ServiceRating.objects.count() == 1
    assert not RatingFollowUp.objects.exists()


@freeze_time(MONDAY)
def test_poor_rating_opens_a_follow_up_due_in_five_working_days(service):
    officer = make_user(kind="staff")
    case = decided_case(service["form"], officer=officer)
    client = client_for(case.applicant)
    client.post(rate_url(case), {"score": "2", "comment": "等了很久"})
    follow_up = RatingFollowUp.objects.get()
    assert follow_up.application == case
    assert follow_up.rating.score == RatingLevel.DISSATISFIED
    assert follow_up.department == service["department"]
    assert follow_up.officer == officer
    assert follow_up.status == FollowUpStatus.OPEN
    assert follow_up.due == datetime.date(2026, 3, 9)
    assert not follow_up.is_overdue
    with freeze_time("2026-03-10 09:00:00+08:00"):
        assert follow_up.is_overdue


@freeze_time(MONDAY)
def test_basically_satisfied_opens_no_follow_up(service):
    case = decided_case(service["form"])
    ratings.rate(case, case.applicant, RatingLevel.BASICALLY_SATISFIED)
    assert not RatingFollowUp.objects.exists()
    other = decided_case(service["form"])
    ratings.rate(other, other.applicant, RatingLevel.VERY_DISSATISFIED)
    assert RatingFollowUp.objects.get().application == other


def test_only_the_owner_may_see_or_rate(service):
    case = decided_case(service["form"])
    stranger = client_for(make_user())
    assert stranger.get(rate_url(case)).status_code == 404
    assert stranger.post(rate_url(case), {"score": "1"}).status_code == 404
    staff = client_for(make_staff(make_department()))
    assert staff.post(rate_url(case), {"score": "1"}).status_code == 404
    anonymous = Client()
    response = anonymous.post(rate_url(case), {"score": "1"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not ServiceRating.objects.exists()


def test_the_talent_an_employer_applied_for_cannot_rate_in_its_place(service):
    talent = make_user()
    case = decided_case(service["form"], talent=talent)
    assert client_for(talent).post(rate_url(case), {"score": "1"}).status_code == 404
    assert not ServiceRating.objects.exists()


def test_an_application_still_in_review_cannot_be_rated(service):
    case = decided_case(service["form"], status=ApplicationStatus.SUBMITTED)
    client = client_for(case.applicant)
    response = client.post(rate_url(case), {"score": "5"})
    assert response.status_code == 303
    assert response["Location"] == reverse("applications:detail", args=[case.uuid])
    assert not ServiceRating.objects.exists()
    with pytest.raises(ratings.NotRateable):
        ratings.rate(case, case.applicant, 5)


def test_rating_needs_the_csrf_token_and_a_valid_level(service):
    case = decided_case(service["form"])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(case.applicant)
    assert strict.post(rate_url(case), {"score": "5"}).status_code == 403
    client = client_for(case.applicant)
    assert client.post(rate_url(case), {"score": "9"}).status_code == 400
    assert client.post(rate_url(case), {"comment": "没有评分"}).status_code == 400
    assert not ServiceRating.objects.exists()


# --- the follow-up in the admin ---


def grant(user, *codenames):
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label="applications", codename=codename
            )
        )
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def poor_rating(service):
    with freeze_time(MONDAY):
        case = decided_case(service["form"])
        ratings.rate(case, case.applicant, RatingLevel.VERY_DISSATISFIED, "态度差")
    return RatingFollowUp.objects.get()


def handler_of(department):
    """A handler of the department (its 经办 role): follow-ups are casework."""
    user = make_staff(department)
    user.groups.add(department.casework_group)
    return user


def test_department_staff_see_their_follow_ups_with_the_overdue_filter(
    service, poor_rating
):
    inspect = reverse(
        "applications_ratingfollowup_modeladmin_inspect", args=[poor_rating.pk]
    )
    other = client_for(make_staff(make_department()))
    response = other.get(reverse(FOLLOW_UPS))
    assert poor_rating.application.receipt_number not in response.content.decode()
    assert_refused(other.get(inspect))
    # The department's content editor is not one of its handlers.
    editor = client_for(make_staff(service["department"]))
    listing = editor.get(reverse(FOLLOW_UPS))
    assert poor_rating.application.receipt_number not in listing.content.decode()
    assert_refused(editor.get(inspect))
    # Signed in at each frozen time: the session's idle clock follows the time.
    with freeze_time("2026-03-03 09:00:00+08:00"):
        own = client_for(handler_of(service["department"]))
        assert own.get(inspect).status_code == 200
        overdue = own.get(reverse(FOLLOW_UPS), {"deadline": "overdue"})
        assert poor_rating.application.receipt_number not in overdue.content.decode()
    with freeze_time("2026-03-12 09:00:00+08:00"), translation.override("en"):
        own = client_for(handler_of(service["department"]))
        listing = own.get(reverse(FOLLOW_UPS))
        assert listing.status_code == 200
        assert poor_rating.application.receipt_number in listing.content.decode()
        overdue = own.get(reverse(FOLLOW_UPS), {"deadline": "overdue"})
        assert poor_rating.application.receipt_number in overdue.content.decode()


def test_unknown_list_parameters_are_not_applied_as_lookups(service, poor_rating):
    own = client_for(handler_of(service["department"]))
    response = own.get(reverse(FOLLOW_UPS), {"officer__password__startswith": "pbkdf2"})
    assert response.status_code == 200
    assert poor_rating.application.receipt_number in response.content.decode()


def test_closing_needs_a_resolution_and_happens_once(service, poor_rating):
    handler = handler_of(service["department"])
    client = client_for(handler)
    edit = reverse("applications_ratingfollowup_modeladmin_edit", args=[poor_rating.pk])
    assert client.post(edit, {"resolution": "  "}).status_code == 200
    poor_rating.refresh_from_db()
    assert poor_rating.status == FollowUpStatus.OPEN
    response = client.post(edit, {"resolution": "已电话回访申请人，说明原因"})
    assert response.status_code == 302
    poor_rating.refresh_from_db()
    assert poor_rating.status == FollowUpStatus.CLOSED
    assert poor_rating.closed_by == handler
    assert poor_rating.resolution == "已电话回访申请人，说明原因"
    assert AuditEvent.objects.filter(action="rating_follow_up_closed").count() == 1
    # Closed: no second closing, by the form or by the service.
    assert_refused(client.post(edit, {"resolution": "再次关闭"}))
    assert not ratings.close_follow_up(poor_rating, handler, "再次关闭")
    poor_rating.refresh_from_db()
    assert poor_rating.resolution == "已电话回访申请人，说明原因"


def test_other_departments_cannot_close_but_global_permission_can(service, poor_rating):
    edit = reverse("applications_ratingfollowup_modeladmin_edit", args=[poor_rating.pk])
    other = client_for(make_staff(make_department()))
    assert_refused(other.post(edit, {"resolution": "越权"}))
    poor_rating.refresh_from_db()
    assert poor_rating.status == FollowUpStatus.OPEN
    supervisor = grant(make_staff(make_department()), "change_ratingfollowup")
    response = client_for(supervisor).post(edit, {"resolution": "督办完成"})
    assert response.status_code == 302
    poor_rating.refresh_from_db()
    assert poor_rating.status == FollowUpStatus.CLOSED


def test_talents_cannot_reach_the_follow_ups(poor_rating):
    response = client_for(make_user()).get(reverse(FOLLOW_UPS))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
