"""Talent profiles, cards and keys for the card tests."""

import base64
import datetime
import secrets

from django.utils import timezone

from forms.cards import services
from forms.models import TalentProfile
from tests.factories import make_user, tier


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def approved_talent(name: str = "欧阳小明", valid_days: int = 365, **fields):
    user = fields.pop("user", None) or make_user(real_name=name)
    today = timezone.localdate()
    profile = TalentProfile.objects.create(
        user=user,
        name=name,
        tier=fields.pop("tier", tier("tier-1")),
        valid_from=today - datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=valid_days),
        **fields,
    )
    return user, profile


def token_of(profile) -> str:
    return services.token_for(services.card_for(profile))
