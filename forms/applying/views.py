"""The applicant's side of filling in: landing and checklist, steps, check
answers, receipt, deleting a draft, and the permission-checked file download.
我的申请 and following a case are in tracking.py."""

import uuid
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from cms.core.params import parse_int
from forms.applying import services
from forms.builder.engine import (
    StepForm,
    answer_rows,
    condition_holds,
    evaluate,
    is_visible,
)
from forms.casework.rights import visible_applications
from forms.models import (
    AccessKind,
    AccessRecord,
    Application,
    ApplicationFile,
    ApplicationStatus,
)


class SeeOther(HttpResponseRedirect):
    """303: the browser follows with GET, so a reload never re-posts (R2)."""

    status_code = 303


# --- the form page (served by ApplicationFormPage's routes) ---


def checklist_of(page) -> dict:
    """The one-time notification: the guide's materials and the form's uploads."""
    guide = page.guide
    uploads = [item for item in page.definition if item["type"] == "file"]
    return {
        "materials": [block.value for block in guide.materials] if guide else [],
        "uploads": uploads,
        "guide": guide,
    }


def talents_of(user):
    """Registered talents of an employer contact's organisation."""
    if user.kind != user.Kind.EMPLOYER or not user.employer_id:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            employer_id=user.employer_id, kind=user.Kind.TALENT, is_active=True
        )
        .order_by("real_name")
    )


def form_landing(request, page):
    user = request.user
    drafts = []
    if user.is_authenticated:
        drafts = list(
            Application.objects.filter(
                form=services.source_form(page),
                applicant=user,
                status=ApplicationStatus.DRAFT,
            ).order_by("-updated_at")
        )
    context = page.get_context(request)
    context.update(checklist_of(page))
    context.update(
        {
            "can_apply": page.is_open and page.accepts(user),
            "drafts": drafts,
            "start_token": uuid.uuid4(),
            "talents": talents_of(user) if user.is_authenticated else [],
        },
    )
    response = render(request, "forms/form_page.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def form_checklist(request, page):
    context = page.get_context(request)
    context.update(checklist_of(page))
    return render(request, "forms/checklist.html", context)


def start_application(request, page):
    if request.method != "POST":
        return SeeOther(page.url)
    if not request.user.is_authenticated:
        return redirect_to_login(page.url)
    if not page.is_open or not page.accepts(request.user):
        messages.error(request, _("You cannot apply with this form."))
        return SeeOther(page.url)
    try:
        token = uuid.UUID(request.POST.get("start_token", ""))
    except ValueError:
        return SeeOther(page.url)
    talent = None
    talent_id = request.POST.get("talent", "")
    if talent_id:
        talent_pk = parse_int(talent_id)
        if talent_pk is not None:
            talent = talents_of(request.user).filter(pk=talent_pk).first()
        if talent is None:
            messages.error(request, _("Choose a talent of your organisation."))
            return SeeOther(page.url)
    application = services.start(page, request.user, token, talent=talent)
    if application.applicant_id != request.user.pk:
        raise Http404
    response = SeeOther(reverse("applications:step", args=[application.uuid, 1]))
    # The application's pages have no language in their address: they follow
    # the language cookie, set here to the form's (cms/core/i18n.py).
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        application.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
    )
    return response


# --- steps of a draft ---


def _own_draft(request, application_uuid) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("form", "version"),
        uuid=application_uuid,
        applicant=request.user,
    )
    return application


def _progress(steps, current_number, answers):
    visible = [step for step in steps if is_visible(step, answers)]
    return [
        {
            "number": index,
            "title": step.title,
            "current": step.number == current_number,
            "step_number": step.number,
        }
        for index, step in enumerate(visible, start=1)
    ]


@never_cache
@login_required
@sensitive_post_parameters()
def step_view(request, application_uuid, number):
    application = _own_draft(request, application_uuid)
    if not application.is_draft:
        return SeeOther(reverse("applications:detail", args=[application.uuid]))
    steps = services.steps_of(application)
    step = next((s for s in steps if s.number == number), None)
    if step is None:
        raise Http404
    earlier = services.answers_before(application, steps, number)
    if not is_visible(step, earlier):
        return SeeOther(_next_url(application, steps, number))
    refused = False
    if request.method == "POST":
        try:
            result = services.save_step(application, step, request.POST, request.FILES)
        except services.DraftGone:
            return _draft_gone(request)
        except services.StorageFull as full:
            messages.error(
                request,
                _(
                    "Your files could not be stored: the server has no space left. "
                    "Nothing on this page was saved; please try again later."
                ),
            )
            result, refused = services.StepResult(full.form, row_action=False), True
        if not refused:
            try:
                response = _after_step_saved(request, application, steps, result)
            except Application.DoesNotExist:  # deleted in another tab meanwhile
                return _draft_gone(request)
            if response is not None:
                return response
            services.show_stored_files(result.form, application)
        form = result.form
    else:
        form = StepForm(
            step,
            earlier,
            data=MultiValueDict(application.get_draft_data()),
            files={},
            files_by_key=services.files_by_key(application),
        )
        # Show the stored inputs without judging them: errors appear on POST only.
        form._errors = ErrorDict()
        form.cleaned_data = {}
    services.remember_place(application, number)
    entries = [
        (entry, form[entry.key] if entry.is_field and entry.key is not None else None)
        for entry in step.entries
        if _shown(entry, step, earlier)
    ]
    return render(
        request,
        "forms/step.html",
        {
            "application": application,
            "page": application.form,
            "step": step,
            "form": form,
            "entries": entries,
            "progress": _progress(steps, number, earlier),
            "is_first": number == steps[0].number,
            "page_title": step.title,
        },
        status=503 if refused else 200,
    )


