"""The talent database (人才库): profiles from completed approvals, lookups and the
masked export (docs/security.md G2, G3, H1, H2).

A completed case (``case_event`` with ``to_status == "completed"``, sent after
commit) creates or updates the profile of the person it concerns, matched by
the blind index of their ID number. Connect the receiver at start-up by
importing this module in ``ApplicationsConfig.ready``.
"""

import datetime
import logging
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cms.accounts.models import Employer
from cms.core import crypto
from cms.core.models import TalentTier
from forms.casework.exports import csv_chunks, xlsx_chunks
from forms.casework.workflow import case_event
from forms.models import Application, ApplicationStatus, TalentProfile
from forms.publicity.batches import employer_name_of, tier_answer

logger = logging.getLogger(__name__)


# --- from an application ---


def _sealed_ids(answers: dict) -> Iterator[dict]:
    for value in answers.values():
        # Sealed ID numbers have a "kind"; other sealed answers do not.
        if isinstance(value, dict) and value.get("cipher") and "kind" in value:
            yield value
        elif isinstance(value, list):
            for row in value:
                if isinstance(row, dict):
                    yield from _sealed_ids(row)


def sealed_id_of(application: Application) -> dict | None:
    """The sealed ID answer whose blind index is the application's id_digest."""
    if not application.id_digest:
        return None
    for sealed in _sealed_ids(application.answers):
        if (
            crypto.blind_index(crypto.decrypt(sealed["cipher"]))
            == application.id_digest
        ):
            return sealed
    return None


def find_tier(text: str) -> TalentTier | None:
    text = (text or "").strip()
    if not text:
        return None
    return (
        TalentTier.objects.filter(name=text).first()
        or TalentTier.objects.filter(code=text).first()
    )


def find_employer(name: str) -> Employer | None:
    matches = list(Employer.objects.filter(name=name.strip())[:2]) if name else []
    return matches[0] if len(matches) == 1 else None


def industry_of(application: Application, employer: Employer | None) -> str:
    """An answer whose key names the field or industry, else the employer's."""
    for item in application.version.definition:
        key = item.get("key") or ""
        if any(word in key for word in ("industry", "discipline", "field_of")):
            value = application.answers.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()[:60]
    return employer.industry if employer else ""


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validity_from(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    years = settings.TALENT_CERTIFICATE_VALID_YEARS
    return day, add_years(day, years) - datetime.timedelta(days=1)


def profile_from_application(application: Application) -> TalentProfile | None:
    """Create or update the profile of a completed application's person."""
    if application.status != ApplicationStatus.COMPLETED:
        return None
    sealed = sealed_id_of(application)
    employer = application.employer or find_employer(employer_name_of(application))
    tier_text = tier_answer(application)
    tier = find_tier(tier_text)
    person = application.talent or (
        application.applicant if application.applicant.kind == "talent" else None
    )
    valid_from, valid_until = validity_from(
        timezone.localdate(application.decided_at or timezone.now())
    )
    values: dict[str, object] = {
        "name": application.subject_name[:50],
        "tier": tier,
        "tier_name": "" if tier else tier_text[:60],
        "industry": industry_of(application, employer),
        "employer": employer,
        "employer_name": employer.name if employer else employer_name_of(application),
        "valid_from": valid_from,
        "valid_until": valid_until,
        "source_application": application,
    }
    if person is not None:
        values["user"] = person
    if sealed:
        values.update(
            id_digest=application.id_digest,
            id_cipher=crypto.rotate(sealed["cipher"]),
            id_masked=sealed["masked"],
            id_kind=sealed.get("kind", ""),
        )
    with transaction.atomic():
        profile = None
        if sealed:
            profile = (
                TalentProfile.objects.select_for_update()
                .filter(id_digest=application.id_digest)
                .first()
            )
        if profile is None:
            # Without an ID the profile cannot be matched; one per application.
            profile = (
                TalentProfile.objects.filter(
                    source_application=application, id_digest=""
                ).first()
                or TalentProfile()
            )
        for name, value in values.items():
            setattr(profile, name, value)
        profile.save()
    return profile


@receiver(case_event, dispatch_uid="forms.talents.profiles.completed_profile")
def completed_profile(sender, event, **kwargs) -> None:
    """A completed approval feeds the talent database."""
    if event.to_status != ApplicationStatus.COMPLETED:
        return
    try:
        profile_from_application(
            Application.objects.select_related("version", "employer", "applicant").get(
                pk=event.application_id
            )
        )
    except Exception:
        # Sent after the case committed: a failure here must not undo or hide
        # the staff's action; it is logged for the administrator instead.
        logger.exception("Talent profile not written for case %s", event.application_id)


# --- lookups and the export ---


# The admin list's query parameters that an export honours, and nothing else.
PROFILE_FILTERS = {
    "tier__id__exact": "tier_id",
    # The list's industry filter links carry ``industry=``.
    "industry": "industry",
    "industry__exact": "industry",
    "employer__id__exact": "employer_id",
    "id_digest": "id_digest",
}


def filter_profiles(params) -> QuerySet:
    """Profiles as the admin list shows them for these query parameters."""
    queryset = TalentProfile.objects.all()
    for key, field_name in PROFILE_FILTERS.items():
        value = params.get(key)
        if value:
            queryset = queryset.filter(**{field_name: value})
    today = timezone.localdate()
    if params.get("valid") == "yes":
        queryset = queryset.exclude(valid_until__lt=today)
    elif params.get("valid") == "no":
        queryset = queryset.filter(valid_until__lt=today)
    for term in (params.get("q") or "").split():
        queryset = queryset.filter(
            Q(name__icontains=term) | Q(certificate_number__icontains=term)
        )
    return queryset


EXPORT_COLUMNS = [
    ("certificate_number", gettext_lazy("Certificate number")),
    ("name", pgettext_lazy("person", "Name")),
    ("id_number", gettext_lazy("ID number")),
    ("tier", gettext_lazy("Tier")),
    ("industry", gettext_lazy("Field or industry")),
    ("employer", gettext_lazy("Employer")),
    ("valid_from", gettext_lazy("Valid from")),
    ("valid_until", gettext_lazy("Valid until")),
]


def _row(profile: TalentProfile, reveal: bool) -> list[str]:
    if reveal and profile.id_cipher:
        id_number = crypto.decrypt(profile.id_cipher)
    else:
        id_number = profile.id_masked
    return [
        profile.certificate_number,
        profile.name,
        id_number,
        profile.tier_label,
        profile.industry,
        profile.employer_name,
        profile.valid_from.isoformat() if profile.valid_from else "",
        profile.valid_until.isoformat() if profile.valid_until else "",
    ]


def export_chunks(queryset: QuerySet, file_format: str, *, reveal: bool = False):
    """The profiles as XLSX or CSV, masked unless ``reveal``, formula-safe."""
    headers = [str(label) for _key, label in EXPORT_COLUMNS]
    language = translation.get_language()

    def rows():
        with translation.override(language):
            for profile in queryset.select_related("tier").order_by("pk").iterator():
                yield _row(profile, reveal)

    if file_format == "csv":
        return csv_chunks(headers, rows())
    return xlsx_chunks(headers, rows(), sheet_name=_("Talents"))
