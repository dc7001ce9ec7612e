"""The applicant follows the case: "我的申请", the timeline, answering a
supplement request, withdrawing, and the anonymous progress lookup.

What the applicant sees of the back office is the public CaseEvents only, with
staff shown as their step or department, never by name, and never internal
notes or client addresses (docs/security.md G3, I2).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from cms.core import ratelimit
from cms.core.client_ip import client_ip
from forms.applying import services, supplement
from forms.applying.views import SeeOther
from forms.builder.engine import answer_rows
from forms.builder.groups import ADD_ROW, REMOVE_ROW, apply_row_actions
from forms.casework import actions, workflow
from forms.models import (
    Application,
    ApplicationStatus,
    DepartmentTask,
    StepKind,
    SupplementRequest,
)

# Events whose comment the applicant reads: what to fix, and decisions.
COMMENTED_ACTIONS = {
    "return",
    "accept_with_tolerance",
    "approve",
    "reject",
    "resubmit",
    "withdraw",
    "materials_received",
}
OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SUPPLEMENT)


# --- reading a case for its applicant ---


def _own(request, application_uuid, *, applicant_only=False) -> Application:
    """The signed-in user's submitted application, or 404 (never 403: D1)."""
    application = get_object_or_404(
        Application.objects.select_related("form", "version", "district"),
        uuid=application_uuid,
    )
    owner = (
        application.applicant_id == request.user.pk
        if applicant_only
        else application.is_visible_to(request.user)
    )
    if not owner or application.is_draft:
        raise Http404
    return application


def timeline(events) -> list[dict]:
    """Public events as the applicant reads them: no actors, notes or addresses."""
    rows = []
    for event in events:
        if not event.public:
            continue
        data = event.data or {}
        rows.append(
            {
                "time": event.created_at,
                "action": event.action,
                "label": workflow.ACTION_LABELS.get(event.action, event.action),
                "step": event.step_name,
                "department": data.get("department", "")
                if event.action == "opinion"
                else "",
                "comment": event.comment if event.action in COMMENTED_ACTIONS else "",
                "items": data.get("items", [])
                if event.action in ("return", "accept_with_tolerance")
                else [],
            }
        )
    return rows


def _step_dates(events) -> dict[int, object]:
    """The last public event of each step: when that step was done."""
    done: dict[int, object] = {}
    for event in events:
        if event.public and event.step_index is not None:
            done[event.step_index] = event.created_at
    return done


def step_list(application: Application, events) -> list[dict]:
    """The frozen review steps with done / current / to come, and their dates."""
    frozen_steps = application.workflow or []
    done_on = _step_dates(events)
    live = application.status in (*OPEN_STATUSES, ApplicationStatus.PUBLICITY)
    finished = application.status == ApplicationStatus.COMPLETED
    steps = []
    for index, step in enumerate(frozen_steps):
        if finished or index < application.step_index:
            state = "done"
        elif index == application.step_index and live:
            state = "current"
        elif index == application.step_index:
            state = "stopped"
        else:
            state = "upcoming"
        steps.append(
            {
                "name": workflow.step_name(step),
                "state": state,
                "done_on": done_on.get(index) if state == "done" else None,
                "due": application.step_due if state == "current" else None,
                "days": step["days"],
                "publicity": step["kind"] == StepKind.PUBLICITY,
            }
        )
    return steps


def holders(application: Application) -> str:
    """Who has the case now: departments at a parallel step, else the step."""
    if application.status == ApplicationStatus.SUPPLEMENT:
        return _("You (supplement requested)")
    step = workflow.current_step(application)
    if step is None:
        return ""
    if step["kind"] == StepKind.DEPARTMENT:
        names = [
            task.department.name
            for task in application.department_tasks.all()
            if task.step_index == application.step_index and task.answered_at is None
        ]
        if names:
            return "、".join(names)
    if step["kind"] == StepKind.PREREVIEW and application.district:
        return f"{application.district.name} · {workflow.step_name(step)}"
    return workflow.step_name(step)


def _open_requests(application: Application) -> dict:
    """The open requests the applicant should answer ({"return": r, "tolerance": r})."""
    found = {}
    for request in application.supplements.all():
        if request.resolved_at is not None:
            continue
        kind = "tolerance" if request.tolerance else "return"
        if kind in found:
            continue
        if kind == "return" and application.status != ApplicationStatus.SUPPLEMENT:
            continue
        if kind == "tolerance" and application.status not in OPEN_STATUSES:
            continue
        found[kind] = request
    return found


# --- 我的申请 ---


