"""Every wagtail-modeladmin registration of the hall: its views about one object
check the list's rights, and its list takes only its declared filters
(docs/security.md D1).

The registrations are found by walking the URL patterns, so a new one is
covered (and must derive from cms.core.modeladmin.HallModelAdmin) without
touching this file.
"""

import datetime
import inspect

import pytest
from django.db import transaction
from django.urls import get_resolver, reverse
from django.utils import timezone

from cms.core.modeladmin import (
    DeclaredFiltersIndexView,
    HallModelAdmin,
    ListScopedMixin,
)
from cms.core.models import CalendarDay
from forms.models import (
    AccessKind,
    AccessRecord,
    Delivery,
    Objection,
    Partner,
    PublicityBatch,
    PublicityEntry,
    RatingFollowUp,
    ServiceRating,
    TalentProfile,
)
from forms.notifications.texts import ensure_templates
from tests.cms.hall_admin import client_for
from tests.factories import make_employer, make_service_item
from tests.forms.test_case_admin import admin_staff, build_world

pytestmark = pytest.mark.django_db


def registrations() -> dict[str, HallModelAdmin]:
    """Index URL name → the ModelAdmin instance behind it."""

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns)
            else:
                yield pattern

    found = {}
    for pattern in walk(get_resolver().url_patterns):
        if pattern.name and pattern.name.endswith("_modeladmin_index"):
            found[pattern.name] = inspect.unwrap(pattern.callback).__self__
    return found


INDEXES = sorted(registrations())


def test_every_registration_uses_the_hall_base():
    """The holes are closed in one place; a registration that does not use it
    would reopen them."""
    assert len(INDEXES) >= 12
    for name, model_admin in registrations().items():
        assert isinstance(model_admin, HallModelAdmin), name
        assert issubclass(model_admin.index_view_class, DeclaredFiltersIndexView)
        for view in ("inspect", "edit", "delete", "history"):
            view_class = getattr(model_admin, f"{view}_view_class")
            assert issubclass(view_class, ListScopedMixin), (name, view)


@pytest.fixture(scope="module")
def hall(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at the end; the
    tests only read."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_hall()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def build_hall():
    """One row in every list, a case at each review step, and staff."""
    w = build_world()
    case = w.cases["approve"]
    employer = case.applicant.employer or make_employer()
    make_service_item()
    # The first migrate seeded the official arrangement: make this row our own.
    CalendarDay.objects.update_or_create(
        date=datetime.date(2026, 10, 1), defaults={"kind": "holiday", "source": "local"}
    )
    ensure_templates()
    batch = PublicityBatch.objects.create(title="2026年第一批高层次人才认定公示")
    PublicityEntry.objects.create(batch=batch, application=case)
    # Two batches, so that the objection list offers its batch filter.
    PublicityBatch.objects.create(title="2026年第二批高层次人才认定公示")
    Objection.objects.create(
        batch=batch,
        application=case,
        name="李四",
        phone="13912345678",
        content="学历存疑",
    )
    TalentProfile.objects.create(name="张三", certificate_number="QZRC-T-0001")
    Partner.objects.create(name="泉州市第一医院", code="hospital", benefits="绿色通道")
    rating = ServiceRating.objects.create(application=case, score=1)
    RatingFollowUp.objects.create(
        rating=rating,
        application=case,
        department=w.housing,
        due=timezone.localdate(),
    )
    Delivery.objects.create(channel="sms", recipient=case.applicant, body="已受理")
    AccessRecord.objects.create(
        user=w.reviewer, kind=AccessKind.VIEW, object_label=case.receipt_number
    )
    w.employer = employer
    assert employer.members.exists() and w.housing.staff.exists()
    w.nobody = admin_staff(real_name="无权限")
    return w


def _count(client, name: str, params=None) -> int:
    response = client.get(reverse(name), params or {})
    assert response.status_code == 200, (name, response.status_code)
    return response.context["result_count"]


@pytest.mark.parametrize("name", INDEXES)
def test_an_undeclared_lookup_is_ignored(hall, name):
    """Today ?pk__lt=0 empties every list that applies unknown parameters as
    lookups; a list must show the same rows whatever undeclared parameter it
    is given."""
    client = client_for(hall.superuser)
    everything = _count(client, name)
    assert everything > 0, name
    assert _count(client, name, {"pk__lt": "0"}) == everything


@pytest.mark.parametrize(
    ("name", "lookup"),
    [
        (
            "applications_publicitybatch_modeladmin_index",
            "entries__application__applicant__password__startswith",
        ),
        (
            "applications_objection_modeladmin_index",
            "application__applicant__password__startswith",
        ),
        ("accounts_employer_modeladmin_index", "members__password__startswith"),
        ("departments_department_modeladmin_index", "staff__password__startswith"),
    ],
)
def test_password_hashes_cannot_be_guessed_through_a_list(hall, name, lookup):
    """A prefix of a password hash that matches and one that does not give the
    same list: the list is no oracle."""
    client = client_for(hall.superuser)
    matching = _count(client, name, {lookup: "md5$"})
    wrong = _count(client, name, {lookup: "not-a-hash-prefix"})
    assert matching == wrong == _count(client, name)


BAD_VALUES = [
    ("applications_application_modeladmin_index", {"district__id__exact": "x"}),
    ("applications_application_modeladmin_index", {"submitted_at__gte": "sometime"}),
    ("accounts_employer_modeladmin_index", {"district__id__exact": "x"}),
    ("departments_department_modeladmin_index", {"district__id__exact": "x"}),
    ("services_serviceitem_modeladmin_index", {"is_active__exact": "maybe"}),
    ("services_serviceitem_modeladmin_index", {"department__id__exact": "1.5"}),
    ("applications_notificationtemplate_modeladmin_index", {"active__exact": "x"}),
    ("applications_publicitybatch_modeladmin_index", {"starts_on__gte": "31/02"}),
    ("applications_objection_modeladmin_index", {"batch__id__exact": "x"}),
    ("applications_talentprofile_modeladmin_index", {"tier__id__exact": "x"}),
    ("applications_ratingfollowup_modeladmin_index", {"department__id__exact": "x"}),
    # "²".isdigit() is true, yet int("²") raises: refused like any other value.
    ("applications_application_modeladmin_index", {"department": "²"}),
    ("core_calendarday_modeladmin_index", {"year": "²"}),
    ("applications_accessrecord_modeladmin_index", {"user": "²"}),
]


@pytest.mark.parametrize(("name", "params"), BAD_VALUES)
def test_a_bad_filter_value_answers_400(hall, name, params):
    client = client_for(hall.superuser)
    response = client.get(reverse(name), params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "cannot be filtered" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"district__id__exact": "9" * 30},
        {"district__id__exact": "-1"},
        {"department": "9" * 30},
        {"submitted_at__gte": "9999-12-31 23:59:59"},
        {"p": "-1", "o": "99.x.-3"},
        {"q": "\x00%_'\""},
    ],
)
def test_odd_values_never_give_a_500(hall, params):
    """Out-of-range numbers and dates, broken paging and ordering, odd search
    text: an answer, never a server error (also on PostgreSQL)."""
    client = client_for(hall.superuser)
    url = reverse("applications_application_modeladmin_index")
    assert client.get(url, params).status_code in (200, 400)


