"""Departments and districts (the records) and their module pages (the content).

Each Department or District owns one module page, an editor group and a moderator
group whose Wagtail page permissions cover that module only, and a casework group
(a department's handlers, a district's pre-reviewers; see permissions.py).
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Collection
from wagtail.search import index

from cms.core.blocks import BodyStreamBlock
from cms.core.models import BasePage
from cms.departments.forms import ModulePageForm


class Unit(models.Model):
    """What departments and districts share: contact details and their groups."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    editors_group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderators_group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The unit's casework role (a department's 经办, a district's 初审): the only
    # way its staff get case rights; belonging to the unit gives none.
    casework_group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="casework_unit_%(class)s",
    )
    collection = models.OneToOneField(
        Collection,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where the unit's documents and images are kept."),
    )

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class District(Unit):
    """A county-level district (县区) of the city: pre-reviews its applicants."""

    code = models.CharField(
        _("division code"),
        max_length=6,
        blank=True,
        help_text=_("Administrative division code, e.g. 350502."),
    )

    class Meta(Unit.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Department(Unit):
    """A functional department (职能部门) of the city, or of a district."""

    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
        help_text=_(
            "Empty for a city department; the district for a district's own department."
        ),
    )

    class Meta(Unit.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class ModulePage(BasePage):
    """A unit's module of the hall: its introduction, service window and contents."""

    # BasePage.get_module finds the nearest page that says this.
    is_module = True

    introduction = models.TextField(_("introduction"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    service_window = models.CharField(
        _("service window"),
        max_length=120,
        blank=True,
        help_text=_("e.g. 人才大厦一楼 3 号窗口"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    office_hours = models.CharField(
        _("office hours"),
        max_length=120,
        blank=True,
        help_text=_("e.g. 工作日 8:30-12:00, 14:30-17:30"),
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("service_window"),
                FieldPanel("phone"),
                FieldPanel("office_hours"),
            ],
            heading=_("Service window"),
        ),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("introduction")]
    api_fields = [
        APIField("introduction"),
        APIField("address"),
        APIField("service_window"),
        APIField("phone"),
        APIField("office_hours"),
    ]

    class Meta:
        abstract = True

    def source_unit(self):
        """A translation's unit: the one of its version in the default locale."""
        if self.pk is None:
            return None
        source = (
            type(self)
            .objects.filter(
                translation_key=self.translation_key,
                locale__language_code=settings.LANGUAGE_CODE,
            )
            .exclude(pk=self.pk)
            .first()
        )
        return source.unit if source is not None else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each content app lists its own pages of a module through the
        # `module_page_lists` hook (a function `(module) -> {context name: list}`):
        # the module knows no content type, and those types may point at units.
        for hook in hooks.get_hooks("module_page_lists"):
            context.update(hook(self))
        context["sub_modules"] = list(
            DepartmentPage.objects.child_of(self)
            .live()
            .only("title", "url_path", "phone")
        )
        return context


MODULE_CONTENT_TYPES = [
    "policies.PolicyPage",
    "services.ServiceGuidePage",
    "news.NewsPage",
    "home.StandardPage",
    "applications.ApplicationFormPage",
]


class DepartmentPage(ModulePage):
    # Empty on a translation: the unit's module is its Chinese page, which
    # the translation reaches through ``unit``.
    department = models.OneToOneField(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="module_page",
        null=True,
        blank=True,
    )
    exclude_fields_in_copy = ["department"]

    content_panels = (
        ModulePage.content_panels[:1]
        + [FieldPanel("department")]
        + ModulePage.content_panels[1:]
    )
    base_form_class = ModulePageForm
    api_fields = ModulePage.api_fields + [APIField("department_name")]
    parent_page_types = ["home.HomePage", "departments.DistrictPage"]
    subpage_types = MODULE_CONTENT_TYPES

    class Meta:
        verbose_name = _("department module")
        verbose_name_plural = _("department modules")

    @property
    def unit(self):
        if self.department_id is None:
            return self.source_unit()
        return self.department

    @property
    def department_name(self) -> str:
        unit = self.unit
        return unit.name if unit else ""


class DistrictPage(ModulePage):
    # Empty on a translation: the unit's module is its Chinese page, which
    # the translation reaches through ``unit``.
    district = models.OneToOneField(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="module_page",
        null=True,
        blank=True,
    )
    exclude_fields_in_copy = ["district"]

    content_panels = (
        ModulePage.content_panels[:1]
        + [FieldPanel("district")]
        + ModulePage.content_panels[1:]
    )
    base_form_class = ModulePageForm
    parent_page_types = ["home.HomePage"]
    subpage_types = ["departments.DepartmentPage"] + MODULE_CONTENT_TYPES

    class Meta:
        verbose_name = _("district module")
        verbose_name_plural = _("district modules")

    @property
    def unit(self):
        if self.district_id is None:
            return self.source_unit()
        return self.district
