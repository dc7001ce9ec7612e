"""Casework in the Wagtail admin: the staff queues and the case view.

Queues are filters of the applications list (wagtail-modeladmin, see
admin_views.ApplicationIndexView): my work, overdue, due soon, by stage, by
department holding the case and by district. Each is a database condition, so
the list costs the same number of queries whatever it shows.

The case view shows one case and offers exactly the actions
``workflow.available_actions`` allows; every action posts the lock version the
page was rendered with, and goes through ``actions.act`` (docs/security.md R3).
Who sees a case is decided by ``rights.visible_applications`` alone.
"""

import uuid
from functools import wraps

from django.contrib.admin import SimpleListFilter
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from cms.core.modeladmin import whole_number_filter
from cms.core.params import parse_int
from cms.core.workdays import add_working_days
from cms.departments.models import Department, District
from forms.applying.services import files_by_key
from forms.builder.engine import answer_rows
from forms.casework import actions, guidance, workflow
from forms.casework.action_forms import (
    ACTION_FORMS,
    ACTION_ORDER,
    BulkAssignForm,
    RevealForm,
)
from forms.casework.rights import visible_applications
from forms.models import (
    OPEN_STATUSES,
    AccessKind,
    AccessRecord,
    Application,
    ApplicationStatus,
    CaseAction,
    StepKind,
)

REVEAL = "applications.reveal_personal_data"
CHANGE = "applications.change_application"
DUE_SOON_WORKING_DAYS = 3
NOTHING = Q(pk__in=[])


# --- queue conditions (on the step columns: workflow.handled_by) ---


def my_work(user) -> Q:
    """Cases whose current step this user may decide (workflow.may_handle_step,
    as a database condition), and open cases they are the officer of."""
    mine = Q(officer=user, status__in=OPEN_STATUSES)
    if not workflow.is_case_staff(user):
        return NOTHING
    if user.is_superuser:
        return mine | Q(status=ApplicationStatus.SUBMITTED)
    return mine | workflow.handled_by(workflow.Reach(user))


def overdue(today=None) -> Q:
    today = today or timezone.localdate()
    return Q(status=ApplicationStatus.SUBMITTED, step_due__lt=today)


def due_soon(today=None) -> Q:
    today = today or timezone.localdate()
    until = add_working_days(today, DUE_SOON_WORKING_DAYS)
    return Q(
        status=ApplicationStatus.SUBMITTED, step_due__gte=today, step_due__lte=until
    )


def list_queryset(user):
    """The applications list: visible cases with what each row shows, fetched
    in a fixed number of queries."""
    return (
        visible_applications(user)
        .select_related("form", "district", "officer")
        .prefetch_related(
            Prefetch(
                "step_departments",
                queryset=Department.objects.order_by("name"),
                to_attr="holding_list",
            )
        )
    )


def holding_departments(application) -> list:
    """Departments that have still to answer at the current step."""
    held = getattr(application, "holding_list", None)
    if held is None:
        held = list(application.step_departments.order_by("name"))
    return held


# --- list filters (modeladmin accepts django.contrib.admin list filters) ---


