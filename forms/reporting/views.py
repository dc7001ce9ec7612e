"""Statistics pages: the admin dashboard panel, the admin statistics page and the
public service-performance pages.

Charts are drawn on the server as inline SVG (``column_chart``, ``bar_chart``
compute the geometry, forms/stats/_chart.html draws it): no script, no external
host (the CSP forbids them), readable by screen readers through the SVG's
title and description, and every chart carries its numbers as a table.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.admin.ui.components import Component

from cms.core.params import parse_int
from cms.services.models import ServiceItem, guides_time_limits
from forms.builder.admin_views import VIEW, is_back_office
from forms.reporting import statistics as stats

PERIOD_CHOICES = (3, 6, 12, 24)


def can_view_statistics(user) -> bool:
    """Back-office staff who may see every application (or superusers)."""
    return is_back_office(user) and (user.is_superuser or user.has_perm(VIEW))


def cache_seconds() -> int:
    return int(settings.SERVICE_PERFORMANCE_CACHE_SECONDS)


# --- charts ---


def nice_max(value: float) -> float:
    """The axis maximum: 1, 2 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value)}"


def short(label: str, length: int = 10) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


@dataclass
class Bar:
    label: str
    value: float
    shown: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    label_x: float
    label_y: float
    short_label: str


def _chart(kind, rows, title, value_name, chart_id, width, height, extra) -> dict:
    values = [row["value"] or 0 for row in rows]
    top = max(values) if values else 0
    highest = max(rows, key=lambda row: row["value"] or 0) if rows else None
    description = (
        _("%(count)s bars. Highest: %(label)s, %(value)s.")
        % {
            "count": len(rows),
            "label": highest["label"],
            "value": show(highest["value"]),
        }
        if highest and top > 0
        else _("No data for this period.")
    )
    return {
        "kind": kind,
        "id": chart_id,
        "title": title,
        "description": description,
        "value_name": value_name,
        "width": width,
        "height": height,
        "empty": top <= 0,
        "rows": [{**row, "shown": show(row["value"])} for row in rows],
        **extra,
    }


def column_chart(
    rows: list[dict],
    *,
    title: str,
    chart_id: str,
    value_name: str = "",
    reference: float | None = None,
    reference_label: str = "",
) -> dict:
    """Vertical bars for an ordered series (months, day buckets).
    ``rows``: [{"label", "value"}]; ``reference`` draws a dashed line (a limit)."""
    width, height = 640, 240
    left, right, top_margin, bottom = 44, 8, 18, 52
    plot_w, plot_h = width - left - right, height - top_margin - bottom
    axis_max = nice_max(
        max([row["value"] or 0 for row in rows] + [reference or 0], default=0)
    )
    slot = plot_w / max(len(rows), 1)
    bar_w = slot * 0.7
    rotate = len(rows) > 8
    bars = []
    for index, row in enumerate(rows):
        value = row["value"] or 0
        bar_h = plot_h * value / axis_max
        x = left + index * slot + (slot - bar_w) / 2
        y = top_margin + plot_h - bar_h
        bars.append(
            Bar(
                label=row["label"],
                value=value,
                shown=show(row["value"]),
                x=round(x, 1),
                y=round(y, 1),
                width=round(bar_w, 1),
                height=round(bar_h, 1),
                text_x=round(x + bar_w / 2, 1),
                text_y=round(y - 4, 1),
                label_x=round(x + bar_w / 2, 1),
                label_y=top_margin + plot_h + 16,
                short_label=short(row["label"], 8),
            )
        )
    ticks = [
        {
            "value": show(axis_max * share),
            "y": round(top_margin + plot_h * (1 - share), 1),
        }
        for share in (0, 0.5, 1)
    ]
    return _chart(
        "column",
        rows,
        title,
        value_name,
        chart_id,
        width,
        height,
        {
            "bars": bars,
            "ticks": ticks,
            "axis_x1": left,
            "axis_x2": width - right,
            "baseline": top_margin + plot_h,
            "tick_x": left - 6,
            "rotate": rotate,
            "show_values": len(rows) <= 24,
            "reference": (
                {
                    "y": round(top_margin + plot_h * (1 - reference / axis_max), 1),
                    "label": reference_label,
                    "shown": show(reference),
                }
                if reference
                else None
            ),
        },
    )


