"""Presentation helpers shared by the public templates.

They keep the templates free of lookups that Django's template language cannot
express (choice labels of StreamField values, the active navigation section) and
give every icon one definition in the static sprite.
"""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cms.core import content_lang
from cms.core.links import fixed_page_url as _fixed_page_url

register = template.Library()

# The symbols drawn in site/static/img/icons.svg; anything else falls back to
# "grid" so a new category with an unknown icon name still shows a shape.
SPRITE_ICONS = frozenset(
    {
        "arrow-right",
        "book",
        "briefcase",
        "building",
        "calendar",
        "check",
        "clock",
        "coins",
        "download",
        "file",
        "grid",
        "health",
        "home",
        "id-card",
        "info",
        "location",
        "phone",
        "plane",
        "print",
        "rocket",
        "school",
        "search",
        "sun",
        "user",
        "warning",
    }
)
FALLBACK_ICON = "grid"


@register.simple_tag
def icon(name: str, css_class: str = "") -> SafeString:
    """An inline SVG that reuses a symbol of the sprite.

    Icons are decorative (the text beside them carries the meaning), so they are
    hidden from assistive technology.
    """
    symbol = name if name in SPRITE_ICONS else FALLBACK_ICON
    classes = f"icon {css_class}".strip()
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false">'
        '<use href="{}#{}"></use></svg>',
        classes,
        static("img/icons.svg"),
        symbol,
    )


@register.simple_tag(takes_context=True)
def nav_current(context: template.Context, href: str) -> str:
    """The ``aria-current`` value for a navigation link: "page" on the page itself,
    "true" anywhere inside its section, "" elsewhere. The home link only matches the
    home page, or it would be current everywhere."""
    request = context.get("request")
    if request is None:
        return ""
    if request.path == href:
        return "page"
    if href != "/" and request.path.startswith(href):
        return "true"
    return ""


@register.simple_tag(takes_context=True)
def fixed_page_url(context: template.Context, name: str) -> str | None:
    """The URL of a page every header and footer links to ("policies", "news"),
    from a cache kept fresh by page signals instead of a query per link."""
    return _fixed_page_url(name, context.get("request"))


@register.filter(is_safe=True)
def mark_chinese(html: str) -> str:
    """Rendered markup with its Chinese text marked lang="zh-Hans" on a page
    in another language (cms/core/content_lang.py); Chinese pages as they are."""
    if (get_language() or "zh-hans").lower().startswith("zh"):
        return html
    # Only spans and lang attributes are added to markup that was safe already.
    return mark_safe(content_lang.mark_chinese(str(html)))  # noqa: S308


@register.simple_tag(takes_context=True)
def page_languages(context: template.Context, page) -> dict:
    """The page's versions for hreflang links, and whether it stands in for
    a version in the active language (cms/core/i18n.py)."""
    from cms.core import fragments, i18n

    request = context.get("request")
    if page is None or request is None or not hasattr(page, "locale_id"):
        return {"alternates": [], "chinese_only": False}
    if page.pk is None:
        return {"alternates": [], "chinese_only": i18n.chinese_only(page)}
    return fragments.page_languages(
        request, page, lambda: i18n.page_languages(request, page)
    )
