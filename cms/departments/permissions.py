"""Provisioning a department or district: its module page, groups, rights and workflow.

Editors may add and edit pages in their own module only; moderators may also
publish there. Editors' changes go through the unit's moderation workflow, so an
editor submits and the unit's moderator publishes (docs/security.md D2). Nothing is
granted on the root or home page.

The unit's casework group (`<department> · 经办`, `<district> · 初审`) gets no page
rights at all: it receives record rights on the cases that reach the unit
(forms/casework/rights.py). Content groups never get case rights.
"""

from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.text import slugify
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.core.pinyin import lazy_pinyin
from cms.departments.models import Department, DepartmentPage, District, DistrictPage
from cms.home.models import HomePage

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page")
MODERATOR_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)
# Created by Wagtail's first migrations with rights over the whole page tree and
# every collection (see revoke_wagtail_default_grants).
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")
COLLECTION_PERMISSIONS = {
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
    "wagtailimages": ("add_image", "change_image", "choose_image"),
}


def editors_group_name(unit) -> str:
    return f"{unit.name} · 编辑"


def moderators_group_name(unit) -> str:
    return f"{unit.name} · 审核发布"


def casework_group_name(unit) -> str:
    """Department staff handle (经办) their department's part; district staff
    pre-review (初审) their district's applicants."""
    return f"{unit.name} · {'初审' if isinstance(unit, District) else '经办'}"


def unit_slug(unit) -> str:
    """An ASCII slug from the unit's pinyin: 人社局 → rensheju."""
    name = unit.short_name or unit.name
    return slugify("".join(lazy_pinyin(name))) or f"unit-{unit.pk}"


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(
        content_type__app_label="wagtailcore", codename=codename
    )


def _module_parent(unit):
    """Where a unit's module page lives: a district's departments sit in its module."""
    if isinstance(unit, Department) and unit.district_id:
        return ensure_module_page(unit.district)
    home = HomePage.objects.order_by("path").first()
    if home is None:
        raise RuntimeError("The hall's home page is missing: run migrations first.")
    return home


def ensure_module_page(unit):
    """Create the unit's module page (published) if it has none; return it."""
    existing = getattr(unit, "module_page", None) if unit.pk else None
    if existing is not None:
        return existing
    page_class, field = (
        (DepartmentPage, "department")
        if isinstance(unit, Department)
        else (DistrictPage, "district")
    )
    parent = _module_parent(unit)
    slug = unit_slug(unit)
    if parent.get_children().filter(slug=slug).exists():
        slug = f"{slug}-{unit.pk}"
    page = page_class(
        title=unit.name,
        slug=slug,
        phone=unit.phone,
        address=unit.address,
        **{field: unit},
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _unique_name(name: str, unit, taken) -> str:
    """`name`, or `name` qualified by the unit's kind and id when another unit (a
    district and a department may share a name) or a renamed unit already holds it.
    Reusing another unit's group or collection would hand over its rights."""
    if not taken(name):
        return name
    candidate = f"{name} ({unit._meta.model_name} {unit.pk})"
    suffix = 2
    while taken(candidate):
        candidate = f"{name} ({unit._meta.model_name} {unit.pk}-{suffix})"
        suffix += 1
    return candidate


def _ensure_group(unit, existing: Group | None, name: str) -> Group:
    """The unit's own group: the one stored on it, else a new one, never one
    found by name."""
    group = existing
    if group is None:
        name = _unique_name(name, unit, lambda n: Group.objects.filter(name=n).exists())
        group = Group.objects.create(name=name)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    return group


def _ensure_collection(unit, editors: Group) -> Collection:
    """The collection stored on the unit; for a unit provisioned before the unit
    kept it, the collection its own editors already hold rights on."""
    if unit.collection_id is not None:
        return unit.collection
    granted = (
        GroupCollectionPermission.objects.filter(group=editors)
        .select_related("collection")
        .first()
    )
    if granted is not None:
        return granted.collection
    root = Collection.get_first_root_node()
    name = _unique_name(
        unit.name, unit, lambda n: root.get_children().filter(name=n).exists()
    )
    return root.add_child(name=name)


def _grant(group: Group, page, codenames, collection: Collection) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_permission(codename)
        )
    for app_label, collection_codenames in COLLECTION_PERMISSIONS.items():
        for codename in collection_codenames:
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )


def _ensure_workflow(unit, page, moderators: Group) -> Workflow:
    """The workflow attached to the module page, else a new one: a workflow found
    by name could be another unit's and would let its moderators publish here."""
    attached = WorkflowPage.objects.filter(page=page).select_related("workflow")
    if attached.exists():
        return attached.get().workflow
    workflow = Workflow.objects.create(name=f"{unit.name} · 内容审核")
    task = GroupApprovalTask.objects.create(name=f"{unit.name} · 审核发布")
    task.groups.set([moderators])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=page, workflow=workflow)
    return workflow


def _submit_translation() -> Permission:
    return Permission.objects.get(
        content_type__app_label="simple_translation", codename="submit_translation"
    )


def provision_translation(sender, source_obj, target_obj, **kwargs) -> None:
    """A module page just translated gets its unit's rights and workflow."""
    unit = getattr(source_obj.specific, "unit", None)
    if getattr(source_obj.specific, "is_module", False) and unit is not None:
        provision_unit(unit)


@transaction.atomic
def provision_unit(unit):
    """Idempotent: safe to call again on a unit that is already set up.

    Groups, collection and workflow are found through the unit and its module
    page, never by name, so units sharing a name, or a unit created with a
    renamed unit's old name, never share rights.
    """
    page = ensure_module_page(unit)
    editors = _ensure_group(unit, unit.editors_group, editors_group_name(unit))
    moderators = _ensure_group(unit, unit.moderators_group, moderators_group_name(unit))
    casework = _ensure_group(unit, unit.casework_group, casework_group_name(unit))
    collection = _ensure_collection(unit, editors)
    workflow = _ensure_workflow(unit, page, moderators)
    # The module's versions in other languages: the same people, rights and
    # review, and nothing outside them (docs/content.md).
    for version in [page, *page.get_translations()]:
        _grant(editors, version, EDITOR_PAGE_PERMISSIONS, collection)
        _grant(moderators, version, MODERATOR_PAGE_PERMISSIONS, collection)
        if version.pk != page.pk:
            WorkflowPage.objects.get_or_create(
                page=version, defaults={"workflow": workflow}
            )
    for group in (editors, moderators):
        group.permissions.add(_submit_translation())
    links = {
        "editors_group": editors,
        "moderators_group": moderators,
        "casework_group": casework,
        "collection": collection,
    }
    if any(getattr(unit, f"{field}_id") != value.pk for field, value in links.items()):
        type(unit).objects.filter(pk=unit.pk).update(**links)
        for field, value in links.items():
            setattr(unit, field, value)
    return page


def revoke_wagtail_default_grants(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Take away the site-wide rights Wagtail gives its default groups.

    Wagtail's first migrations grant "Editors" and "Moderators" add/edit (and
    publish) on the root page and every collection. In the hall nobody but an
    administrator works site-wide, and a department's staff put into one of these
    groups by mistake would escape their module (docs/security.md D2). The groups stay
    (their names are harmless); their root grants go. Runs after every migrate.
    """
    GroupPagePermission.objects.using(using).filter(
        group__name__in=WAGTAIL_DEFAULT_GROUPS, page__depth=1
    ).delete()
    GroupCollectionPermission.objects.using(using).filter(
        group__name__in=WAGTAIL_DEFAULT_GROUPS, collection__depth=1
    ).delete()
