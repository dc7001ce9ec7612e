"""The hall's entrance and plain pages."""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.core.blocks import BodyStreamBlock
from cms.core.fragments import lazy
from cms.core.links import exclude_private, page_url
from cms.core.models import BasePage, ServiceCategory
from cms.departments.models import DepartmentPage, DistrictPage
from cms.home.figures import hall_figures
from cms.news.models import NewsPage
from cms.policies.models import PolicyPage
from cms.services.models import ServiceItem


class HomePage(BasePage):
    """The hall's entrance: search, service menu, latest policies and news, figures,
    and the department modules."""

    headline = models.CharField(
        _("headline"), max_length=120, default="高层次人才“一站式”服务大厅"
    )
    introduction = models.TextField(_("introduction"), blank=True)
    search_placeholder = models.CharField(
        _("search box hint"),
        max_length=80,
        blank=True,
        default="搜索政策、办事指南，例如：住房补贴",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("headline"),
        FieldPanel("introduction"),
        FieldPanel("search_placeholder"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "departments.DepartmentPage",
        "departments.DistrictPage",
        "policies.PolicyIndexPage",
        "news.NewsIndexPage",
        "home.StandardPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazily: all of it comes from the fragment cache most of the time (the
        # figures, like the page cache's, may then be five minutes old).
        context.update(
            service_menu=lazy(lambda: self._service_menu(request)),
            latest_policies=lazy(
                lambda: list(
                    exclude_private(PolicyPage.objects.live(), request)
                    .select_related("issuing_department")
                    .only(
                        "title",
                        "url_path",
                        "status",
                        "issued_on",
                        "issuing_department__name",
                        "issuing_department__short_name",
                    )
                    .order_by("-issued_on")[:8]
                )
            ),
            latest_news=lazy(
                lambda: list(
                    exclude_private(NewsPage.objects.live(), request)
                    .only("title", "url_path", "date")
                    .order_by("-date")[:6]
                )
            ),
            figures=lazy(hall_figures),
            department_modules=lazy(
                lambda: list(
                    DepartmentPage.objects.child_of(self)
                    .live()
                    .only("title", "url_path", "phone")
                )
            ),
            district_modules=lazy(
                lambda: list(
                    DistrictPage.objects.child_of(self).live().only("title", "url_path")
                )
            ),
        )
        return context

    def _service_menu(self, request) -> list[dict]:
        # The menu links each item to its guide through the guide's url_path:
        # loading the guide pages (and their StreamFields) to build a link cost
        # more than the rest of the page.
        items = (
            ServiceItem.objects.filter(is_active=True)
            .select_related("department")
            .only(
                "name",
                "category_id",
                "guide_id",
                "department__name",
                "department__short_name",
            )
            .annotate(guide_url_path=F("guide__url_path"), guide_live=F("guide__live"))
        )
        categories = list(ServiceCategory.objects.all())
        by_category = {category.pk: [] for category in categories}
        for item in items:
            item.guide_url = (
                page_url(item.guide_url_path, request) if item.guide_live else None
            )
            by_category.setdefault(item.category_id, []).append(item)
        return [
            {"category": category, "items": by_category.get(category.pk, [])}
            for category in categories
        ]


class StandardPage(BasePage):
    """A plain page, e.g. "about the hall"."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = [
        "home.HomePage",
        "departments.DepartmentPage",
        "departments.DistrictPage",
        "home.StandardPage",
    ]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
