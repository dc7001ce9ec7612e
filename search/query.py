"""The one search interface: the search page, the JSON API and the admin use it.

A SearchRequest (query, filters, page) goes in, SearchResults (hits with
highlighted snippets, facets, total, and the best bets administrators chose
for the query) come out, whichever engine is configured.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import html
import re
import threading
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from math import ceil

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from search.analysis import MAX_QUERY_LENGTH, QueryPlan, normalize, plan_query
from search.documents import TYPES, hidden_keys

FILTER_KEYS = ("type", "department", "category", "tier", "year", "status")
STATUSES = ("in_force", "amended", "repealed")
MAX_PAGE = 100
MAX_PAGE_SIZE = 50
_TIER_CODE = re.compile(r"^[-a-z0-9_]{1,20}$")
_INT = re.compile(r"^[0-9]{1,9}$")

TYPE_LABELS = {
    "policy": gettext_lazy("Policy"),
    "guide": gettext_lazy("Service guide"),
    "service": gettext_lazy("Service item"),
    "news": gettext_lazy("News"),
}
STATUS_LABELS = {
    "in_force": gettext_lazy("In force"),
    "amended": gettext_lazy("Amended"),
    "repealed": gettext_lazy("Repealed"),
}
DEFAULT_LANGUAGE = "zh-hans"
POPULAR_TERMS = ["高层次人才认定", "住房补贴", "子女入学", "人才绿卡", "安家补助"]


class InvalidSearch(ValueError):
    """A parameter the search cannot use; the message is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class SearchRequest:
    query: str
    filters: dict[str, str | int] = field(default_factory=dict)
    page: int = 1
    page_size: int = 10
    # Keys the engine must never answer (see search.documents.hidden_keys).
    hidden: frozenset[str] = frozenset()

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @classmethod
    def from_params(cls, params, page_size: int = 10) -> SearchRequest:
        """From request.GET; raises InvalidSearch with a translated message."""
        query = parameter_text(params.get("q"))[:MAX_QUERY_LENGTH]
        filters: dict[str, str | int] = {}
        for key in FILTER_KEYS:
            value = parameter_text(params.get(key))
            if value:
                filters[key] = _clean_filter(key, value)
        page = _clean_int(parameter_text(params.get("page")) or "1", "page")
        if not 1 <= page <= MAX_PAGE:
            raise InvalidSearch(
                _("The page must be between 1 and %(max)d.") % {"max": MAX_PAGE}
            )
        return cls(query=query, filters=filters, page=page, page_size=page_size)


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def parameter_text(value) -> str:
    """A request parameter as search text: control characters (NUL among them,
    which PostgreSQL refuses in any text) become spaces, then it is stripped."""
    return _CONTROL_CHARACTERS.sub(" ", str(value or "")).strip()


def _clean_int(value, name: str) -> int:
    value = str(value).strip()
    if not _INT.match(value):
        raise InvalidSearch(_("“%(name)s” must be a whole number.") % {"name": name})
    return int(value)


def _clean_filter(key: str, value: str) -> str | int:
    if key in ("department", "category"):
        return _clean_int(value, key)
    if key == "year":
        year = _clean_int(value, key)
        if not 1900 <= year <= 2100:
            raise InvalidSearch(_("The year must be between 1900 and 2100."))
        return year
    if key == "type" and value not in TYPES:
        raise InvalidSearch(
            _("Unknown type “%(value)s”: use one of %(choices)s.")
            % {"value": value[:20], "choices": ", ".join(TYPES)}
        )
    if key == "status" and value not in STATUSES:
        raise InvalidSearch(
            _("Unknown status “%(value)s”: use one of %(choices)s.")
            % {"value": value[:20], "choices": ", ".join(STATUSES)}
        )
    if key == "tier" and not _TIER_CODE.match(value):
        raise InvalidSearch(_("Unknown talent tier."))
    return value