def test_the_bad_filter_message_is_translated(hall):
    client = client_for(hall.superuser)
    url = reverse("departments_department_modeladmin_index")
    response = client.get(url, {"district__id__exact": "x"})
    assert response.status_code == 400
    assert "筛选" in response.content.decode()


def test_declared_filters_still_filter(hall):
    client = client_for(hall.superuser)
    name = "departments_department_modeladmin_index"
    everything = _count(client, name)
    assert _count(client, name, {"district__isnull": "True"}) <= everything
    assert _count(client, name, {"district__id__exact": "0"}) == 0


# --- views about one object ---


def _history_url(model_admin, obj) -> str:
    return model_admin.url_helper.get_action_url("history", obj.pk)


def _object_of(hall, model_admin):
    model = model_admin.model
    if model._meta.label == "applications.Application":
        return hall.cases["accept"]
    return model._default_manager.order_by("pk").first()


def test_history_of_a_case_follows_the_list_rights(hall):
    """Today any staff user reads any application's history by its pk."""
    application_admin = registrations()["applications_application_modeladmin_index"]
    accepted = hall.cases["accept"]
    url = _history_url(application_admin, accepted)
    for user in (hall.nobody, hall.other_handler, hall.handler, hall.prereviewer):
        response = client_for(user).get(url)
        assert response.status_code == 404, (user.real_name, response.status_code)
    for user in (hall.clerk, hall.reviewer, hall.superuser):
        assert client_for(user).get(url).status_code == 200
    # The handler sees the department case in the list, and so its history.
    department_case = _history_url(application_admin, hall.cases["department"])
    assert client_for(hall.handler).get(department_case).status_code == 200


@pytest.mark.parametrize("name", INDEXES)
def test_staff_without_rights_read_no_history_and_inspect_nothing(hall, name):
    model_admin = registrations()[name]
    obj = _object_of(hall, model_admin)
    client = client_for(hall.nobody)
    urls = []
    if model_admin.history_view_enabled:
        urls.append(_history_url(model_admin, obj))
    if model_admin.inspect_view_enabled:
        urls.append(model_admin.url_helper.get_action_url("inspect", obj.pk))
    urls.append(model_admin.url_helper.get_action_url("edit", obj.pk))
    urls.append(model_admin.url_helper.get_action_url("delete", obj.pk))
    urls.append(model_admin.url_helper.create_url)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home"), url


def test_a_follow_up_outside_the_users_list_is_404(hall):
    """The other department's handler edits or inspects nothing of this one."""
    follow_up_admin = registrations()["applications_ratingfollowup_modeladmin_index"]
    follow_up = RatingFollowUp.objects.get()
    client = client_for(hall.other_handler)
    for action in ("inspect", "edit", "history"):
        url = follow_up_admin.url_helper.get_action_url(action, follow_up.pk)
        assert client.get(url).status_code == 404, action
    mine = client_for(hall.handler)
    url = follow_up_admin.url_helper.get_action_url("inspect", follow_up.pk)
    assert mine.get(url).status_code == 200


def test_a_superuser_still_reads_every_history(hall):
    client = client_for(hall.superuser)
    for name, model_admin in registrations().items():
        if not model_admin.history_view_enabled:
            continue
        obj = _object_of(hall, model_admin)
        response = client.get(_history_url(model_admin, obj))
        assert response.status_code == 200, name
