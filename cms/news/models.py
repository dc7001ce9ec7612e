"""News of the hall and its departments."""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index

from cms.core.blocks import BodyStreamBlock
from cms.core.models import BasePage
from cms.departments.models import DepartmentPage, DistrictPage


class NewsIndexPage(BasePage):
    """Lists the news of every module, newest first."""

    # The header and footer link here ({% fixed_page_url "news" %}).
    fixed_page_name = "news"

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]

    class Meta:
        verbose_name = _("news list")

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().public().order_by("-date", "-pk")
        page = Paginator(news, 20).get_page(request.GET.get("page"))
        # Name each item's module with one query for the whole page, not one per item.
        parent_paths = {item.path[: -NewsPage.steplen] for item in page}
        module_titles = {
            module.path: module.title
            for model in (DepartmentPage, DistrictPage)
            for module in model.objects.filter(path__in=parent_paths).only(
                "path", "title"
            )
        }
        for item in page:
            item.module_title = module_titles.get(item.path[: -NewsPage.steplen], "")
        context["news_items"] = page
        return context


class NewsPage(BasePage):
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    api_fields = [APIField("date"), APIField("summary"), APIField("body")]
    parent_page_types = [
        "news.NewsIndexPage",
        "departments.DepartmentPage",
        "departments.DistrictPage",
    ]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news")


@hooks.register("module_page_lists")
def module_news(module) -> dict[str, list]:
    """A module page's latest news."""
    return {
        "news_items": list(
            NewsPage.objects.child_of(module)
            .live()
            .only("title", "url_path", "date")
            .order_by("-date")[:6]
        )
    }
