"""Cards of talent profiles, their tokens and what a scan of one answers."""

import datetime
from dataclasses import dataclass

import segno
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cms.core.identifiers import mask_name
from cms.core.models import TalentTier
from forms.cards import tokens
from forms.models import Partner, TalentCard, TalentProfile, VerificationOutcome


def card_for(profile: TalentProfile) -> TalentCard:
    try:
        return profile.card
    except TalentCard.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return TalentCard.objects.create(profile=profile)
    except IntegrityError:  # issued by a concurrent request
        return TalentCard.objects.get(profile=profile)


def token_for(card: TalentCard) -> str:
    profile = card.profile
    assert profile is not None
    return tokens.sign(
        serial=card.serial,
        tier=profile.tier.code if profile.tier else "",
        expires=profile.valid_until,
        masked_name=mask_name(profile.name),
    )


def verify_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("cards:verify", args=[token]))


def qr_svg(text: str) -> str:
    """The QR code of ``text`` as inline SVG (error correction M survives smudges)."""
    return segno.make(text, error="m").svg_inline(scale=4, border=2, omitsize=True)


def partners_for(profile: TalentProfile) -> QuerySet:
    partners = Partner.objects.filter(active=True)
    if profile.tier_id:
        partners = partners.filter(Q(tiers=None) | Q(tiers=profile.tier_id))
    else:
        partners = partners.filter(tiers=None)
    return partners.distinct().order_by("sort_order", "name")


@dataclass
class Verification:
    outcome: str
    claims: tokens.CardClaims | None = None
    tier_name: str = ""


def check(token: str, today: datetime.date | None = None) -> Verification:
    """Signature and expiry from the token, revocation from the database."""
    try:
        claims = tokens.verify(token)
    except tokens.BadToken:
        return Verification(VerificationOutcome.INVALID)
    today = today or timezone.localdate()
    card = (
        TalentCard.objects.select_related("profile__tier")
        .filter(serial=claims.serial)
        .first()
    )
    profile = card.profile if card else None
    tier = TalentTier.objects.filter(code=claims.tier).first() if claims.tier else None
    tier_name = tier.name if tier else claims.tier
    if profile is None or profile.revoked_on is not None:
        outcome = VerificationOutcome.REVOKED
    elif profile.valid_until is not None and profile.valid_until < today:
        # The recognition ended: the card is revoked whatever the token says.
        outcome = VerificationOutcome.REVOKED
    elif claims.expires is not None and claims.expires < today:
        outcome = VerificationOutcome.EXPIRED
    else:
        outcome = VerificationOutcome.VALID
    return Verification(outcome, claims, tier_name)
