"""The project dictionary and synonyms that administrators keep, and the
embedded engine's index rows."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from search.analysis import normalize, split_synonym_line


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
        help_text=_("Separated by commas or slashes, e.g. 落户, 户口迁入, 入户"),
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
        return split_synonym_line(self.terms)

    def clean(self) -> None:
        if len(self.words) < 2:
            raise ValidationError(
                {"terms": _("Enter at least two words, separated by commas.")}
            )
        self.terms = ", ".join(self.words)


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
