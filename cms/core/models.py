"""Shared content foundations: the abstract BasePage, the hall's taxonomies
(service categories, talent tiers) and the hall's site-wide settings."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.search import index

from cms.core.permissions import HallPagePermissionTester


class BasePage(Page):
    """Every page of the hall inherits this: one place for shared behaviour."""

    class Meta:
        abstract = True

    def _ancestor_paths(self) -> list[str]:
        """The tree paths of this page's ancestors, root first: known without a
        query, since a path is its ancestors' paths plus one step."""
        steplen = self.steplen
        return [self.path[:end] for end in range(steplen, len(self.path), steplen)]

    # A page type that heads a unit's section of the hall (a department's or a
    # district's module) says so here; the core knows the idea, not the types.
    is_module = False

    @staticmethod
    def module_models() -> list[type[Page]]:
        """The concrete page types that head a module, as their apps declare."""
        return [
            model for model in get_page_models() if getattr(model, "is_module", False)
        ]

    def get_module(self):
        """The department or district module page this page belongs to, if any:
        the nearest one, found in one query (a department module may sit in a
        district module)."""
        if self.is_module:
            return self
        # Each module type is a table below Page: its reverse one-to-one is named
        # after the model, so one join per type fetches the specific row.
        names = [model._meta.model_name for model in self.module_models()]
        if not names:
            return None
        present = models.Q()
        for name in names:
            present |= models.Q(**{f"{name}__isnull": False})
        ancestor = (
            Page.objects.filter(path__in=self._ancestor_paths())
            .filter(present)
            .select_related(*names)
            .order_by("-depth")
            .first()
        )
        if ancestor is None:
            return None
        # The join fetched the specific row: no second query for .specific.
        for name in names:
            try:
                return getattr(ancestor, name)
            except ObjectDoesNotExist:
                continue
        return None

    def get_breadcrumbs(self) -> list[Page]:
        """The live ancestors below the tree root, root first, with just what a
        breadcrumb shows: evaluated once, so templates can test and loop."""
        return list(
            Page.objects.filter(path__in=self._ancestor_paths(), depth__gt=1)
            .live()
            .only("id", "title", "url_path", "path", "depth", "content_type")
            .order_by("path")
        )

    def get_view_restrictions(self):
        # The route memo (cms/core/fragments.py) found no restriction and no
        # alias on this page or above it, for the current content generation.
        if getattr(self, "_hall_unrestricted", False):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def permissions_for_user(self, user):
        # Wagtail casts a plain Page to its specific class when this is
        # overridden, so every admin path gets the hall's tester.
        return HallPagePermissionTester(user, self)


class ServiceCategory(models.Model):
    """A category of the service menu (人才认定, 住房安居, ...)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True, allow_unicode=False)
    description = models.CharField(_("description"), max_length=200, blank=True)
    icon = models.CharField(
        _("icon"),
        max_length=30,
        blank=True,
        help_text=_("Name of the icon shown on the service menu, e.g. 'id-card'."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("icon"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.name


class TalentTier(models.Model):
    """A tier of high-level talent (第一层次 … 第七层次) that policies apply to."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    code = models.SlugField(_("code"), max_length=20, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("talent tier")
        verbose_name_plural = _("talent tiers")

    def __str__(self) -> str:
        return self.name


@register_setting(icon="site")
class HallSettings(BaseSiteSetting):
    """What the footer and header say about the hall: editable, never hard-coded."""

    hall_name = models.CharField(_("hall name"), max_length=60, default="人才港湾")
    operator = models.CharField(
        _("operated by"), max_length=100, blank=True, default="泉州市高层次人才服务中心"
    )
    hotline = models.CharField(_("service hotline"), max_length=40, blank=True)
    address = models.CharField(_("hall address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    icp_number = models.CharField(_("ICP licence number"), max_length=60, blank=True)

    panels = [
        FieldPanel("hall_name"),
        FieldPanel("operator"),
        FieldPanel("hotline"),
        FieldPanel("address"),
        FieldPanel("opening_hours"),
        FieldPanel("icp_number"),
    ]

    class Meta:
        verbose_name = _("hall settings")


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Rest day (public holiday)")
    WORKDAY = "workday", _("Make-up working day")


class CalendarDayForm(WagtailAdminModelForm):
    def save(self, commit=True):
        # A day saved in the admin is the city's own, even one that was seeded.
        self.instance.source = CalendarDaySource.LOCAL
        return super().save(commit=commit)


class CalendarDaySource(models.TextChoices):
    # Seeded and refreshed from the chinesecalendar package (the State Council's
    # yearly notice); refreshing never touches the city's own rows.
    OFFICIAL = "official", _("State Council arrangement")
    LOCAL = "local", _("Entered by the city")


class CalendarDay(models.Model):
    """A day that breaks the weekly rule of the working-day calendar.

    Monday to Friday are working days and weekends are rest days unless a row
    says otherwise: a public holiday or a day off moved by 调休 (`holiday`), or a
    weekend day worked in exchange (调休上班, `workday`). Deadlines are counted on
    this calendar (cms/core/workdays.py).
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField(
        _("name"),
        max_length=40,
        blank=True,
        help_text=_("The holiday it belongs to, e.g. 春节 or 春节调休."),
    )
    source = models.CharField(
        pgettext_lazy("calendar day", "source"),
        max_length=10,
        choices=CalendarDaySource.choices,
        default=CalendarDaySource.LOCAL,
        db_index=True,
    )

    panels = [FieldPanel("date"), FieldPanel("kind"), FieldPanel("name")]
    base_form_class = CalendarDayForm

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".rstrip()

    def clean(self) -> None:
        # A make-up working day on a weekday would change nothing and usually
        # means the date was mistyped.
        if (
            self.kind == CalendarDayKind.WORKDAY
            and self.date is not None
            and self.date.weekday() < 5
        ):
            raise ValidationError(
                {
                    "date": _(
                        "%(date)s is a weekday: only a Saturday or Sunday can be "
                        "a make-up working day."
                    )
                    % {"date": self.date.isoformat()}
                }
            )
