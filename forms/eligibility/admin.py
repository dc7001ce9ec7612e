"""Eligibility in the admin: the rules per service item (a snippet with
revisions, edited with the condition editor of site/static/js/
eligibility-rules.js) and the staff list "eligible but not applied" with its
export and the confirmation of 免申即享 offers."""

import csv
import json

from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.core.models import TalentTier
from cms.departments.models import District
from forms.builder.admin_views import is_back_office
from forms.eligibility.facts import fact_catalogue
from forms.eligibility.logic import describe
from forms.models import (
    Application,
    ApplicationFormPage,
    BenefitOffer,
    EligibilityRule,
    OfferStatus,
)

VIEW_OFFERS = "applications.view_benefitoffer"
DECIDE_OFFERS = "applications.change_benefitoffer"
EXPORT_OFFERS = "applications.export_benefitoffer"


class RuleEditor(forms.Textarea):
    """The JSON of a rule, edited as groups of conditions: facts chosen by
    label, values from their lists. Without script the JSON stays editable."""

    template_name = "eligibility/widgets/rule_editor.html"

    class Media:
        js = ["js/eligibility-rules.js"]
        css = {"all": ["css/form-builder.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["facts_json"] = json.dumps(fact_catalogue(), ensure_ascii=False)
        return context

    def format_value(self, value):
        if isinstance(value, str):
            return value
        return json.dumps(value or {"and": []}, ensure_ascii=False)


def _tier_field(tier) -> str:
    return f"amount_{tier.code}"


class RuleForm(WagtailAdminModelForm):
    """The amount by tier as one number per tier, stored as a JSON Logic
    table; an empty table stores no amount."""

    amount_default = forms.DecimalField(
        label=gettext_lazy("amount for everyone else (yuan)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logic"].widget = RuleEditor()
        self.fields.pop("amount", None)
        table = self._table(self.instance.amount)
        for tier in TalentTier.objects.all():
            self.fields[_tier_field(tier)] = forms.DecimalField(
                label=_("amount for %(tier)s (yuan)") % {"tier": tier.name},
                required=False,
                initial=table.get(tier.code),
            )
        self.fields["amount_default"].initial = table.get(None)

    @staticmethod
    def _table(amount) -> dict:
        if isinstance(amount, int | float):
            return {None: amount}
        table: dict = {}
        if isinstance(amount, dict) and isinstance(amount.get("if"), list):
            args = amount["if"]
            for index in range(0, len(args) - 1, 2):
                condition = args[index]
                try:
                    table[condition["=="][1]] = args[index + 1]
                except (KeyError, TypeError, IndexError):
                    continue
            table[None] = args[-1] or None
        return table

    def clean_logic(self):
        value = self.cleaned_data["logic"]
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as error:
                raise forms.ValidationError(
                    _("The conditions are not readable.")
                ) from error
        return value

    def save(self, commit=True):
        pairs: list = []
        for tier in TalentTier.objects.all():
            value = self.cleaned_data.get(_tier_field(tier))
            if value is not None:
                pairs += [{"==": [{"var": "tier"}, tier.code]}, float(value)]
        default = self.cleaned_data.get("amount_default")
        default = float(default) if default is not None else 0
        if pairs:
            self.instance.amount = {"if": pairs + [default]}
        else:
            self.instance.amount = default or None
        return super().save(commit)


class RuleViewSet(SnippetViewSet):
    model = EligibilityRule
    icon = "tick-inverse"
    menu_label = gettext_lazy("Eligibility rules")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "service_item", "automatic", "is_active", "updated_at"]
    list_filter = ["automatic", "is_active"]
    search_fields = ["name", "policy_clause"]
    edit_handler = ObjectList(
        [
            FieldPanel("service_item"),
            FieldPanel("name"),
            FieldPanel("policy_clause"),
            FieldPanel("logic"),
            MultiFieldPanel(
                [FieldPanel("amount_text"), FieldPanel("time_limit")],
                heading=gettext_lazy("Amount and time limit"),
            ),
            FieldPanel("automatic"),
            FieldPanel("is_active"),
        ],
        base_form_class=RuleForm,
    )


register_snippet(RuleViewSet)


# --- eligible but not applied ---


def _applied(offers) -> set[tuple[int, int]]:
    """(user, rule) pairs whose talent has an application for the rule's item."""
    pairs: set[tuple[int, int]] = set()
    for offer in offers:
        guide = offer.rule.service_item.guide
        if guide is None:
            continue
        forms_under = ApplicationFormPage.objects.descendant_of(guide)
        if (
            Application.objects.filter(
                form__in=forms_under, applicant=offer.user_id
            ).exists()
            or Application.objects.filter(
                form__in=forms_under, talent=offer.user_id
            ).exists()
        ):
            pairs.add((offer.user_id, offer.rule_id))
    return pairs


def _offers(request):
    offers = BenefitOffer.objects.select_related(
        "user", "rule__service_item__guide"
    ).order_by("rule__service_item__name", "district", "-created_at")
    item = request.GET.get("item", "")
    district = request.GET.get("district", "")
    if item.isdigit():
        offers = offers.filter(rule__service_item_id=int(item))
    if district:
        offers = offers.filter(district=district)
    found = list(offers[:2000])
    applied = _applied(found)
    return [o for o in found if (o.user_id, o.rule_id) not in applied], item, district


def _may_view(user) -> bool:
    return is_back_office(user) and user.has_perm(VIEW_OFFERS)


def unapplied(request):
    if not _may_view(request.user):
        raise PermissionDenied
    rows, item, district = _offers(request)
    districts = {d.code or d.name: d.name for d in District.objects.all()}
    if request.GET.get("format") == "csv":
        if not request.user.has_perm(EXPORT_OFFERS):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            'attachment; filename="eligible-not-applied.csv"'
        )
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                _("service item"),
                _("rule"),
                _("district"),
                _("talent"),
                _("amount"),
                _("status"),
                _("found"),
            ]
        )
        for offer in rows:
            writer.writerow(
                [
                    offer.rule.service_item.name,
                    offer.rule.name,
                    districts.get(offer.district, offer.district),
                    offer.user.get_username(),
                    offer.amount if offer.amount is not None else "",
                    offer.get_status_display(),
                    timezone.localtime(offer.created_at).strftime("%Y-%m-%d"),
                ]
            )
        return response
    items = EligibilityRule.objects.values_list(
        "service_item_id", "service_item__name"
    ).distinct()
    return render(
        request,
        "eligibility/admin/unapplied.html",
        {
            "rows": rows,
            "items": sorted(set(items), key=lambda pair: pair[1]),
            "districts": sorted(districts.items(), key=lambda pair: pair[1]),
            "district_names": districts,
            "item": item,
            "district": district,
            "may_decide": request.user.has_perm(DECIDE_OFFERS),
            "may_export": request.user.has_perm(EXPORT_OFFERS),
            "header_title": _("Eligible but not applied"),
        },
    )