class QueueFilter(SimpleListFilter):
    title = gettext_lazy("work queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("mine", gettext_lazy("My work")),
            ("due_soon", gettext_lazy("Due soon")),
            ("overdue", gettext_lazy("Overdue")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            return queryset.filter(my_work(request.user))
        if value == "due_soon":
            return queryset.filter(due_soon())
        if value == "overdue":
            return queryset.filter(overdue())
        return queryset


STATUS_STAGES = [
    ApplicationStatus.SUPPLEMENT,
    ApplicationStatus.PUBLICITY,
    ApplicationStatus.COMPLETED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
]


class StageFilter(SimpleListFilter):
    """Status, and for cases in review the kind of step they are at."""

    title = gettext_lazy("stage")
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        steps = [
            (kind.value, kind.label) for kind in StepKind if kind != StepKind.PUBLICITY
        ]
        return steps + [(status.value, status.label) for status in STATUS_STAGES]

    def queryset(self, request, queryset):
        value = self.value()
        if value in StepKind.values and value != StepKind.PUBLICITY:
            return queryset.filter(workflow.at_step_kind(value))
        if value in [status.value for status in STATUS_STAGES]:
            return queryset.filter(status=value)
        return queryset


class DepartmentFilter(SimpleListFilter):
    """Cases a department holds now (open tasks at the current step)."""

    title = gettext_lazy("held by department")
    parameter_name = "department"

    def lookups(self, request, model_admin):
        # One index probe per department, not a scan of every case's tasks.
        held = Application.step_departments.through.objects.filter(
            department_id=OuterRef("pk")
        )
        return [
            (str(department.pk), department.short_name or department.name)
            for department in Department.objects.filter(Exists(held)).order_by("name")
        ]

    def queryset(self, request, queryset):
        department_id = whole_number_filter(self)
        if department_id is None:
            return queryset
        return queryset.filter(
            workflow.held_by(department_id), status=ApplicationStatus.SUBMITTED
        )


# --- the case view ---


def case_url(application) -> str:
    return reverse("applications_cases:case", args=[application.uuid])


class CaseNotVisible(Http404):
    """No case at this address that this staff member may see."""


def _visible_case(user, case_uuid) -> Application:
    """The case if this staff member may see it; CaseNotVisible (a 404)
    otherwise, whether it exists or not (no oracle)."""
    if not workflow.is_case_staff(user):
        raise PermissionDenied
    try:
        return (
            visible_applications(user)
            .select_related(
                "form", "version", "district", "officer", "applicant", "employer"
            )
            .get(uuid=case_uuid)
        )
    except Application.DoesNotExist:
        raise CaseNotVisible from None


def not_yours(request):
    """The page for a case this staff member may not see, or that does not
    exist: a 404 in Chinese that depends on the user's roles only, never on
    the case, so it tells nobody whether the case exists."""
    user = request.user
    reach = workflow.Reach(user)
    departments = Department.objects.filter(pk__in=reach.department_ids)
    districts = District.objects.filter(pk__in=reach.district_ids)
    return TemplateResponse(
        request,
        "forms/admin/case_not_yours.html",
        {
            "units": [unit.display_name for unit in [*departments, *districts]],
            "has_department": bool(reach.department_ids),
            "has_district": bool(reach.district_ids),
            "sees_all": user.has_perm("applications.view_application"),
            "home_url": reverse("wagtailadmin_home"),
            "my_work_url": reverse("applications_application_modeladmin_index")
            + "?queue=mine",
        },
        status=404,
    )


def case_page(view):
    """Answer a case address the user may not see with ``not_yours``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except CaseNotVisible:
            return not_yours(request)

    return wrapper


def _workflow_rows(application) -> list[dict]:
    rows = []
    finished = application.status not in (*OPEN_STATUSES, ApplicationStatus.PUBLICITY)
    for index, step in enumerate(application.workflow or []):
        current = index == application.step_index and not finished
        rows.append(
            {
                "number": index + 1,
                "name": workflow.step_name(step),
                "days": step["days"],
                "current": current,
                "done": index < application.step_index,
                "due": application.step_due if current else None,
            }
        )
    return rows


def action_forms(application, user, bound=None) -> list[dict]:
    """The forms of the actions this user may take now, in a fixed order;
    ``bound`` = (action, form) keeps a posted form with its errors."""
    allowed = workflow.available_actions(user, application)
    forms = []
    for action in ACTION_ORDER:
        if action not in allowed:
            continue
        form_class, label, style = ACTION_FORMS[action]
        if bound and bound[0] == action:
            form = bound[1]
        else:
            form = form_class(application=application, prefix=action)
        forms.append(
            {
                "action": action,
                "form": form,
                "label": label,
                "next": guidance.what_happens(application, action, user),
                "style": style,
                "url": reverse(
                    "applications_cases:act", args=[application.uuid, action]
                ),
            }
        )
    return forms


def case_context(request, application, *, bound=None, reveal=False, reveal_form=None):
    user = request.user
    events = application.events.select_related("actor").order_by("created_at", "pk")
    tasks = application.department_tasks.select_related(
        "department", "answered_by"
    ).order_by("step_index", "department__name")
    supplements = application.supplements.select_related("created_by").filter(
        resolved_at__isnull=True
    )
    can_reveal = user.has_perm(REVEAL)
    return {
        "application": application,
        "stage": workflow.stage_label(application),
        "holder": guidance.holder(application),
        "waiting_for": guidance.waiting_for(application),
        "expected": workflow.expected_completion(application),
        "today": timezone.localdate(),
        "rows": answer_rows(
            application.version.definition,
            application.answers,
            files_by_key(application),
            reveal=reveal,
        ),
        "revealed": reveal,
        "workflow": _workflow_rows(application),
        "tasks": tasks,
        "supplements": supplements,
        "events": [
            {
                "event": event,
                "label": workflow.ACTION_LABELS.get(event.action, event.action),
                "items": (event.data or {}).get("items") or [],
            }
            for event in events
        ],
        "actions": action_forms(application, user, bound),
        "can_reveal": can_reveal,
        "reveal_form": reveal_form or (RevealForm() if can_reveal else None),
        "list_url": reverse("applications_application_modeladmin_index"),
        "version_url": reverse(
            "applications_admin:version",
            args=[application.form_id, application.version.number],
        ),
    }


def _render_case(request, application, status=200, **kwargs):
    return TemplateResponse(
        request,
        "forms/admin/case_detail.html",
        case_context(request, application, **kwargs),
        status=status,
    )


@never_cache
@login_required
@case_page
def case_view(request, case_uuid):
    application = _visible_case(request.user, case_uuid)
    AccessRecord.record(request, AccessKind.VIEW, application)
    return _render_case(request, application)


@never_cache
@require_POST
@login_required
@case_page
def act_view(request, case_uuid, action):
    """One action through actions.act; PRG on success, 409 on a conflict."""
    user = request.user
    application = _visible_case(user, case_uuid)
    if action not in ACTION_FORMS:
        raise Http404
    posted_lock = parse_int(request.POST.get(f"{action}-lock_version", ""))
    if posted_lock is None:
        raise PermissionDenied  # a forged or broken page, not a user error
    if posted_lock != application.lock_version:
        # Decided on a page that is out of date: say so before anything else
        # (the action may not even be possible any more).
        return _conflict(request, application, workflow.Conflict(application))
    if action not in workflow.available_actions(user, application):
        raise PermissionDenied
    form_class = ACTION_FORMS[action][0]
    form = form_class(request.POST, application=application, prefix=action)
    if not form.is_valid():
        messages.error(request, _("The action was not taken: check the form."))
        return _render_case(request, application, status=400, bound=(action, form))
    try:
        # The action's side records (supplement request, department opinion)
        # roll back with it when the conditional update loses.
        with transaction.atomic():
            actions.act(
                application,
                user,
                action,
                request=request,
                comment=form.cleaned_data.get("comment", "").strip(),
                **form.act_options(),
            )
    except workflow.Conflict as conflict:
        return _conflict(request, application, conflict)
    except workflow.NotAllowed as refused:
        messages.error(request, str(refused))
        return _render_case(request, application, status=403)
    messages.success(
        request,
        _("%(action)s: %(receipt)s")
        % {
            "action": workflow.ACTION_LABELS.get(action, action),
            "receipt": application.receipt_number,
        },
    )
    return HttpResponseRedirect(case_url(application))


def _conflict(request, application, conflict):
    messages.error(request, str(conflict))
    fresh = Application.objects.select_related(
        "form", "version", "district", "officer", "applicant", "employer"
    ).get(pk=application.pk)
    return _render_case(request, fresh, status=409)


@never_cache
@require_POST
@login_required
@case_page
def reveal_view(request, case_uuid):
    """Show the full personal data once, for a stated reason (docs/security.md G3)."""
    user = request.user
    application = _visible_case(user, case_uuid)
    if not user.has_perm(REVEAL):
        raise PermissionDenied
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, status=400, reveal_form=form)
    AccessRecord.record(
        request, AccessKind.REVEAL, application, reason=form.cleaned_data["reason"]
    )
    return _render_case(request, application, reveal=True)


# --- bulk assignment (the only bulk action: nothing is decided in bulk) ---


def _selected(post) -> list[tuple[str, int]]:
    pairs = []
    for value in post.getlist("case"):
        key, _sep, lock = value.partition(":")
        lock = parse_int(lock)
        if lock is not None:
            pairs.append((key, lock))
    return pairs


@never_cache
@require_POST
@login_required
def bulk_assign(request):
    user = request.user
    if not workflow.is_case_staff(user):
        raise PermissionDenied
    back = request.POST.get("next", "")
    index = reverse("applications_application_modeladmin_index")
    if not back.startswith(index):
        back = index
    form = BulkAssignForm(request.POST)
    selected = _selected(request.POST)
    if not form.is_valid() or not selected:
        messages.error(request, _("Choose the cases and a case officer."))
        return HttpResponseRedirect(back)
    officer = form.cleaned_data["officer"]
    visible = {
        str(application.uuid): application
        for application in visible_applications(user).filter(
            uuid__in=[key for key, _lock in selected if _is_uuid(key)]
        )
    }
    done = conflicted = refused = 0
    for key, lock in selected:
        application = visible.get(key)
        if application is None:
            refused += 1
            continue
        if application.lock_version != lock:
            conflicted += 1
            continue
        try:
            with transaction.atomic():
                actions.act(
                    application,
                    user,
                    CaseAction.ASSIGN,
                    request=request,
                    officer=officer,
                )
        except workflow.Conflict:
            conflicted += 1
        except workflow.NotAllowed:
            refused += 1
        else:
            done += 1
    report = _(
        "Case officer assigned to %(done)d cases; %(conflicted)d changed meanwhile "
        "(reload and try again); %(refused)d not allowed."
    ) % {"done": done, "conflicted": conflicted, "refused": refused}
    (messages.success if done and not (conflicted or refused) else messages.warning)(
        request, report
    )
    return HttpResponseRedirect(back)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def case_urls():
    return [
        path("bulk-assign/", bulk_assign, name="bulk_assign"),
        path("<uuid:case_uuid>/", case_view, name="case"),
        path("<uuid:case_uuid>/act/<str:action>/", act_view, name="act"),
        path("<uuid:case_uuid>/reveal/", reveal_view, name="reveal"),
    ]