def bar_chart(
    rows: list[dict], *, title: str, chart_id: str, value_name: str = ""
) -> dict:
    """Horizontal bars for named categories (departments, districts)."""
    width, row_h, label_w, right = 640, 26, 160, 56
    top_margin = 6
    height = top_margin * 2 + row_h * max(len(rows), 1)
    axis_max = nice_max(max((row["value"] or 0 for row in rows), default=0))
    plot_w = width - label_w - right
    bars = []
    for index, row in enumerate(rows):
        value = row["value"] or 0
        bar_len = plot_w * value / axis_max
        y = top_margin + index * row_h + 4
        bars.append(
            Bar(
                label=row["label"],
                value=value,
                shown=show(row["value"]),
                x=label_w,
                y=y,
                width=round(bar_len, 1),
                height=row_h - 8,
                text_x=round(label_w + bar_len + 6, 1),
                text_y=y + row_h / 2,
                label_x=label_w - 8,
                label_y=y + row_h / 2,
                short_label=short(row["label"], 11),
            )
        )
    return _chart(
        "bar",
        rows,
        title,
        value_name,
        chart_id,
        width,
        height,
        {"bars": bars, "axis_x": label_w},
    )


def _series(rows: list[dict], value_key: str = "count") -> list[dict]:
    return [{"label": row["label"], "value": row[value_key]} for row in rows]


# --- admin: statistics page and dashboard panel ---


def _months(request) -> int:
    months = parse_int(request.GET.get("months", ""))
    return months if months in PERIOD_CHOICES else 12


def admin_figures(period: stats.Period) -> dict:
    """The key figures of the dashboard and the statistics page."""
    submitted = stats.submitted_applications(period)
    statuses = {row["key"]: row["count"] for row in stats.by_status(submitted)}
    days = [d.days for d in stats.durations(stats.decided_applications(period))]
    processing = stats.summary(days)
    return {
        "submitted": sum(statuses.values()),
        "open": stats.open_count(),
        "overdue": stats.overdue_count(),
        "completed": statuses.get("completed", 0),
        "rejected": statuses.get("rejected", 0),
        "approved_talents": stats.approved_talents(),
        "processing": processing,
        "days": days,
    }


@never_cache
def admin_statistics(request):
    if not can_view_statistics(request.user):
        raise PermissionDenied
    months = _months(request)
    period = stats.Period.last_months(months)
    submitted = stats.submitted_applications(period)
    figures = admin_figures(period)
    monthly = stats.by_month(submitted, period)
    decided_monthly = stats.by_month(
        stats.decided_applications(period), period, field="decided_at"
    )
    departments = stats.by_department(submitted)
    districts = stats.by_district(submitted)
    statuses = stats.by_status(submitted)
    stages = stats.by_stage(stats.submitted_applications())
    tiers = stats.by_tier(submitted)
    industries = stats.by_industry(submitted)
    ratings = stats.rating_summary(submitted)
    cases, decisions = _("Applications"), _("Decisions")
    # key: (chart kind, rows, title, what a bar counts); the key names its element.
    chart_specs = {
        "monthly": (
            column_chart,
            monthly,
            _("Applications submitted per month"),
            cases,
        ),
        "decided": (column_chart, decided_monthly, _("Decisions per month"), decisions),
        "departments": (
            bar_chart,
            departments,
            _("Applications dispatched to each department"),
            cases,
        ),
        "districts": (bar_chart, districts, _("Applications by district"), cases),
        "processing": (
            column_chart,
            stats.distribution(figures["days"]),
            _("Processing time to decision (working days)"),
            decisions,
        ),
        "statuses": (bar_chart, statuses, _("Applications by status"), cases),
        "stages": (bar_chart, stages, _("Current cases by stage"), cases),
        "tiers": (bar_chart, tiers["totals"], _("Applications by talent tier"), cases),
        "industries": (
            bar_chart,
            industries["totals"],
            _("Applications by industry or field"),
            cases,
        ),
        "ratings": (
            bar_chart,
            ratings["levels"],
            _("Satisfaction ratings (好差评)"),
            _("Ratings"),
        ),
    }
    charts = {
        key: draw(
            _series(rows), title=title, chart_id=f"chart-{key}", value_name=counts
        )
        for key, (draw, rows, title, counts) in chart_specs.items()
    }
    return TemplateResponse(
        request,
        "forms/stats/admin_statistics.html",
        {
            "period": period,
            "months": months,
            "period_choices": PERIOD_CHOICES,
            "figures": figures,
            "charts": charts,
            "departments": departments,
            "tiers": tiers,
            "industries": industries,
            "ratings": ratings,
        },
    )


