"""The project dictionary, synonyms and best bets that administrators keep,
and the embedded engine's index rows."""

from __future__ import annotations

import functools

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.functions import Coalesce, Length, NullIf, Substr
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PageViewRestriction, get_page_models

from search.analysis import (
    MAX_QUERY_LENGTH,
    format_synonym_line,
    normalize,
    parse_synonym_line,
)


class SearchTerm(models.Model):
    """A word of the policy domain that segmentation must keep whole."""

    term = models.CharField(
        _("term"),
        max_length=30,
        unique=True,
        help_text=_(
            "One word, e.g. 港湾计划. Rebuild the search index after adding terms."
        ),
    )
    frequency = models.PositiveIntegerField(
        _("weight"),
        default=0,
        help_text=_("Orders the popular terms shown when nothing is found."),
    )
    tag = models.CharField(
        _("tag"), max_length=30, blank=True, help_text=_("Optional: a group name.")
    )
    is_popular = models.BooleanField(_("suggest when nothing is found"), default=False)

    panels = [
        FieldPanel("term"),
        FieldPanel("frequency"),
        FieldPanel("tag"),
        FieldPanel("is_popular"),
    ]

    class Meta:
        ordering = ["term"]
        verbose_name = _("dictionary term")
        verbose_name_plural = _("dictionary terms")

    def __str__(self) -> str:
        return self.term

    def clean(self) -> None:
        self.term = normalize(self.term).strip()
        if not self.term or any(ch.isspace() for ch in self.term):
            raise ValidationError({"term": _("Enter one word without spaces.")})


class SynonymGroup(models.Model):
    """Words that mean the same to a talent, applied when a query is read."""

    terms = models.CharField(
        _("equivalent words"),
        max_length=300,
        help_text=_(
            "Separated by commas or slashes, e.g. 落户, 户口迁入, 入户. Words after "
            "“>” are narrower: found by a search for the words before it, not the "
            "other way round, e.g. 住房补贴 > 购房补贴, 租房补贴"
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    panels = [FieldPanel("terms"), FieldPanel("is_active"), FieldPanel("note")]

    class Meta:
        ordering = ["terms"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        return " / ".join(self.words)

    @property
    def words(self) -> list[str]:
        words, narrower = parse_synonym_line(self.terms)
        return words + narrower

    def clean(self) -> None:
        if len(self.words) < 2:
            raise ValidationError(
                {"terms": _("Enter at least two words, separated by commas.")}
            )
        self.terms = format_synonym_line(*parse_synonym_line(self.terms))


def best_bet_query(text: str) -> str:
    """The form a best bet's query is stored and looked up in: normalised as
    typed queries are (full-width to ASCII, lower case), spaces collapsed."""
    return " ".join(normalize(text or "").split())[:MAX_QUERY_LENGTH].strip()


# Plain-text fields that page models use for their summary, in order of preference.
_SUMMARY_FIELDS = ("summary", "introduction")


@functools.cache
def _summary_lookups() -> tuple[str, ...]:
    """``page__<model>__<field>`` for every page model with a plain-text summary
    or introduction, so one query reads it whatever the page's type."""
    lookups = []
    for model in get_page_models():
        parent_link = model._meta.parents.get(Page)
        if parent_link is None:
            continue
        for name in _SUMMARY_FIELDS:
            try:
                db_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            # Exact classes: a RichTextField (a TextField subclass) holds HTML.
            if type(db_field) in (models.TextField, models.CharField):
                lookups.append(f"page__{parent_link.related_query_name()}__{name}")
                break
    return tuple(lookups)


class BestBetQuerySet(models.QuerySet):
    def shown_for(self, query: str) -> BestBetQuerySet:
        """The active bets for a query whose pages are live and public, in
        order, with ``page`` and ``page_summary``: one database query.

        Public is what search.documents uses (``Page.objects.live().public()``):
        no view restriction on the page or an ancestor. Wagtail's ``public()``
        first reads every restriction in a query of its own; here the same
        test is a subquery (a restricted page's path is a prefix of ours).
        """
        restricted = PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("page__path"), 1, Length("page__path"))
        )
        summaries = [NullIf(F(lookup), Value("")) for lookup in _summary_lookups()]
        return (
            self.filter(query=best_bet_query(query), is_active=True, page__live=True)
            .exclude(Exists(restricted))
            .select_related("page")
            .annotate(
                page_summary=Coalesce(
                    *summaries,
                    NullIf(F("page__search_description"), Value("")),
                    Value(""),
                    output_field=models.TextField(),
                )
            )
            .order_by("order", "pk")
        )


class BestBet(models.Model):
    """A page promoted above the ordinary results for one query (as on GOV.UK)."""

    query = models.CharField(
        _("query"),
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "The search exactly as people type it, e.g. 人才绿卡. Case, full-width "
            "letters and surrounding spaces do not matter."
        ),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Shown only while it is published and public."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("Lower numbers come first among the pages for the same query."),
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("For administrators only: why this page is promoted."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = BestBetQuerySet.as_manager()

    panels = [
        FieldPanel("query"),
        FieldPanel("page"),
        FieldPanel("order"),
        FieldPanel("note"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["query", "order", "pk"]
        verbose_name = _("best bet")
        verbose_name_plural = _("best bets")
        constraints = [
            # Also the index the search's lookup by query uses.
            models.UniqueConstraint(
                fields=["query", "page"], name="harbor_search_bestbet_query_page"
            )
        ]

    def __str__(self) -> str:
        return self.query

    def clean(self) -> None:
        self.query = best_bet_query(self.query)
        if not self.query:
            raise ValidationError({"query": _("Enter the query this page answers.")})


class SearchEntry(models.Model):
    """One indexed document of the embedded engine.

    The full-text index itself lives beside this table (an FTS5 table on SQLite,
    a tsvector column on PostgreSQL; see migration 0002), so that the database
    ranks. This table holds what filters, facets and result lists need.
    """

    key = models.CharField(max_length=40, unique=True)
    type = models.CharField(max_length=10, db_index=True)
    object_id = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    department = models.CharField(max_length=100, blank=True)
    department_id = models.PositiveIntegerField(null=True, db_index=True)
    category = models.CharField(max_length=100, blank=True)
    category_id = models.PositiveIntegerField(null=True, db_index=True)
    status = models.CharField(max_length=10, blank=True)
    issued_on = models.DateField(null=True)
    year = models.PositiveSmallIntegerField(null=True)
    doc_number = models.CharField(max_length=80, blank=True)
    title_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    pinyin = models.TextField(blank=True)
    # Character bigrams of the title and the body, in order (the recall safety
    # net: a term jieba does not know still matches, as a phrase of bigrams).
    title_grams = models.TextField(blank=True, default="")
    body_grams = models.TextField(blank=True, default="")
    # The talent tier codes, space-separated: the tier facet is counted from
    # this column (in the covering index) rather than by joining SearchEntryTier,
    # which the tier filter uses.
    tiers = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("search index entry")
        indexes = [
            # Covers every column a search reads per hit, so SQLite never walks
            # the long body text to filter, facet or sort.
            models.Index(
                fields=[
                    "id",
                    "type",
                    "department_id",
                    "category_id",
                    "year",
                    "status",
                    "issued_on",
                    "tiers",
                ],
                name="harbor_search_facets",
            )
        ]

    def __str__(self) -> str:
        return self.key


class SearchEntryTier(models.Model):
    """The talent tiers of an indexed policy (for the tier facet)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(max_length=20)

    class Meta:
        indexes = [models.Index(fields=["tier", "entry"])]

    def __str__(self) -> str:
        return self.tier
