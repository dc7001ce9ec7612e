"""Template helpers for service guides: labels the guide's blocks define."""

from django import template

from cms.services.blocks import MATERIAL_FORMS

register = template.Library()

_MATERIAL_FORM_LABELS = dict(MATERIAL_FORMS)


@register.filter
def material_form(value: str) -> str:
    """The translated label of a material's form ("copy" → 复印件)."""
    return _MATERIAL_FORM_LABELS.get(value, value)