class StatisticsPanel(Component):
    """Key figures and the monthly chart on the admin dashboard."""

    name = "hall_statistics"
    template_name = "forms/stats/dashboard_panel.html"
    order = 90

    class Media:
        css = {"all": ["css/stats.css"]}

    def get_context_data(self, parent_context=None):
        period = stats.Period.last_months(12)
        key = f"forms:stats:dashboard:{period.end.isoformat()}"
        data = cache.get(key)
        if data is None:
            figures = admin_figures(period)
            figures.pop("days")
            monthly = stats.by_month(stats.submitted_applications(period), period)
            data = {"figures": figures, "monthly": monthly}
            cache.set(key, data, 60)
        return {
            "figures": data["figures"],
            "chart": column_chart(
                _series(data["monthly"]),
                title=_("Applications submitted per month"),
                chart_id="dashboard-chart-monthly",
                value_name=_("Applications"),
            ),
            "as_of": timezone.localtime(),
        }


# --- public: service performance per service item ---


def _items():
    return ServiceItem.objects.filter(is_active=True).select_related(
        "guide", "department", "category"
    )


def _promised_days(items) -> dict:
    """{item pk: the days its guide promises}: an online form's review steps,
    read for all the guides at once (cms.services.models.guides_time_limits)."""
    guides = [item.guide for item in items if item.guide_id]
    limits = guides_time_limits(guides)
    for guide in guides:
        guide.time_limits = limits.get(guide.pk)
    return {item.pk: item.guide.promised_days for item in items if item.guide_id}


def performance_rows(today=None) -> list[dict]:
    """Every active service item's public numbers; cached for a few minutes."""
    today = today or timezone.localdate()
    key = f"forms:stats:performance:{today.isoformat()}"
    rows = cache.get(key)
    if rows is not None:
        return rows
    period = stats.Period.last_months(12, today)
    items = list(_items())
    promised = _promised_days(items)
    forms = stats.forms_by_service_item(items)
    decided = stats.durations(stats.decided_applications(period))
    open_by_form = stats.open_cases_by_form()
    ratings = stats.ratings_by_form()
    rows = []
    for item in items:
        figures = stats.performance(
            forms.get(item.pk, []),
            promised.get(item.pk),
            decided,
            open_by_form,
            ratings,
        )
        rows.append(
            {
                "item_id": item.pk,
                "name": item.name,
                "department": item.department.display_name,
                "has_forms": bool(forms.get(item.pk)),
                **figures,
            }
        )
    cache.set(key, rows, cache_seconds())
    return rows


def performance_list(request):
    rows = performance_rows()
    return TemplateResponse(
        request,
        "forms/stats/performance_list.html",
        {
            "rows": rows,
            "online": [row for row in rows if row["has_forms"]],
            "page_title": _("Service performance"),
        },
    )


def performance_detail(request, item_id: int):
    item = get_object_or_404(_items(), pk=item_id)
    today = timezone.localdate()
    key = f"forms:stats:performance:{today.isoformat()}:{item.pk}"
    data = cache.get(key)
    promised = _promised_days([item]).get(item.pk)
    if data is None:
        period = stats.Period.last_months(12, today)
        form_ids = stats.forms_by_service_item([item]).get(item.pk, [])
        monthly = stats.monthly_performance(form_ids, promised, period)
        summary = next(
            (row for row in performance_rows(today) if row["item_id"] == item.pk), {}
        )
        data = {"monthly": monthly, "summary": summary}
        cache.set(key, data, cache_seconds())
    monthly = data["monthly"]
    return TemplateResponse(
        request,
        "forms/stats/performance_detail.html",
        {
            "item": item,
            "guide": item.guide if item.guide_id and item.guide.live else None,
            "summary": data["summary"],
            "monthly": monthly,
            "charts": {
                "decided": column_chart(
                    _series(monthly, "decided"),
                    title=_("Decisions per month"),
                    chart_id="chart-decided",
                    value_name=_("Decisions"),
                ),
                "median": column_chart(
                    [
                        {"label": row["label"], "value": row["median_days"]}
                        for row in monthly
                    ],
                    title=_("Median working days to decision, per month"),
                    chart_id="chart-median",
                    value_name=_("Working days"),
                    reference=promised,
                    reference_label=_("Promised limit"),
                ),
            },
            "page_title": item.name,
            "promised": promised,
        },
    )
