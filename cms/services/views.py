"""The service-item catalogue at /services/, by category or by department."""

from django.db.models import F
from django.shortcuts import render
from django.utils.translation import gettext as _

from cms.core.links import page_url
from cms.core.models import ServiceCategory
from cms.core.params import parse_int
from cms.departments.models import Department

from .models import ServiceItem


def catalogue(request):
    # Links are built from url_paths: a guide or module page is never loaded
    # just to link to it, and every list is read once.
    items = (
        ServiceItem.objects.filter(is_active=True)
        .select_related("category", "department")
        .annotate(guide_url_path=F("guide__url_path"), guide_live=F("guide__live"))
    )
    by = "department" if request.GET.get("by") == "department" else "category"
    category_slug = request.GET.get("category", "")
    department_id = parse_int(request.GET.get("department", ""))
    if category_slug:
        items = items.filter(category__slug=category_slug)
    if department_id is not None:
        items = items.filter(department_id=department_id)
    items = list(items)
    for item in items:
        item.guide_url = (
            page_url(item.guide_url_path, request) if item.guide_live else None
        )

    categories = list(ServiceCategory.objects.all())
    departments = list(
        Department.objects.annotate(
            module_url_path=F("module_page__url_path"),
            module_live=F("module_page__live"),
        )
    )
    if by == "department":
        for department in departments:
            department.module_url = (
                page_url(department.module_url_path, request)
                if department.module_live
                else None
            )
        groups = [
            (department, [i for i in items if i.department_id == department.pk])
            for department in departments
        ]
    else:
        groups = [
            (category, [i for i in items if i.category_id == category.pk])
            for category in categories
        ]
    groups = [(group, group_items) for group, group_items in groups if group_items]
    return render(
        request,
        "services/catalogue.html",
        {
            "groups": groups,
            "by": by,
            "categories": categories,
            "departments": departments,
            "selected_category": category_slug,
            "selected_department": department_id,
            "total": len(items),
            "page_title": _("Service items"),
        },
    )
