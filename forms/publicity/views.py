"""Public pages of publicity (公示): the list of live batches, one batch with its
masked lines and the objection form (docs/security.md G4, G5, C3)."""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from cms.core.identifiers import normalize_mobile
from forms.models import PublicityBatch, PublicityEntry
from forms.publicity import batches as publicity


def _public(response):
    # Taken down means gone from search engines and caches too (G5).
    response["X-Robots-Tag"] = "noindex, noarchive"
    return response


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, entry: PublicityEntry) -> str:
        employer = f"（{entry.employer_name}）" if entry.employer_name else ""
        return f"{entry.number}. {entry.masked_name}{employer}"


class ObjectionForm(forms.Form):
    entry = EntryChoiceField(
        queryset=PublicityEntry.objects.none(),
        label=gettext_lazy("Objection to"),
        empty_label=gettext_lazy("Choose the person"),
    )
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=50)
    phone = forms.CharField(
        label=gettext_lazy("Your mobile number"),
        max_length=20,
        help_text=gettext_lazy("So that we can ask you about the objection."),
    )
    relation = forms.CharField(
        label=gettext_lazy("Your relation to the person"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("For example: colleague, or none."),
    )
    content = forms.CharField(
        label=gettext_lazy("Your objection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("What is wrong, and how you know it."),
    )

    def __init__(self, batch: PublicityBatch, *args, **kwargs):
        super().__init__(*args, **kwargs)
        entry = self.fields["entry"]
        assert isinstance(entry, forms.ModelChoiceField)
        entry.queryset = batch.entries.order_by("number")

    def clean_phone(self) -> str:
        return normalize_mobile(self.cleaned_data["phone"])


@never_cache
def batch_list(request):
    today = timezone.localdate()
    batches = PublicityBatch.objects.filter(
        published_at__isnull=False, closed_at__isnull=True, starts_on__lte=today
    ).order_by("-starts_on", "-pk")
    return _public(
        TemplateResponse(
            request, "forms/publicity/batch_list.html", {"batches": batches}
        )
    )


@never_cache
@sensitive_post_parameters("phone", "name")
def batch_detail(request, batch_id: int):
    batch = get_object_or_404(
        PublicityBatch,
        pk=batch_id,
        published_at__isnull=False,
        starts_on__lte=timezone.localdate(),
    )
    if batch.closed_at:
        # The period is over: the list is gone (G5), and says so.
        return _public(
            TemplateResponse(
                request,
                "forms/publicity/batch_ended.html",
                {"batch": batch},
                status=404,
            )
        )
    status = 200
    form = None
    if batch.accepts_objections:
        form = ObjectionForm(batch, request.POST or None)
        if request.method == "POST" and form.is_valid():
            if publicity.objection_allowed(request):
                data = form.cleaned_data
                publicity.file_objection(
                    data["entry"],
                    name=data["name"],
                    phone=data["phone"],
                    relation=data["relation"],
                    content=data["content"],
                    request=request,
                )
                messages.success(
                    request,
                    _(
                        "Your objection was received. The staff look into it and "
                        "may call you."
                    ),
                )
                url = reverse("publicity:detail", args=[batch.pk])
                return HttpResponseRedirect(url, status=303)
            form.add_error(
                None,
                _(
                    "Too many objections were sent from your address. Try again "
                    "later, or call the phone number above."
                ),
            )
            status = 429
        elif request.method == "POST":
            status = 400
    entries = batch.entries.order_by("number").only(
        "number", "masked_name", "masked_id", "employer_name", "category"
    )
    return _public(
        TemplateResponse(
            request,
            "forms/publicity/batch_detail.html",
            {"batch": batch, "entries": entries, "form": form},
            status=status,
        )
    )