def applications_of(user):
    """Everything "我的申请" lists: applied for by the user or for them."""
    return (
        (
            Application.objects.filter(applicant=user)
            | Application.objects.filter(talent=user)
        )
        .select_related("form", "version", "district")
        .prefetch_related(
            Prefetch(
                "department_tasks",
                queryset=DepartmentTask.objects.select_related("department"),
            ),
            Prefetch(
                "supplements",
                queryset=SupplementRequest.objects.order_by("-created_at", "-pk"),
            ),
        )
        .order_by("-updated_at")
    )


def case_summary(application: Application, user) -> dict:
    """What the applicant reads of a submitted case in a list."""
    requests = _open_requests(application)
    return {
        "application": application,
        "stage": workflow.stage_label(application),
        "holder": holders(application),
        "expected": workflow.expected_completion(application),
        "supplement": requests.get("return"),
        "tolerance": requests.get("tolerance"),
        "may_answer": application.applicant_id == user.pk,
    }


@never_cache
@login_required
def my_applications(request):
    user = request.user
    drafts, submitted = [], []
    for application in applications_of(user):
        if application.is_draft:
            if application.applicant_id == user.pk:
                drafts.append(application)
            continue
        submitted.append(case_summary(application, user))
    return render(
        request,
        "forms/my_applications.html",
        {
            "drafts": drafts,
            "submitted": submitted,
            "retention_days": settings.APPLICATION_DRAFT_RETENTION_DAYS,
            "has_card": user.talent_profiles.exists(),
            "page_title": _("My applications"),
        },
    )


# --- one application ---


@never_cache
@login_required
def detail(request, application_uuid):
    application = get_object_or_404(
        Application.objects.select_related("form", "version", "district"),
        uuid=application_uuid,
    )
    if not application.is_visible_to(request.user):
        raise Http404
    if application.is_draft:
        return SeeOther(reverse("applications:review", args=[application.uuid]))
    events = list(application.events.all())
    rows = answer_rows(
        services.definition_shown(application),
        application.answers,
        services.files_by_key(application),
    )
    requests = _open_requests(application)
    return render(
        request,
        "forms/detail.html",
        {
            "application": application,
            "rows": rows,
            "stage": workflow.stage_label(application),
            "holder": holders(application),
            "expected": workflow.expected_completion(application),
            "timeline": timeline(events),
            "steps": step_list(application, events),
            "supplement": requests.get("return"),
            "tolerance": requests.get("tolerance"),
            "may_answer": application.applicant_id == request.user.pk,
            "may_withdraw": "withdraw"
            in workflow.available_actions(request.user, application),
            "page_title": str(application),
        },
    )


@require_POST
@login_required
def withdraw(request, application_uuid):
    application = _own(request, application_uuid, applicant_only=True)
    try:
        actions.act(
            application,
            request.user,
            "withdraw",
            request=request,
            comment=request.POST.get("reason", "").strip()[:500],
        )
    except workflow.NotAllowed:
        messages.error(request, _("This application can no longer be withdrawn."))
    except workflow.Conflict:
        messages.error(
            request, _("The application changed meanwhile. Check it and try again.")
        )
    else:
        messages.success(request, _("Your application was withdrawn."))
    return SeeOther(reverse("applications:detail", args=[application.uuid]))


# --- answering a supplement request ---


class MessageForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the staff (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _answer_view(request, application_uuid, *, tolerance: bool):
    application = _own(request, application_uuid, applicant_only=True)
    detail_url = reverse("applications:detail", args=[application.uuid])
    open_request = supplement.open_request(application, tolerance=tolerance)
    if open_request is None:
        if request.method == "POST":
            messages.info(request, _("This request has already been answered."))
        return SeeOther(detail_url)
    field_items, to_read = supplement.requested_fields(application, open_request)
    note_form = MessageForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("request") != str(open_request.pk):
            messages.error(
                request, _("The request changed meanwhile. Read it again below.")
            )
            return SeeOther(request.path)
        data = {name: request.POST.getlist(name) for name in request.POST}
        if apply_row_actions(data, request.POST):
            # "Add a row" / "Remove row": show the form again, nothing is saved.
            for name in (ADD_ROW, REMOVE_ROW):
                data.pop(name, None)
            form = supplement.build_form(
                application, field_items, MultiValueDict(data), {}
            )
            form._errors, form.cleaned_data = ErrorDict(), {}
        else:
            form = supplement.build_form(
                application, field_items, request.POST, request.FILES
            )
            if form.is_valid() and note_form.is_valid():
                try:
                    supplement.answer(
                        application,
                        request.user,
                        open_request.pk,
                        form,
                        field_items,
                        tolerance=tolerance,
                        message=note_form.cleaned_data["message"],
                        http_request=request,
                    )
                except supplement.AlreadyAnswered:
                    messages.info(request, _("This request has already been answered."))
                except workflow.NotAllowed:
                    messages.error(request, _("You cannot answer this request now."))
                except workflow.Conflict:
                    messages.error(
                        request,
                        _("The application changed meanwhile. Check it and try again."),
                    )
                else:
                    messages.success(
                        request,
                        _("Your materials were sent.")
                        if tolerance
                        else _("Your supplement was sent. The review continues."),
                    )
                return SeeOther(detail_url)
    else:
        form = supplement.build_form(application, field_items)
    return render(
        request,
        "forms/tracking/supplement.html",
        {
            "application": application,
            "request_": open_request,
            "tolerance": tolerance,
            "form": form,
            "note_form": note_form,
            "to_read": to_read,
            "page_title": _("Send missing materials")
            if tolerance
            else _("Supplement your application"),
        },
    )


@never_cache
@login_required
@sensitive_post_parameters()
def supplement_view(request, application_uuid):
    return _answer_view(request, application_uuid, tolerance=False)


@never_cache
@login_required
@sensitive_post_parameters()
def materials_view(request, application_uuid):
    return _answer_view(request, application_uuid, tolerance=True)


# --- public progress lookup ---

IP_WINDOW_SECONDS = 10 * 60
RECEIPT_WINDOW_SECONDS = 60 * 60


def _count(bucket: str, window: int) -> int:
    return ratelimit.count("progress:" + bucket, window)


def _hit(bucket: str, window: int) -> int:
    return ratelimit.hit("progress:" + bucket, window)


class ProgressForm(forms.Form):
    receipt_number = forms.CharField(
        label=gettext_lazy("Receipt number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    id_last_four = forms.CharField(
        label=gettext_lazy("Last four characters of the ID number"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "size": 4}
        ),
    )

    def clean_receipt_number(self):
        return "".join(self.cleaned_data["receipt_number"].split()).upper()

    def clean_id_last_four(self):
        return self.cleaned_data["id_last_four"].strip().upper()


def find_by_receipt(receipt: str, last_four: str) -> Application | None:
    """The application with this receipt whose first ID ends so, else None."""
    application = (
        Application.objects.select_related("form", "version")
        .exclude(status=ApplicationStatus.DRAFT)
        .filter(receipt_number__iexact=receipt)
        .first()
    )
    if application is None:
        return None
    number = supplement.first_id_number(application).upper()
    if len(number) < 4 or not constant_time_compare(number[-4:], last_four):
        return None
    return application


class LookupRefused(Exception):
    """Too many lookups from this address or for this receipt number."""


def look_up(request, form: ProgressForm) -> Application | None:
    """The public lookup with its limits, for the page and the API alike.

    Counts the address first (every try), then the receipt number (wrong
    tries only). Raises LookupRefused past a limit; None for an invalid form
    or no match, the form then carrying one neutral message (no enumeration).
    """
    too_many = _hit(f"ip:{client_ip(request) or 'unknown'}", IP_WINDOW_SECONDS)
    if too_many > settings.PROGRESS_LOOKUP_IP_LIMIT:
        raise LookupRefused
    if not form.is_valid():
        return None
    receipt = form.cleaned_data["receipt_number"]
    bucket = f"receipt:{receipt}"
    if _count(bucket, RECEIPT_WINDOW_SECONDS) >= settings.PROGRESS_LOOKUP_RECEIPT_LIMIT:
        raise LookupRefused
    application = find_by_receipt(receipt, form.cleaned_data["id_last_four"])
    if application is None:
        _hit(bucket, RECEIPT_WINDOW_SECONDS)
        form.add_error(None, no_match_message())
    return application


def no_match_message() -> str:
    return _(
        "No application matches this receipt number and these "
        "characters of the ID number."
    )


def progress_result(application: Application) -> dict:
    """What the public lookup tells about a case: no name, no answers."""
    events = list(application.events.all())
    return {
        "receipt_number": application.receipt_number,
        "form_title": application.form.title,
        "stage": workflow.stage_label(application),
        "status": application.status,
        "steps": step_list(application, events),
        "expected": workflow.expected_completion(application),
        "submitted_at": application.submitted_at,
        "decided_at": application.decided_at,
        "publicity_until": application.step_due,
    }


@never_cache
@sensitive_post_parameters()
def progress(request):
    form = ProgressForm(request.POST or None)
    context = {"form": form, "page_title": _("Check the progress of an application")}
    if request.method == "POST":
        try:
            application = look_up(request, form)
        except LookupRefused:
            context["refused"] = True
            return render(request, "forms/tracking/progress.html", context, status=429)
        if application is not None:
            context["result"] = progress_result(application)
            # A fresh, empty form: the digits are not echoed back.
            context["form"] = ProgressForm()
    return render(request, "forms/tracking/progress.html", context)
