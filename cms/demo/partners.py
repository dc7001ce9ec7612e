"""The demo's talent card partners (data/partners.json), and the cards of the
demo's approved talents (docs/cards.md)."""

from cms.core.models import TalentTier
from forms.cards.services import card_for
from forms.models import Partner, TalentProfile

from .files import read_json
from .progress import Progress

PARTNERS_FILE = "partners.json"


def write_card_partners(progress: Progress) -> None:
    for order, record in enumerate(read_json(PARTNERS_FILE)):
        fields = {
            key: record[key] for key in ("name", "kind", "benefits", "address", "phone")
        }
        partner, created = Partner.objects.get_or_create(
            code=record["code"], defaults={**fields, "sort_order": order}
        )
        if created:
            partner.tiers.set(TalentTier.objects.filter(code__in=record["tiers"]))
        progress.record("card partners", created)


def write_talent_cards(progress: Progress) -> None:
    """Approved talents with an account get their card issued."""
    for profile in TalentProfile.objects.filter(user__isnull=False).select_related(
        "card"
    ):
        created = not hasattr(profile, "card")
        card_for(profile)
        progress.record("talent cards", created)
