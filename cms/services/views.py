"""The service-item catalogue at /services/, by category or by department."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from cms.core.models import ServiceCategory
from cms.core.params import parse_int
from cms.departments.models import Department

from .models import ServiceItem


def catalogue(request):
    items = ServiceItem.objects.filter(is_active=True).select_related(
        "category", "department", "guide"
    )
    by = "department" if request.GET.get("by") == "department" else "category"
    category_slug = request.GET.get("category", "")
    department_id = parse_int(request.GET.get("department", ""))
    if category_slug:
        items = items.filter(category__slug=category_slug)
    if department_id is not None:
        items = items.filter(department_id=department_id)

    if by == "department":
        groups = [
            (department, [i for i in items if i.department_id == department.pk])
            for department in Department.objects.all()
        ]
    else:
        groups = [
            (category, [i for i in items if i.category_id == category.pk])
            for category in ServiceCategory.objects.all()
        ]
    groups = [(group, group_items) for group, group_items in groups if group_items]
    return render(
        request,
        "services/catalogue.html",
        {
            "groups": groups,
            "by": by,
            "categories": ServiceCategory.objects.all(),
            "departments": Department.objects.all(),
            "selected_category": category_slug,
            "selected_department": department_id,
            "total": len(items),
            "page_title": _("Service items"),
        },
    )
