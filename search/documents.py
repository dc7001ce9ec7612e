"""What gets indexed: one SearchDocument per live, public piece of content.

Only published public pages and active service items become documents, and only
their public text: never applicant data, never staff accounts (docs/security.md J1).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page, PageViewRestriction

from cms.departments.models import DepartmentPage, DistrictPage
from cms.news.models import NewsPage
from cms.policies.models import PolicyPage
from cms.services.models import ServiceGuidePage, ServiceItem
from search.analysis import (
    char_bigrams,
    pinyin_keys,
    segment,
    segmented,
    term_pinyin_keys,
)

TYPES = ("policy", "guide", "service", "news")


@dataclass
class SearchDocument:
    key: str
    type: str
    object_id: int
    title: str
    body: str = ""
    url: str = ""
    department: str = ""
    department_id: int | None = None
    category: str = ""
    category_id: int | None = None
    tiers: list[str] = field(default_factory=list)  # TalentTier codes
    status: str = ""
    issued_on: datetime.date | None = None
    year: int | None = None
    doc_number: str = ""

    @cached_property
    def title_tokens(self) -> str:
        return segmented(f"{self.title} {self.doc_number}".strip())

    @cached_property
    def _body_token_list(self) -> list[str]:
        return segment(self.body)

    @cached_property
    def body_tokens(self) -> str:
        return " ".join(self._body_token_list)

    @cached_property
    def title_grams(self) -> str:
        return " ".join(char_bigrams(self.title))

    @cached_property
    def body_grams(self) -> str:
        return " ".join(char_bigrams(self.body))

    @cached_property
    def pinyin(self) -> str:
        keys = pinyin_keys(self.title) + term_pinyin_keys(
            self.body, tokens=self._body_token_list
        )
        return " ".join(dict.fromkeys(keys))


def key_for(obj) -> str:
    """'policy:12': the type name and primary key of a searchable object."""
    kind = _kind_of(obj)
    if kind is None:
        raise ValueError(f"{type(obj).__name__} is not searchable")
    return f"{kind}:{obj.pk}"


def _kind_of(obj) -> str | None:
    for model, kind in (
        (PolicyPage, "policy"),
        (ServiceGuidePage, "guide"),
        (ServiceItem, "service"),
        (NewsPage, "news"),
    ):
        if isinstance(obj, model):
            return kind
    return None


def _stream_text(value) -> list[str]:
    if not value:
        return []
    return [
        strip_tags(str(text))
        for text in value.stream_block.get_searchable_content(value)
        if text
    ]


def _join(parts: Iterable) -> str:
    return "\n".join(str(p).strip() for p in parts if p and str(p).strip())


def _relative_url(page) -> str:
    parts = page.get_url_parts()
    return parts[2] if parts else ""


class _Units:
    """Module page path -> (department name, Department id): one query for all."""

    def __init__(self) -> None:
        self.by_path: dict[str, tuple[str, int | None]] = {}
        # A module's translation has no unit of its own: ``unit`` finds its source's.
        for module in DepartmentPage.objects.select_related("department"):
            unit = module.unit
            if unit is not None:
                self.by_path[module.path] = (unit.name, unit.pk)
        for module in DistrictPage.objects.select_related("district"):
            unit = module.unit
            if unit is not None:
                self.by_path[module.path] = (unit.name, None)

    def for_page(self, page) -> tuple[str, int | None]:
        # The nearest module above the page: the longest matching path prefix.
        for end in range(len(page.path) - page.steplen, 0, -page.steplen):
            unit = self.by_path.get(page.path[:end])
            if unit:
                return unit
        return "", None


def _policy(page, units=None) -> SearchDocument:
    department = page.issuing_department
    return SearchDocument(
        key=f"policy:{page.pk}",
        type="policy",
        object_id=page.pk,
        title=page.title,
        body=_join([page.summary, *_stream_text(page.body)]),
        url=_relative_url(page),
        department=department.name if department else "",
        department_id=page.issuing_department_id,
        category=page.category.name if page.category_id else "",
        category_id=page.category_id,
        tiers=[tier.code for tier in page.tiers.all()],
        status=page.status,
        issued_on=page.issued_on,
        year=page.issued_on.year if page.issued_on else None,
        doc_number=page.document_number,
    )


def _guide(page, units=None) -> SearchDocument:
    units = units or _Units()
    department, department_id = units.for_page(page)
    item = getattr(page, "service_item", None)
    category = item.category if item is not None else None
    # The guide stands for its service item (which is not indexed beside it):
    # it carries the item's department when its own module has none.
    if item is not None and department_id is None and item.department_id:
        department, department_id = item.department.name, item.department_id
    # Office phones and addresses stay on the page: the index needs none of them.
    body = _join(
        [
            page.summary,
            page.eligible_applicants,
            *_stream_text(page.conditions),
            *_stream_text(page.materials),
            *_stream_text(page.process),
            *_stream_text(page.legal_basis),
            *_stream_text(page.faq),
            page.fees,
            item.description if item is not None else "",
        ]
    )
    published = page.last_published_at or page.first_published_at
    # The hall's date (China time): a guide published before 08:00 is dated
    # the day before in UTC, and on 1 January in the year before.
    issued_on = timezone.localdate(published) if published else None
    return SearchDocument(
        key=f"guide:{page.pk}",
        type="guide",
        object_id=page.pk,
        title=page.title,
        body=body,
        url=_relative_url(page),
        department=department,
        department_id=department_id,
        category=category.name if category else "",
        category_id=category.pk if category else None,
        issued_on=issued_on,
        year=issued_on.year if issued_on else None,
        doc_number=page.item_code,
    )


def _news(page, units=None) -> SearchDocument:
    units = units or _Units()
    department, department_id = units.for_page(page)
    return SearchDocument(
        key=f"news:{page.pk}",
        type="news",
        object_id=page.pk,
        title=page.title,
        body=_join([page.summary, *_stream_text(page.body)]),
        url=_relative_url(page),
        department=department,
        department_id=department_id,
        issued_on=page.date,
        year=page.date.year if page.date else None,
    )


def _has_live_guide(item) -> bool:
    """A service item whose guide is live and public is found as that guide:
    one result per service, not two with the same title."""
    guide = item.guide
    return guide is not None and guide.live and _is_public(guide)


def _service(item) -> SearchDocument:
    url = reverse("services:catalogue") + f"#item-{item.pk}"
    return SearchDocument(
        key=f"service:{item.pk}",
        type="service",
        object_id=item.pk,
        title=item.name,
        body=_join([item.description, item.category.name]),
        url=url,
        department=item.department.name,
        department_id=item.department_id,
        category=item.category.name,
        category_id=item.category_id,
    )


def _is_public(page) -> bool:
    return Page.objects.live().public().filter(pk=page.pk).exists()


_BUILDERS = {"policy": _policy, "guide": _guide, "news": _news}


def hidden_keys() -> frozenset[str]:
    """Keys of the searchable pages that a view restriction, on the page or an
    ancestor, keeps from the public.

    Index sync removes them when the restriction is set; searches also leave
    them out, so that an index that missed an update never shows them. With no
    restriction anywhere (the usual case) this is one query on a small table.
    """
    paths = set(PageViewRestriction.objects.values_list("page__path", flat=True))
    if not paths:
        return frozenset()
    kinds = _page_kinds_by_content_type()
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    rows = (
        Page.objects.filter(within, content_type_id__in=kinds)
        .values_list("pk", "content_type_id")
        .iterator()
    )
    return frozenset(f"{kinds[content_type]}:{pk}" for pk, content_type in rows)


def _page_kinds_by_content_type() -> dict[int, str]:

    # ContentType's manager caches these per process: no query after the first.
    return {
        ContentType.objects.get_for_model(model).pk: kind
        for model, kind in (
            (PolicyPage, "policy"),
            (ServiceGuidePage, "guide"),
            (NewsPage, "news"),
        )
    }


def documents_for(obj) -> list[SearchDocument]:
    """The documents of one object; empty when it must not be found."""
    kind = _kind_of(obj)
    if kind is None:
        return []
    if kind == "service":
        if not obj.is_active or _has_live_guide(obj):
            return []
        return [_service(obj)]
    page = type(obj).objects.filter(pk=obj.pk).live().public().first()
    if page is None:
        return []
    return [_BUILDERS[kind](page)]


def _page_querysets():
    yield (
        "policy",
        PolicyPage.objects.live()
        .public()
        .select_related("issuing_department", "category")
        .prefetch_related("tiers"),
    )
    yield (
        "guide",
        ServiceGuidePage.objects.live()
        .public()
        .select_related("service_item__category"),
    )
    yield "news", NewsPage.objects.live().public()


def _items_without_live_guide():
    guides = dict(_page_querysets())["guide"]
    return ServiceItem.objects.filter(is_active=True).exclude(
        guide__in=guides.values("pk")
    )


def count_all_documents() -> int:
    total = sum(qs.count() for _kind, qs in _page_querysets())
    return total + _items_without_live_guide().count()


def iter_all_documents() -> Iterator[SearchDocument]:
    units = _Units()
    for kind, queryset in _page_querysets():
        if kind == "guide":
            queryset = queryset.select_related("service_item__department")
        for page in queryset.order_by("pk").iterator(chunk_size=500):
            yield _BUILDERS[kind](page, units)
    items = _items_without_live_guide().select_related("category", "department")
    for item in items.order_by("pk"):
        yield _service(item)


def titles_fingerprint() -> tuple:
    """Changes when a page is published or unpublished, or a service item is
    added or removed: when the searchable titles may have changed."""
    from django.db.models import Count, Max

    pages = Page.objects.live().aggregate(n=Count("pk"), at=Max("last_published_at"))
    items = ServiceItem.objects.filter(is_active=True).aggregate(
        n=Count("pk"), last=Max("pk")
    )
    return (pages["n"], pages["at"], items["n"], items["last"])


def searchable_titles() -> Iterator[str]:
    """The title of every document search can find, whichever engine holds them."""
    for _kind, queryset in _page_querysets():
        titles = queryset.prefetch_related(None).values_list("title", flat=True)
        yield from titles.iterator()
    yield from _items_without_live_guide().values_list("name", flat=True).iterator()