@dataclass
class Hit:
    key: str
    type: str
    title: str
    url: str
    department: str
    category: str
    status: str
    issued_on: datetime.date | None
    highlight: str
    score: float
    title_highlight: str = ""
    # The page's locale (a service item, not a page, is Chinese).
    language: str = DEFAULT_LANGUAGE

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.type, self.type))

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, ""))

    @property
    def is_repealed(self) -> bool:
        return self.status == "repealed"

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "type": self.type,
            "department": self.department,
            "category": self.category,
            "status": self.status,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "highlight": str(self.highlight),
            "language": self.language,
        }


@dataclass
class PromotedPage:
    """A best bet: a page administrators put above the results of a query."""

    page_id: int
    type: str  # a search type ("policy", "guide", "news") or "page"
    type_label: str
    title: str
    url: str
    summary: str = ""

    @property
    def key(self) -> str:
        """The key its ordinary hit would have ("policy:12")."""
        return f"{self.type}:{self.page_id}"

    def as_json(self) -> dict:
        return {"title": self.title, "url": self.url, "type": self.type}


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, list[dict]]
    page: int
    page_size: int
    plan: QueryPlan
    suggestions: list[str] = field(default_factory=list)
    # True when facet counts come from a sample of many hits ("about n").
    facets_approximate: bool = False
    # Shown above the hits; never part of total, hits or facets.
    best_bets: list[PromotedPage] = field(default_factory=list)
    # The engine could not answer (Elasticsearch down, timed out, no index
    # yet): the results are empty and the page says search is unavailable.
    unavailable: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.total / self.page_size)) if self.page_size else 1


def empty_results(req: SearchRequest, plan: QueryPlan | None = None) -> SearchResults:
    return SearchResults(
        total=0,
        hits=[],
        facets={},
        page=req.page,
        page_size=req.page_size,
        plan=plan or plan_query(""),
    )


