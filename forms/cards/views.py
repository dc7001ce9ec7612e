"""The talent's card page, and the public verification a partner's phone opens.

Verification needs no account: it shows the outcome, the tier and the masked
name the token carries. Each scan adds one to its partner's count for the day;
the partner comes from ``?partner=<code>`` or from the cookie its own link
sets on the partner's phone. Nothing about the card or the visitor is logged.
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache

from forms.cards import services, tokens
from forms.models import Partner, TalentProfile, VerificationCount, VerificationOutcome

PARTNER_COOKIE = "card_partner"
PARTNER_COOKIE_AGE = 365 * 24 * 3600


@never_cache
@login_required
def my_card(request):
    """The signed-in talent's own cards: only profiles linked to the account."""
    cards = []
    profiles = TalentProfile.objects.filter(user=request.user).select_related("tier")
    for profile in profiles.order_by("-valid_until", "-pk"):
        card = services.card_for(profile)
        token = services.token_for(card)
        url = services.verify_url(request, token)
        cards.append(
            {
                "profile": profile,
                "card": card,
                "verify_url": url,
                "qr": services.qr_svg(url) if profile.is_valid else "",
                "partners": services.partners_for(profile),
            }
        )
    return render(
        request,
        "forms/cards/my_card.html",
        {"cards": cards, "page_title": _("My talent card")},
    )


def _partner(request) -> Partner | None:
    code = request.GET.get("partner") or request.COOKIES.get(PARTNER_COOKIE) or ""
    if not code or len(code) > 40:
        return None
    return Partner.objects.filter(code=code).first()


@never_cache
def verify(request, token: str):
    result = services.check(token)
    partner = _partner(request)
    VerificationCount.add(partner, result.outcome)
    status = 400 if result.outcome == VerificationOutcome.INVALID else 200
    return render(
        request,
        "forms/cards/verify.html",
        {
            "result": result,
            "outcome": result.outcome,
            "outcome_label": VerificationOutcome(result.outcome).label,
            "partner": partner,
            "keys_url": reverse("cards:keys"),
            "page_title": _("Talent card verification"),
        },
        status=status,
    )


@never_cache
def partner_link(request, code: str):
    """A partner's own verification link: remembers the partner on this phone."""
    partner = get_object_or_404(Partner, code=code, active=True)
    response = render(
        request,
        "forms/cards/partner_link.html",
        {"partner": partner, "page_title": _("Talent card verification")},
    )
    response.set_cookie(
        PARTNER_COOKIE,
        partner.code,
        max_age=PARTNER_COOKIE_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


@cache_control(public=True, max_age=3600)
def public_keys(request):
    """The verification keys (JWK set), newest first, for offline checking."""
    return JsonResponse({"keys": tokens.public_keys()})