def _after_step_saved(request, application, steps, result):
    """Where a saved step leads: None to show the step again with its errors."""
    number = result.form.step.number
    action = request.POST.get("action", "next")
    if result.row_action:
        return SeeOther(request.path)
    if action == "back":
        return SeeOther(_previous_url(application, steps, number))
    if action == "save":
        messages.success(
            request, _("Your draft is saved. Continue it from My applications.")
        )
        return SeeOther(reverse("applications:mine"))
    if result.form.is_valid():
        return SeeOther(_next_url(application, steps, number))
    return None


def _draft_gone(request):
    messages.error(request, _("This draft has been deleted; nothing was saved."))
    return SeeOther(reverse("applications:mine"))


def _shown(entry, step, earlier) -> bool:
    """Hide entries whose conditions on earlier steps fail; the rest is rendered
    and conditions within the step are left to the browser and the server."""
    step_keys = {e.key for e in step.field_entries}
    decided = [c for c in entry.conditions if c.get("field") not in step_keys]
    return all(condition_holds(c, earlier) for c in decided)


def _visible_numbers(application, steps) -> list[int]:
    """Numbers of the steps that show, given everything answered so far."""
    evaluation = evaluate(
        steps, application.get_draft_data(), services.files_by_key(application)
    )
    return [step.number for step in evaluation.visible_steps]


def _next_url(application, steps, number):
    application.refresh_from_db()
    later = [n for n in _visible_numbers(application, steps) if n > number]
    if later:
        return reverse("applications:step", args=[application.uuid, later[0]])
    return reverse("applications:review", args=[application.uuid])


def _previous_url(application, steps, number):
    application.refresh_from_db()
    earlier = [n for n in _visible_numbers(application, steps) if n < number]
    if earlier:
        return reverse("applications:step", args=[application.uuid, earlier[-1]])
    return application.form.url


# --- check your answers, submit, receipt ---


@never_cache
@login_required
def review_view(request, application_uuid):
    application = _own_draft(request, application_uuid)
    if not application.is_draft:
        return SeeOther(reverse("applications:detail", args=[application.uuid]))
    steps = services.steps_of(application)
    stored_files = services.files_by_key(application)
    evaluation = evaluate(steps, application.get_draft_data(), stored_files)
    if request.method == "POST":
        try:
            submitted = services.submit(application)
        except services.SubmitRefused as refused:
            evaluation = refused.evaluation
            messages.error(request, _("Some answers need your attention."))
        else:
            return SeeOther(reverse("applications:receipt", args=[submitted.uuid]))
    services.remember_place(application, Application.RESUME_AT_REVIEW)
    sections = []
    for step in evaluation.visible_steps:
        definition = [entry.item for entry in step.entries]
        sections.append(
            {
                "step": step,
                "rows": answer_rows(definition, evaluation.answers, stored_files),
                "errors": evaluation.errors_by_step.get(step.number),
            }
        )
    return render(
        request,
        "forms/review.html",
        {
            "application": application,
            "page": application.form,
            "sections": sections,
            "is_valid": evaluation.is_valid,
            "progress": _progress(steps, None, evaluation.answers),
            "page_title": _("Check your answers"),
        },
    )


@never_cache
@login_required
def receipt_view(request, application_uuid):
    application = get_object_or_404(
        Application, uuid=application_uuid, applicant=request.user
    )
    if application.is_draft:
        return SeeOther(reverse("applications:review", args=[application.uuid]))
    return render(
        request,
        "forms/receipt.html",
        {
            "application": application,
            # The form's words in the applicant's language, if it has them.
            "page": services.translated_form(application) or application.form,
            "page_title": _("Application submitted"),
        },
    )


@require_POST
@login_required
def delete_draft(request, application_uuid):
    application = _own_draft(request, application_uuid)
    try:
        deleted = services.delete_draft(application)
    except services.DraftGone:
        return _draft_gone(request)
    if deleted:
        messages.success(request, _("The draft was deleted."))
    return SeeOther(reverse("applications:mine"))


# --- files ---


def can_download(user, stored: ApplicationFile) -> bool:
    """The applicant (or the talent applied for) and staff allowed to see it."""
    if not user.is_authenticated:
        return False
    if stored.application.is_visible_to(user):
        return True
    return visible_applications(user).filter(pk=stored.application_id).exists()


@never_cache
@login_required
def download_file(request, file_uuid):
    stored = get_object_or_404(
        ApplicationFile.objects.select_related("application"), uuid=file_uuid
    )
    if not can_download(request.user, stored):
        raise Http404
    application = stored.application
    if not application.is_visible_to(request.user):
        # Staff, through their case rights: on record. The file's own name may
        # carry a person's name, so the label is the case and the field.
        AccessRecord.record(
            request,
            AccessKind.FILE,
            stored,
            label=f"{application.receipt_number} {stored.field_key}",
        )
    response = FileResponse(
        stored.file.open("rb"), content_type=stored.content_type, as_attachment=True
    )
    # RFC 6266: the Chinese name percent-encoded, no way to inject a header.
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(stored.original_name, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