@require_POST
def decide(request, offer_id: int):
    if not (_may_view(request.user) and request.user.has_perm(DECIDE_OFFERS)):
        raise PermissionDenied
    offer = get_object_or_404(BenefitOffer, pk=offer_id, status=OfferStatus.TO_CONFIRM)
    confirmed = request.POST.get("decision") == "confirm"
    offer.status = OfferStatus.CONFIRMED if confirmed else OfferStatus.DECLINED
    offer.decided_by = request.user
    offer.decided_at = timezone.now()
    offer.save(update_fields=["status", "decided_by", "decided_at"])
    return redirect(reverse("eligibility_unapplied") + "?" + request.GET.urlencode())


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("benefits/", unapplied, name="eligibility_unapplied"),
        path("benefits/<int:offer_id>/decide/", decide, name="eligibility_decide"),
    ]


class OffersMenuItem(MenuItem):
    def is_shown(self, request):
        return _may_view(request.user)


@hooks.register("register_admin_menu_item")
def register_menu():
    return OffersMenuItem(
        gettext_lazy("Eligible but not applied"),
        reverse("eligibility_unapplied"),
        icon_name="list-ul",
        order=261,
    )


@hooks.register("register_permissions")
def offer_permissions():
    return Permission.objects.filter(
        content_type__app_label="applications",
        codename__in=[
            "view_benefitoffer",
            "change_benefitoffer",
            "export_benefitoffer",
        ],
    )


def rule_in_words(rule: EligibilityRule) -> str:
    try:
        return describe(rule.logic)
    except ValueError:
        return ""