@functools.lru_cache(maxsize=256)
def _token_pattern(tokens: tuple[str, ...]) -> re.Pattern | None:
    if not tokens:
        return None
    return re.compile(
        "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    )


def _escape(text: str) -> str:
    # What django.utils.html.escape does (it calls html.escape), without its
    # lazy-string wrapper, which cost more than the escaping on every piece.
    return html.escape(text, quote=True)


# Full-width ASCII forms and the ideographic space: their NFKC form is one
# ASCII character each (Chinese text is full of full-width punctuation).
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")


def _narrow(match: re.Match) -> str:
    code = ord(match.group())
    return " " if code == 0x3000 else chr(code - 0xFEE0)


def _folded(text: str) -> str:
    """normalize(text), exactly, cheaper: NFKC of a long text cost more than
    the rest of a snippet. When the text, or the text with its full-width forms
    narrowed, is already in NFKC, NFKC leaves it as it is."""
    if unicodedata.is_normalized("NFKC", text):
        return text.lower()
    # A regular expression finds the few full-width characters faster than
    # str.translate walks a whole non-ASCII text through a dict.
    narrowed = _FULL_WIDTH.sub(_narrow, text)
    if unicodedata.is_normalized("NFKC", narrowed):
        return narrowed.lower()
    return normalize(text)


def highlight(text: str, tokens: list[str], width: int = 120) -> SafeString:
    """A snippet of ``text`` around the first match, escaped, matches in <mark>."""
    text = " ".join((text or "").split())
    if not text:
        return SafeString("")
    lowered = _folded(text)
    if len(lowered) != len(text):  # NFKC changed the length: match on the text
        lowered = text.lower()
    pattern = _token_pattern(tuple(t for t in dict.fromkeys(tokens) if t))
    first = pattern.search(lowered) if pattern else None
    start = 0
    if first and first.start() > width // 3:
        start = first.start() - width // 3
    end = min(len(text), start + width)
    pieces: list[str] = ["…"] if start > 0 else []
    cursor = start
    if pattern:
        for match in pattern.finditer(lowered, start, end):
            pieces.append(_escape(text[cursor : match.start()]))
            pieces.append(f"<mark>{_escape(text[match.start() : match.end()])}</mark>")
            cursor = match.end()
    pieces.append(_escape(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    # Every piece of the text went through escape(); only <mark> is added.
    return mark_safe("".join(pieces))  # noqa: S308


FACET_LABELS_VERSION_KEY = "harbor_search:facet_labels_version"
_LABELS_CHECK_SECONDS = 1.0
_LABELS_MAX_AGE = 300.0


class _FacetLabels:
    """Names of departments, service categories and talent tiers by facet value,
    kept per process: the search page asked the database for them on every
    search. Saving or deleting one of these rows bumps a version in Django's
    cache (search.signals), and every process reloads at its next check (at
    most _LABELS_CHECK_SECONDS later); this process reloads at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.names: dict[str, dict[str, str]] | None = None
        self.version: object = object()  # never equal to a cache value
        self.checked_at = 0.0
        self.loaded_at = 0.0
        self.missing: set[tuple[str, str]] = set()

    def _unknown(
        self, names: dict[str, dict[str, str]], wanted: dict[str, set[str]]
    ) -> set[tuple[str, str]]:
        return {
            (key, value)
            for key, values in wanted.items()
            for value in values
            if value not in names[key] and (key, value) not in self.missing
        }

    def get(self, wanted: dict[str, set[str]]) -> dict[str, dict[str, str]]:
        """The names; reloaded when the version changed, when they are older
        than _LABELS_MAX_AGE (a rename by QuerySet.update() sends no signal),
        or when a ``wanted`` value is unknown (rows added by bulk_create)."""
        now = time.monotonic()
        names = self.names
        if (
            names is not None
            and now - self.checked_at < _LABELS_CHECK_SECONDS
            and not self._unknown(names, wanted)
        ):
            return names
        from django.core.cache import cache

        version = cache.get(FACET_LABELS_VERSION_KEY)
        with self.lock:
            names = self.names
            if (
                names is None
                or version != self.version
                or now - self.loaded_at > _LABELS_MAX_AGE
                or self._unknown(names, wanted)
            ):
                names = self.names = self._load()
                self.version = version
                self.loaded_at = now
                # Values without a row (a department deleted but still in the
                # index) must not reload on every search.
                self.missing = set()
                self.missing = self._unknown(names, wanted)
            self.checked_at = now
            return names

    @staticmethod
    def _load() -> dict[str, dict[str, str]]:
        from cms.core.models import ServiceCategory, TalentTier
        from cms.departments.models import Department

        return {
            "tier": {
                str(code): str(name)
                for code, name in TalentTier.objects.values_list("code", "name")
            },
            "department": {
                str(pk): str(name)
                for pk, name in Department.objects.values_list("pk", "name")
            },
            "category": {
                str(pk): str(name)
                for pk, name in ServiceCategory.objects.values_list("pk", "name")
            },
        }

    def changed(self) -> None:
        from django.core.cache import cache

        cache.set(FACET_LABELS_VERSION_KEY, uuid.uuid4().hex, None)
        self.names = None
        self.missing = set()


_facet_labels = _FacetLabels()


def mark_facet_labels_changed() -> None:
    """A department, service category or talent tier was saved or deleted."""
    _facet_labels.changed()


def label_facets(facets: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Give every facet value a readable label, whichever engine counted it."""
    fixed = {
        "type": {k: str(v) for k, v in TYPE_LABELS.items()},
        "status": {k: str(v) for k, v in STATUS_LABELS.items()},
    }
    wanted = {key: {str(b["value"]) for b in facets.get(key) or ()} for key in _STORED}
    stored = _facet_labels.get(wanted) if any(wanted.values()) else {}
    labelled: dict[str, list[dict]] = {}
    for key, buckets in facets.items():
        names = fixed.get(key) or stored.get(key) or {}
        labelled[key] = [
            {
                "value": b["value"],
                "label": names.get(str(b["value"]), str(b.get("label") or b["value"])),
                "count": b["count"],
            }
            for b in buckets
            if b.get("count")
        ]
    return labelled


_STORED = ("tier", "department", "category")


def nothing_found_suggestions(plan: QueryPlan, limit: int = 6) -> list[str]:
    """Other words worth trying: a few synonyms of the query (the lexicon gives
    a word a dozen), then popular terms."""
    from search.models import SearchTerm

    words: list[str] = []
    for term in plan.terms:
        words.extend(alt for alt in term[1:] if " " not in alt)
    words = words[: max(1, limit // 2)]
    popular = list(
        SearchTerm.objects.filter(is_popular=True)
        .order_by("-frequency", "term")
        .values_list("term", flat=True)[:limit]
    )
    words.extend(popular or POPULAR_TERMS)
    typed = {alt for term in plan.terms for alt in term[:1]}
    return [w for w in dict.fromkeys(words) if w not in typed][:limit]


def _page_type(page) -> tuple[str, str]:
    """The search type of a page and its label; other pages are "page",
    labelled with their model's name (e.g. "Standard page")."""
    from cms.news.models import NewsPage
    from cms.policies.models import PolicyPage
    from cms.services.models import ServiceGuidePage

    # specific_class reads Django's per-process content type cache.
    model = page.specific_class
    for base, kind in (
        (PolicyPage, "policy"),
        (ServiceGuidePage, "guide"),
        (NewsPage, "news"),
    ):
        if model is not None and issubclass(model, base):
            return kind, str(TYPE_LABELS[kind])
    label = model._meta.verbose_name if model is not None else gettext_lazy("Page")
    return "page", capfirst(str(label))


def best_bets(query: str) -> list[PromotedPage]:
    """The live, public pages promoted for this query, in order: one indexed
    lookup, and one more query when the query has best bets."""
    from django.db import connection

    from search.documents import _relative_url
    from search.models import BestBet, best_bet_query

    # Most queries have no best bet: a lookup on the index, in plain SQL,
    # answers that in a fraction of what building the full query (ten joins)
    # costs; every search asks.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {BestBet._meta.db_table}"  # noqa: S608
            " WHERE query = %s AND is_active LIMIT 1",
            [best_bet_query(query)],
        )
        if cursor.fetchone() is None:
            return []
    promoted = []
    for bet in BestBet.objects.shown_for(query):
        url = _relative_url(bet.page)
        if not url:  # outside every site: nowhere to send the visitor
            continue
        kind, label = _page_type(bet.page)
        promoted.append(
            PromotedPage(
                page_id=bet.page_id,
                type=kind,
                type_label=label,
                title=bet.page.title,
                url=url,
                summary=" ".join(bet.page_summary.split()),
            )
        )
    return promoted


def mark_languages(hits: list[Hit]) -> None:
    """Each hit's language: its page's locale, in one query for the page."""
    page_ids = {
        int(hit.key.partition(":")[2]): hit
        for hit in hits
        if hit.type != "service" and hit.key.partition(":")[2].isdigit()
    }
    if not page_ids:
        return
    from wagtail.models import Page

    locales = Page.objects.filter(pk__in=page_ids).values_list(
        "pk", "locale__language_code"
    )
    for pk, language in locales:
        page_ids[pk].language = language or DEFAULT_LANGUAGE


def search(req: SearchRequest) -> SearchResults:
    from search.engines import get_engine

    plan = plan_query(req.query)
    if plan.is_empty:
        results = empty_results(req, plan)
    else:
        req = dataclasses.replace(req, hidden=hidden_keys())
        results = get_engine().search(req, plan=plan)
        results.facets = label_facets(results.facets)
        mark_languages(results.hits)
    if results.total == 0 and req.query:
        results.suggestions = nothing_found_suggestions(results.plan)
    # Best bets answer the plain query: not a later page, not a narrowed search.
    if req.query and req.page == 1 and not req.filters:
        results.best_bets = best_bets(req.query)
        promoted = {bet.key for bet in results.best_bets}
        if promoted:
            results.hits = [hit for hit in results.hits if hit.key not in promoted]
    return results


def suggest(prefix: str, limit: int = 8) -> list[dict]:
    from search.engines import get_engine

    prefix = normalize(prefix).strip()[:MAX_QUERY_LENGTH]
    if not prefix:
        return []
    return get_engine().suggest(prefix, limit=limit, hidden=hidden_keys())
